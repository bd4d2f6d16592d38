"""Component tracing through the window: a real `MainWindow`, a component run from the toolbar, the Trace
tab's rows, status, explanations and files-changed list."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QPlainTextEdit, QTableView, QWidget

from test_component_trace_programs import probe
from wasi_playground.core.engine.config import Preopen, RunConfig
from wasi_playground.core.samples import samples_root
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

sys.path.insert(0, str(Path(__file__).parent))
from window_views import opened  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def run_from_toolbar(qtbot, window: MainWindow, doc: ModuleDocument):
    with qtbot.waitSignal(doc.controller.finished, timeout=60000) as blocker:
        window.findChild(QAction, "runAction").trigger()
    return blocker.args[0]


def show_trace(doc: ModuleDocument) -> None:
    """Choose Trace in the document's side list, as a person would."""
    doc.show_view("trace")


def test_component_sample_traced_from_the_window(qtbot, window) -> None:
    doc = opened(qtbot, window, samples_root() / "hello-component" / "hello-component.wasm")
    show_trace(doc)
    record = doc.findChild(QCheckBox, "traceRecordBox")
    if not record.isChecked():
        qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    assert doc.context.config.trace
    result = run_from_toolbar(qtbot, window, doc)
    assert result.exit_code == 0 and result.trace_calls
    assert doc.findChild(QWidget, "traceView") is not None
    table = doc.findChild(QTableView, "traceTable")
    qtbot.waitUntil(lambda: table.model().rowCount() == result.trace_calls, timeout=5000)
    functions = {table.model().index(row, 1).data() for row in range(table.model().rowCount())}
    assert "wasi:io/streams@0.2.12#[method]output-stream.blocking-write-and-flush" in functions
    status = doc.findChild(QLabel, "traceStatus").text()
    assert status.startswith(f"{result.trace_calls} calls, 0 denied")


def test_component_run_lists_the_files_it_wrote(qtbot, window, tmp_path: Path) -> None:
    component = tmp_path / "probe.wasm"
    component.write_bytes(probe(3))
    data = tmp_path / "data"
    data.mkdir()
    doc = opened(qtbot, window, component)
    doc.context.set_config(RunConfig(trace=True, preopens=[Preopen(str(data), "/data")], denied=["random"]))
    result = run_from_toolbar(qtbot, window, doc)
    assert result.exit_code == 3 and (data / "out.txt").read_text() == "written by probe\n"
    show_trace(doc)
    changes = doc.findChild(QListWidget, "fsChangesList")
    qtbot.waitUntil(lambda: changes.count() > 0, timeout=5000)
    assert any("/data/out.txt" in changes.item(i).text() for i in range(changes.count()))
    explanations = doc.findChild(QPlainTextEdit, "traceExplanations").toPlainText()
    assert "get-random-bytes denied: random switched off" in explanations
    assert "1 denied" in doc.findChild(QLabel, "traceStatus").text()


def test_what_cannot_be_traced_is_said_in_the_tab(qtbot, window, tmp_path: Path) -> None:
    from test_component_trace_programs import with_record_export

    component = tmp_path / "exports-a-record.wasm"
    component.write_bytes(with_record_export())
    doc = opened(qtbot, window, component)
    doc.context.set_config(RunConfig(trace=True))
    result = run_from_toolbar(qtbot, window, doc)
    assert result.exit_code == 0 and result.trace_calls is None
    show_trace(doc)
    status = doc.findChild(QLabel, "traceStatus").text()
    assert status.startswith("this component runs untraced: its trace interposer does not compile")
    assert "runs untraced" in doc.findChild(QPlainTextEdit, "traceExplanations").toPlainText()
