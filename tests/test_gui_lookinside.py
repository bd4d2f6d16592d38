"""Look-inside panels with real widgets: the function list, the WAT view and its navigation, data strings,
the size bars, debug info and validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from lookinside_programs import build_program
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.lookinside.data_view import DataPanel
from wasi_playground.gui.lookinside.debug_view import DebugPanel
from wasi_playground.gui.lookinside.functions_view import FunctionsPanel
from wasi_playground.gui.lookinside.size_view import SizePanel
from wasi_playground.gui.lookinside.validation_view import ValidationPanel

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen platform

MODULE = r"""
(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (data (i32.const 64) "a string to find in the data tab\00")
  (func $leaf (param $v i32) (result i32)
    local.get $v
    i32.const 2
    i32.mul)
  (func $middle (export "middle") (param i32) (result i32)
    block $exit
      local.get 0
      br_if $exit
    end
    local.get 0
    call $leaf)
  (func $top (export "top") (result i32)
    i32.const 5
    call $middle)
)
"""


def _open(qtbot, cls, path: Path):
    context = DocumentContext(path)
    panel = cls(context)
    qtbot.addWidget(panel)
    panel.show()
    context.set_report(None)
    return panel


def _wait_function(qtbot, panel: FunctionsPanel, index: int) -> None:
    qtbot.waitUntil(lambda: panel.wat_view.function is not None and panel.wat_view.function.index == index,
                    timeout=10000)


def _click_text(qtbot, view, position: int) -> None:
    cursor = view.textCursor()
    cursor.setPosition(position + 1)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))


def test_function_list_rows_sort_and_filter(qtbot, wat) -> None:
    panel = _open(qtbot, FunctionsPanel, wat(MODULE))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10000)
    model = panel.model
    assert [model.index(r, 1).data() for r in range(4)] == ["log", "leaf", "middle", "top"]
    assert model.index(0, 3).data() == "import"
    assert model.index(2, 4).data() == "middle"
    assert model.index(1, 2).data() == "(i32) -> (i32)"
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 1).data() for r in range(4)] == ["top", "middle", "log", "leaf"]
    panel.filter_edit.setText("MID")
    assert model.rowCount() == 1 and model.index(0, 1).data() == "middle"
    assert "1 of 4" in panel.count_label.text()
    panel.filter_edit.setText("#3")
    assert model.rowCount() == 1 and model.index(0, 0).data() == 3


def test_selecting_a_row_shows_its_wat(qtbot, wat) -> None:
    panel = _open(qtbot, FunctionsPanel, wat(MODULE))
    _wait_function(qtbot, panel, 1)
    panel.view.selectRow(3)
    _wait_function(qtbot, panel, 3)
    view = panel.findChild(type(panel.wat_view), "watView")
    assert view is panel.wat_view
    assert view.toPlainText().startswith("(func $top (;3;)")
    assert "call $middle" in view.toPlainText()


def test_click_a_call_shows_the_callee_and_back_returns(qtbot, wat) -> None:
    panel = _open(qtbot, FunctionsPanel, wat(MODULE))
    _wait_function(qtbot, panel, 1)
    panel.show_function(3)
    _wait_function(qtbot, panel, 3)
    view = panel.wat_view
    _click_text(qtbot, view, view.link_position("func", 2))
    _wait_function(qtbot, panel, 2)
    assert view.toPlainText().startswith("(func $middle (;2;)")
    assert panel.view.currentIndex().row() == 2
    _click_text(qtbot, view, view.link_position("func", 1))
    _wait_function(qtbot, panel, 1)
    assert panel.back_button.isEnabled() and not panel.forward_button.isEnabled()
    panel.back_button.click()
    _wait_function(qtbot, panel, 2)
    panel.back_button.click()
    _wait_function(qtbot, panel, 3)
    assert panel.forward_button.isEnabled()
    panel.forward_button.click()
    _wait_function(qtbot, panel, 2)


def test_click_a_branch_moves_to_the_block(qtbot, wat) -> None:
    panel = _open(qtbot, FunctionsPanel, wat(MODULE))
    _wait_function(qtbot, panel, 1)
    panel.show_function(2)
    _wait_function(qtbot, panel, 2)
    view = panel.wat_view
    label_link = next(link for link in view.function.links if link.kind == "label")
    view.moveCursor(view.textCursor().MoveOperation.End)
    _click_text(qtbot, view, label_link.start)
    assert view.textCursor().blockNumber() == label_link.target
    assert view.textCursor().block().text().strip().startswith("block $label0")


def test_component_has_no_function_list(qtbot) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    component = samples / "hello-component" / "hello-component.wasm"
    if not component.exists():
        pytest.skip("hello-component sample not built")
    from wasi_playground.core.inspect.report import inspect_path

    context = DocumentContext(component)
    panel = FunctionsPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    context.set_report(inspect_path(component))
    qtbot.waitUntil(lambda: "component" in panel.count_label.text())


def test_data_panel_strings_search_and_hex(qtbot, wat) -> None:
    panel = _open(qtbot, DataPanel, wat(MODULE))
    qtbot.waitUntil(lambda: panel.scan is not None, timeout=10000)
    assert panel.segments_model.rowCount() == 1
    qtbot.waitUntil(lambda: "61 20 73 74 72 69 6e 67" in panel.hex_view.toPlainText())  # dumped on a worker
    panel.search.setText("FIND IN")
    assert panel.strings_model.rowCount() == 1
    assert panel.strings_model.index(0, 3).data() == "a string to find in the data tab"
    assert panel.strings_model.index(0, 0).data() == "0x40"
    panel.search.setText("no such text")
    assert panel.strings_model.rowCount() == 0


def test_size_panel_bars_and_tables(qtbot, wat) -> None:
    panel = _open(qtbot, SizePanel, wat(MODULE))
    qtbot.waitUntil(lambda: panel.report is not None, timeout=10000)
    names = [row[0] for row in panel.bars.rows()]
    assert "code" in names and "data" in names and "names" in names
    assert panel.sections_model.rowCount() == len(panel.report.sections)
    assert panel.functions_model.index(0, 1).data() in ("middle", "leaf", "top")
    panel.bars.grab()  # paints without warnings


@pytest.fixture(scope="module")
def program_debug(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory, debug=True)


def test_debug_panel_lists_source_files(qtbot, program_debug: Path) -> None:
    panel = _open(qtbot, DebugPanel, program_debug)
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=20000)
    panel.filter.setText("lookinside-program.c")
    assert panel.files_model.rowCount() == 1
    names = [panel.functions_model.index(r, 1).data() for r in range(panel.functions_model.rowCount())]
    assert "sum_squares" in names


def test_debug_panel_without_dwarf(qtbot, wat) -> None:
    panel = _open(qtbot, DebugPanel, wat(MODULE))
    qtbot.waitUntil(lambda: "No DWARF" in panel.status.text(), timeout=10000)


def test_validation_panel_reports_function(qtbot, wat) -> None:
    bad = wat("(module (func $ok) (func $wrong (result i32) i64.const 1))")
    panel = _open(qtbot, ValidationPanel, bad)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20000)
    assert "Invalid" in panel.verdict.text()
    assert "in function 1 — wrong" in panel.details.text()
    qtbot.waitUntil(panel.wat_view.isVisible, timeout=10000)
    assert panel.wat_view.objectName() == "validationWatView"
    assert panel.wat_view.textCursor().selectedText().strip() == "i64.const 1"
    good = _open(qtbot, ValidationPanel, wat(MODULE))
    qtbot.waitUntil(lambda: good.result is not None, timeout=20000)
    assert good.verdict.text().startswith("✔ Valid")


def test_wat_is_highlighted_short_at_once_long_afterwards(qtbot, wat) -> None:
    long_body = "i32.const 1\ndrop\n" * 2000
    panel = _open(
        qtbot, FunctionsPanel, wat(f"(module (func $short i32.const 7 drop) (func $long {long_body}))")
    )
    _wait_function(qtbot, panel, 0)
    view = panel.wat_view
    assert view.highlighter.has_spans()
    assert view.document().findBlockByNumber(1).layout().formats()
    panel.show_function(1)
    _wait_function(qtbot, panel, 1)
    # The short function's spans are already there: wait for the long one's, deep in the text.
    qtbot.waitUntil(lambda: bool(view.document().findBlockByNumber(3000).layout().formats()), timeout=10000)


def test_export_wat_from_the_panel(qtbot, wat, tmp_path: Path) -> None:
    context = DocumentContext(wat(MODULE))
    panel = FunctionsPanel(context)
    qtbot.addWidget(panel)
    messages: list[tuple[str, str]] = []
    context.message.connect(lambda text, level: messages.append((text, level)))
    target = tmp_path / "exported.wat"
    panel.export_wat(target)
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    assert "WAT written" in messages[0][0] and messages[0][1] == "info"
    panel.export_wat(tmp_path / "no-such-folder" / "x.wat")
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=20000)
    assert messages[1][0].startswith("WAT export:") and messages[1][1] == "error"
    assert "(func $middle" in target.read_text()
