"""Readable lists and tables: long names elided in the middle (a mangled C++ or Rust name differs at both
ends), the whole text as a tooltip when a cell has none of its own, columns sized to their content, and
compact rows so a list shows at least 20 of them on a 1366x768 screen.

`make_readable(view)` applies all of it to any QAbstractItemView; widgets call it once after creating the
view. Sizing to content reads only the visible rows, so it stays cheap on a model with 90,000 of them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListView, QTableView, QToolTip, QTreeView

ROW_PADDING_PX = 4
"""Row height = one line of text plus this: denser than the style's default, still easy to click."""


class FullTextToolTips(QObject):
    """Shows a cell's whole display text as its tooltip when the model gives it no tooltip of its own."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        index = self.view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None or str(text) == "":
            QToolTip.hideText()
            return True
        QToolTip.showText(event.globalPos(), str(text), self.view.viewport())
        return True


def make_readable(view: QAbstractItemView, stretch_column: int | None = None,
                  size_columns: bool = True) -> None:
    """Elide in the middle, tooltips with the whole text, compact rows; for tables, columns sized to
    their content with `stretch_column` (default: the last) taking the room that is left. A view whose
    rows stream in by the thousand (the trace) keeps its set widths: `size_columns=False`."""
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    filter_ = FullTextToolTips(view)
    view.viewport().installEventFilter(filter_)
    row_height = view.fontMetrics().height() + ROW_PADDING_PX
    if isinstance(view, QTableView):
        view.verticalHeader().setDefaultSectionSize(row_height)
        view.verticalHeader().setMinimumSectionSize(row_height)
        if size_columns:
            _size_columns(view.horizontalHeader(), stretch_column)
    elif isinstance(view, QTreeView):
        view.setUniformRowHeights(True)
        if size_columns:
            _size_columns(view.header(), stretch_column)
    elif isinstance(view, QListView):
        view.setUniformItemSizes(True)


def _size_columns(header: QHeaderView, stretch_column: int | None) -> None:
    """Every column fits its content (judged on the rows in view: each row measured is a dozen calls
    into the Python model), the stretching one takes what is left."""
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    header.setResizeContentsPrecision(0)


def visible_rows(view: QAbstractItemView) -> int:
    """How many whole rows the view shows at its current size (for tests and layout checks)."""
    model = view.model()
    if model is None or model.rowCount() == 0:
        return 0
    height = view.visualRect(model.index(0, 0)).height() or view.sizeHintForRow(0)
    return view.viewport().height() // max(1, height)
