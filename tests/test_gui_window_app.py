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

from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.document import panels
from wasi_playground.gui.document.context import DocumentContext

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
    import wasi_playground.gui.shell.document as document

    monkeypatch.setattr(document, "PANELS", panels.PANELS)
    window = MainWindow(SettingsStore(tmp_path))
    qtbot.addWidget(window)
    doc = window.open_path(wat(ECHO, "echo.wasm"))
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=10000)
    listed = doc.navigator.views.keys()
    assert listed[:3] == ["overview", "imports", "exports"]
    assert {"good", "trace", "output"} <= set(listed)
    doc.show_view("good")
    assert doc.panels["Good"].text() == "panel for echo.wasm"
    assert doc.navigator.pages.currentWidget() is doc.panels["Good"]
    doc.show_view("trace")
    assert doc.navigator.pages.currentWidget() is doc.panels["Trace"]
    qtbot.waitUntil(lambda: "Broken view is not available" in window.messages.current_text(), timeout=5000)
    assert "broken" not in doc.navigator.built_pages() and not doc.navigator.has_view("broken")
    doc.close_document()


def test_samples_menu_lists_samples_and_opens_one_with_its_configuration(qtbot, tmp_path) -> None:
    from wasi_playground.core.samples import list_samples

    samples = {s.name: s for s in list_samples()}
    if "args" not in samples:
        pytest.skip("the args sample is not built yet")
    window = MainWindow(SettingsStore(tmp_path))
    qtbot.addWidget(window)
    actions = {a.data(): a for a in window.samples_menu.actions()}
    assert set(actions) == set(samples)
    assert samples["args"].teaches in actions["args"].text()
    actions["args"].trigger()
    doc = window.current_document()
    assert doc is not None and doc.path == samples["args"].wasm_path.resolve()
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=10000)
    assert doc.context.config.args == samples["args"].config.args
    assert samples["args"].title in window.messages.current_text()
    doc.close_document()


def test_refcount_guard_knows_which_binding_is_broken(qtbot) -> None:
    """PySide6 6.12.0 on CPython 3.11 drops a reference to None per void call and to True per emit; a
    long session would abort ("none_dealloc"). The app's guard decides by version: check that the
    version rule matches what this binding really does, so a new broken release is noticed."""
    from PySide6 import __version__ as pyside_version

    if sys.version_info >= (3, 12):
        pytest.skip("None and True are immortal from Python 3.12 on")
    label = QLabel()
    context = DocumentContext(Path("x.wasm"))
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(200):
        label.setText(str(i))
        context.configChanged.emit()
    leaks = sys.getrefcount(None) - none_before < -150 or sys.getrefcount(True) - true_before < -150
    assert leaks == (pyside_version == "6.12.0")


def test_refcount_guard_applies_only_to_the_broken_binding() -> None:
    from PySide6 import __version__ as pyside_version

    from wasi_playground.gui.app import guard_refcount_underflow

    broken = sys.version_info < (3, 12) and pyside_version == "6.12.0"
    assert guard_refcount_underflow() is broken
    if broken:
        assert sys.getrefcount(None) > 1 << 39 and sys.getrefcount(True) > 1 << 39


def test_the_gui_thread_gets_the_interpreter_back_quickly() -> None:
    """A short GIL switch interval and, on Linux, a 1 us timer slack for the GUI thread's GIL waits."""
    import ctypes

    from wasi_playground.gui.app import GUI_SWITCH_INTERVAL_S, GUI_TIMER_SLACK_NS, tune_gui_thread

    before = sys.getswitchinterval()
    try:
        tune_gui_thread()
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
        if sys.platform.startswith("linux"):
            pr_get_timerslack = 30
            assert ctypes.CDLL(None).prctl(pr_get_timerslack, 0, 0, 0, 0) == GUI_TIMER_SLACK_NS
    finally:
        sys.setswitchinterval(before)
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(29, 0, 0, 0, 0)  # back to the thread's default slack


def test_the_startup_heap_is_left_out_of_later_collections() -> None:
    import gc

    from wasi_playground.gui.app import freeze_startup_heap

    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
