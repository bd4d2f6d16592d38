"""The Trace tab and the capability switches, driven with real runs through the run controller."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.trace import TraceEvent
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panels import PANELS
from wasi_playground.gui.document.run_controller import RunController
from wasi_playground.gui.inspector.capabilities import CapabilitiesPanel
from wasi_playground.gui.outcome.trace_view import TracePanel

PROGRAM = """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\\20\\00\\00\\00\\03\\00\\00\\00")
  (data (i32.const 32) "hi\\n")
  (func (export "_start") (local $i i32)
    (loop $l
      (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 64)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3000))))
    (drop (call $random (i32.const 128) (i32.const 16)))
    (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 100)))))
"""


def _run(qtbot, panel: TracePanel, context: DocumentContext, path: Path, config: RunConfig):
    controller = RunController(context.background)
    controller.started.connect(context.runStarted)
    controller.traceEvents.connect(context.traceEvents)
    context.config = config
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        assert controller.start(path, config)
    context.runFinished.emit(blocker.args[0])
    return blocker.args[0]


@pytest.fixture
def panel(qtbot, tmp_path: Path):
    context = DocumentContext(tmp_path / "m.wasm")
    widget = TracePanel(context)
    qtbot.addWidget(widget)
    return widget, context


def test_trace_fills_and_filters(qtbot, panel, wat) -> None:
    widget, context = panel
    path = wat(PROGRAM)
    result = _run(qtbot, widget, context, path, RunConfig(trace=True))
    assert result.stdout == "hi\n"
    assert widget.objectName() == "traceView"
    assert widget.model.rowCount() == 3002 == result.trace_calls
    assert widget.proxy.rowCount() == 3002
    widget.functionCombo.setCurrentText("fd_write")
    assert widget.proxy.rowCount() == 1
    row = widget.proxy.index(0, 2).data()
    assert "1 (stdout)" in row and "3 bytes" in row
    widget.functionCombo.setCurrentIndex(0)
    widget.groupCombo.setCurrentText("random")
    assert widget.proxy.rowCount() == 1
    widget.groupCombo.setCurrentIndex(0)
    widget.searchEdit.setText("clock_time")
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 3000, timeout=3000)
    widget.searchEdit.setText("")
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 3002, timeout=3000)
    assert "clock_time_get: 3,000" in widget.summary.toPlainText()
    assert "ESUCCESS: 3,002" in widget.summary.toPlainText()


def test_denied_capability_is_visible(qtbot, panel, wat) -> None:
    widget, context = panel
    path = wat(PROGRAM)
    caps = CapabilitiesPanel(context)
    qtbot.addWidget(caps)
    changes: list[int] = []
    context.configChanged.connect(lambda: changes.append(1))
    caps.switches["random"].setChecked(False)
    assert context.config.denied == ["random"] and changes
    config = RunConfig(trace=True, denied=list(context.config.denied))
    _run(qtbot, widget, context, path, config)
    widget.deniedBox.setChecked(True)
    assert widget.proxy.rowCount() == 1
    assert widget.proxy.index(0, 1).data() == "random_get"
    assert widget.proxy.index(0, 3).data() == "denied (ENOTCAPABLE)"
    assert widget.proxy.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "random_get denied: random switched off" in widget.explanations.toPlainText()
    assert "1 denied" in widget.status.text()
    caps.switches["random"].setChecked(True)
    assert context.config.denied == []


def test_capabilities_follow_config_changes(qtbot, tmp_path: Path) -> None:
    context = DocumentContext(tmp_path / "m.wasm")
    caps = CapabilitiesPanel(context)
    qtbot.addWidget(caps)
    context.set_config(RunConfig(denied=["clocks", "stdio"]))
    assert not caps.switches["clocks"].isChecked() and not caps.switches["stdio"].isChecked()
    assert caps.switches["filesystem"].isChecked()


def test_many_rows_append_in_batches(qtbot, panel) -> None:
    widget, _ = panel
    batch = [TraceEvent(i + 1, "sched_yield", "process", (), 0, 10) for i in range(5000)]
    for _ in range(20):
        widget.on_events(batch)
    assert widget.model.rowCount() == 100_000 == widget.proxy.rowCount()
    widget.deniedBox.setChecked(True)
    assert widget.proxy.rowCount() == 0


def test_panels_are_registered() -> None:
    assert ("Trace", "wasi_playground.gui.outcome.trace_view:TracePanel") in PANELS
    assert ("Capabilities", "wasi_playground.gui.inspector.capabilities:CapabilitiesPanel") in PANELS


def test_component_calls_fill_the_trace_with_filters_and_denials(qtbot, panel) -> None:
    from wasi_playground.core.samples import get_sample

    widget, context = panel
    sample = get_sample("hello-component")
    result = _run(qtbot, widget, context, sample.wasm_path, RunConfig(trace=True))
    assert result.stdout == "Hello from a WASI 0.2 component!\n"
    assert widget.model.rowCount() == result.trace_calls > 0
    stdout = "wasi:cli/stdout@0.2.12#get-stdout"
    assert stdout in [widget.functionCombo.itemText(i) for i in range(widget.functionCombo.count())]
    widget.functionCombo.setCurrentText(stdout)
    assert widget.proxy.rowCount() == 1
    assert widget.proxy.index(0, 3).data().startswith("output-stream#")
    assert widget.proxy.index(0, 6).data() == "stdio"
    widget.functionCombo.setCurrentIndex(0)
    widget.searchEdit.setText("get-stdout")
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 1, timeout=3000)
    widget.searchEdit.setText("")
    assert "ok: " in widget.summary.toPlainText()
    assert "handle numbers" in widget.explanations.toPlainText()

    result = _run(qtbot, widget, context, sample.wasm_path, RunConfig(trace=True, denied=["stdio"]))
    assert result.stdout == ""
    widget.resultCombo.setCurrentText("err(closed)")
    refused = widget.proxy.rowCount()
    assert 0 < refused < widget.model.rowCount()
    widget.resultCombo.setCurrentIndex(0)
    widget.deniedBox.setChecked(True)
    shown = [widget.proxy.index(row, 3).data() for row in range(widget.proxy.rowCount())]
    assert shown.count("denied (err(closed))") == refused
    assert "denied (none)" in shown  # get-terminal-stdout has no error channel: it answers none
    assert "stdio switched off" in widget.explanations.toPlainText()
