"""Readable lists: names elided in the middle, the whole name as tooltip, columns sized to content, and
at least 20 rows in a list of ordinary height."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QHeaderView, QListWidget, QTableView, QToolTip

from wasi_playground.gui.document.item_views import make_readable, visible_rows

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")
LONG = "_ZN4core3fmt9Formatter12pad_integral17h0123456789abcdefE_and_then_some_more_words_end"


def table(qtbot, rows: int = 100) -> QTableView:
    model = QStandardItemModel(rows, 3)
    for r in range(rows):
        model.setItem(r, 0, QStandardItem(str(r)))
        model.setItem(r, 1, QStandardItem(LONG if r == 0 else f"func_{r}"))
        model.setItem(r, 2, QStandardItem("1,234"))
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.model_ = model
    make_readable(view, stretch_column=1)
    view.resize(420, 560)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_long_names_are_elided_in_the_middle(qtbot):
    view = table(qtbot)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    header = view.horizontalHeader()
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch
    qtbot.waitUntil(lambda: header.sectionSize(0) < 80)  # fitted in the turn after the rows arrive
    assert header.sectionSize(1) > 200
    assert header.sectionSize(2) >= view.fontMetrics().horizontalAdvance("1,234")


def test_columns_fit_their_content_again_when_the_rows_change(qtbot):
    view = table(qtbot)
    header, model = view.horizontalHeader(), view.model_
    qtbot.waitUntil(lambda: header.sectionSize(0) < 80)
    model.insertRow(0, [QStandardItem("a much wider first cell"), QStandardItem("x"), QStandardItem("1")])
    wide = view.fontMetrics().horizontalAdvance("a much wider first cell")
    qtbot.waitUntil(lambda: header.sectionSize(0) >= wide)


def test_a_list_of_ordinary_height_shows_at_least_20_rows(qtbot):
    view = table(qtbot)
    assert visible_rows(view) >= 20


def test_the_whole_name_is_the_tooltip(qtbot):
    view = table(qtbot)
    pos = view.visualRect(view.model_.index(0, 1)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: QToolTip.text() == LONG, timeout=2000)
    QToolTip.hideText()


def test_a_models_own_tooltip_wins(qtbot):
    view = table(qtbot)
    view.model_.item(0, 1).setToolTip("own tip")
    pos = view.visualRect(view.model_.index(0, 1)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: QToolTip.text() == "own tip", timeout=2000)
    QToolTip.hideText()


def test_lists_get_the_same(qtbot):
    view = QListWidget()
    qtbot.addWidget(view)
    view.addItems([LONG] + [f"item {i}" for i in range(40)])
    make_readable(view)
    view.resize(200, 560)
    view.show()
    qtbot.waitExposed(view)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle and view.uniformItemSizes()
    assert visible_rows(view) >= 20
    assert visible_rows(QListWidget()) == 0


def test_a_python_model_answers_every_role_of_a_cell_in_one_call(qtbot):
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan
    from wasmtime import wat2wasm

    from wasi_playground.core.lookinside.functions import FunctionTable
    from wasi_playground.gui.lookinside.functions_model import FunctionsModel

    model = FunctionsModel()
    model.set_table(FunctionTable.from_bytes(wat2wasm("(module (func $main))")))
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    alignment = QModelRoleData(Qt.ItemDataRole.TextAlignmentRole)
    model.multiData(model.index(0, 0), QModelRoleDataSpan(alignment))  # the index column is right-aligned
    assert alignment.data() == right
    # A view reuses its role slots from cell to cell: the name column has no alignment of its own.
    model.multiData(model.index(0, 1), QModelRoleDataSpan(alignment))
    assert alignment.data() is None
    display = QModelRoleData(Qt.ItemDataRole.DisplayRole)
    model.multiData(model.index(0, 1), QModelRoleDataSpan(display))
    assert display.data() == "main"


def test_a_paint_asks_python_only_for_the_roles_a_model_answers(qtbot):
    """A view asks each cell for seven roles; a model that names its roles gets called for those alone,
    and the cells still paint their text and alignment."""
    from wasmtime import wat2wasm

    from wasi_playground.core.lookinside.functions import FunctionTable
    from wasi_playground.gui.lookinside.functions_model import FunctionsModel

    asked: list[int] = []

    class CountingModel(FunctionsModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            asked.append(int(role))
            return super().data(index, role)

    model = CountingModel()
    model.set_table(FunctionTable.from_bytes(wat2wasm("(module (func $main) (func $other))")))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 200)
    view.show()
    qtbot.waitExposed(view)
    asked.clear()
    view.viewport().update()
    qtbot.waitUntil(lambda: bool(asked))
    cells = model.rowCount() * model.columnCount()
    assert set(asked) <= {int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.TextAlignmentRole)}
    assert cells <= len(asked) <= 2 * cells
    assert model.display_text(1, 1) == model.index(1, 1).data() == "other"
