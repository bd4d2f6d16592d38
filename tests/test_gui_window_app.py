"""Starting the app: the command line opens the window on a module; settings problems and broken panels
are messages, not crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from wasi_playground.core.settings import SettingsStore
from wasi_playground.gui import MainWindow, panels
from wasi_playground.gui.context import DocumentContext

sys.path.insert(0, str(Path(__file__).parent))
from test_gui_window_modules import ECHO  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_command_line_opens_the_window_on_a_module(wat) -> None:
    path = wat(ECHO, "echo.wasm")
    code = textwrap.dedent(f"""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication(["wasi-playground"])
        def check():
            window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")
            print("OPEN", window.windowTitle(), window.tabs.count(), window.isVisible(), flush=True)
            window.close()
            app.quit()
        QTimer.singleShot(800, check)
        from wasi_playground.cli import main
        sys.exit(main([{str(path)!r}]))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert "OPEN echo.wasm — WASI Playground 1 True" in out.stdout
    assert "panicked" not in out.stderr


def test_corrupt_settings_file_is_a_message_and_window_opens(qtbot, tmp_path) -> None:
    (tmp_path / "window-state.json").write_text("{{{{")
    window = MainWindow(SettingsStore(tmp_path))
    qtbot.addWidget(window)
    window.show()
    assert "window-state.json was unreadable" in window.messages.current_text()
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())


class GoodPanel(QLabel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(f"panel for {context.path.name}", parent)
        self.setObjectName("goodPanel")


def test_registered_panels_load_and_broken_ones_are_skipped(qtbot, wat, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(panels, "PANELS", [
        ("Good", f"{__name__}:GoodPanel"),
        ("Trace", f"{__name__}:GoodPanel"),
        ("Broken", "wasi_playground.gui.no_such_panel:Nope"),
    ])
    import wasi_playground.gui.document as document

    monkeypatch.setattr(document, "PANELS", panels.PANELS)
    window = MainWindow(SettingsStore(tmp_path))
    qtbot.addWidget(window)
    doc = window.open_path(wat(ECHO, "echo.wasm"))
    inspector = [doc.inspector_tabs.tabText(i) for i in range(doc.inspector_tabs.count())]
    outputs = [doc.output_tabs.tabText(i) for i in range(doc.output_tabs.count())]
    assert inspector == ["Overview", "Imports", "Exports", "Good"]
    assert outputs == ["stdout", "stderr", "Trace", "Timings", "History"]
    assert doc.panels["Good"].text() == "panel for echo.wasm"
    doc.close_document()
