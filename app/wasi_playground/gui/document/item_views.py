"""Readable lists and tables: long names elided in the middle (a mangled C++ or Rust name differs at both
ends), the whole text as a tooltip when a cell has none of its own, columns sized to their content, and
compact rows so a list shows at least 20 of them on a 1366x768 screen.

`make_readable(view)` applies all of it to any QAbstractItemView; widgets call it once after creating the
view (with its model set). Columns are fitted once per reset or insertion of rows, on the first FIT_ROWS
rows, not by Qt's ResizeToContents mode: that one measures again on every layout, and each cell it
measures is a dozen calls into a Python model (tens of milliseconds on the GUI thread each time).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListView, QTableView, QToolTip, QTreeView

ROW_PADDING_PX = 4
"""Row height = one line of text plus this: denser than the style's default, still easy to click."""
FIT_ROWS = 50
"""Rows measured when columns are fitted: about a screenful. Each is a few calls into a Python model, and
beside a worker busy in Python each call waits for the GIL (100 rows of the Functions view: 75 ms)."""
FIT_DELAY_MS = 16
"""A fit waits a frame: with no delay it ran in the same event-loop pass as the work that changed the
rows and the paint after it, and the three together stalled the window."""
MEASURED_TEXTS = 4
"""Per column, only the longest few texts are measured: shaping text is the costly part of a fit, and
the longest by characters is nearly always the widest."""
CELL_PADDING_PX = 16
MAX_FITTED_PX = 480
"""A fitted column never takes more than this; longer names are elided in the middle."""


class FullTextToolTips(QObject):
    """Shows a cell's whole display text as its tooltip when the model gives it no tooltip of its own.
    Like ColumnFitter it keeps no Python reference to its view (its Qt parent): a wrapper cycle between
    the two, collected after the view was gone, crashed the process in a later paint."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        view = self.parent()
        if not isinstance(view, QAbstractItemView):
            return False
        index = view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None or str(text) == "":
            QToolTip.hideText()
            return True
        QToolTip.showText(event.globalPos(), str(text), view.viewport())
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
            _size_columns(view, view.horizontalHeader(), stretch_column)
    elif isinstance(view, QTreeView):
        view.setUniformRowHeights(True)
        if size_columns:
            _size_columns(view, view.header(), stretch_column)
    elif isinstance(view, QListView):
        view.setUniformItemSizes(True)


def _size_columns(view: QTableView | QTreeView, header: QHeaderView, stretch_column: int | None) -> None:
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    ColumnFitter(view, stretch_column)


class ColumnFitter(QObject):
    """Fits the columns to their content a frame after the model resets or gains rows. It keeps no
    Python reference to its view (its Qt parent) and listens with its own method, so when the view goes,
    every connection and pending fit goes with it."""

    def __init__(self, view: QTableView | QTreeView, stretch_column: int | None) -> None:
        super().__init__(view)
        self.stretch_column = stretch_column
        self._scheduled = False
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self.fit_soon)
            self.fit_soon()

    def fit_soon(self, *_: object) -> None:
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(FIT_DELAY_MS, self, self.fit)

    def fit(self) -> None:
        self._scheduled = False
        view = self.parent()
        model = view.model() if isinstance(view, QTableView | QTreeView) else None
        if model is None:
            return
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        rows = min(FIT_ROWS, model.rowCount())
        metrics, header_metrics = view.fontMetrics(), header.fontMetrics()
        last = model.columnCount() - 1
        for column in range(model.columnCount()):
            if column == self.stretch_column or (self.stretch_column is None and column == last):
                continue
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = header_metrics.horizontalAdvance(title) + CELL_PADDING_PX  # room for the sort arrow
            texts = {str((model.display_text(row, column) if isinstance(model, OneCallPerCell)
                          else model.index(row, column).data()) or "") for row in range(rows)}
            for text in sorted(texts, key=len)[-MEASURED_TEXTS:]:
                widest = max(widest, metrics.horizontalAdvance(text))
            indent = view.indentation() if isinstance(view, QTreeView) and column == 0 else 0
            header.resizeSection(column, min(widest + CELL_PADDING_PX + indent, MAX_FITTED_PX))


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TEXT_ROLES = frozenset(int(role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                              Qt.ItemDataRole.TextAlignmentRole))
"""What most readable tables answer: their text, a tooltip and an alignment."""


class _Cell:
    """What a flat model's `data()` reads of a valid index, for calls that stay in Python."""

    __slots__ = ("_row", "_column")

    def __init__(self, row: int, column: int) -> None:
        self._row, self._column = row, column

    def row(self) -> int:
        return self._row

    def column(self) -> int:
        return self._column

    def isValid(self) -> bool:  # noqa: N802 (QModelIndex's name)
        return True


class OneCallPerCell:
    """Mixed into a Python item model (before the Qt base class): a view gets all the roles of a cell in
    one call into Python (`multiData`) instead of one per role. Each call from Qt into Python takes the
    GIL; while a worker runs Python, each take can wait for a switch interval, and a paint asks for
    hundreds of cells. Measured on a 130-cell table beside one busy worker: 42 ms per paint, 18 with it.
    """

    def display_text(self, row: int, column: int) -> Any:
        """A cell's text straight from Python, for Python callers (fitting columns): through Qt it would
        be three calls back into Python."""
        return self.data(_Cell(row, column), _DISPLAY)  # type: ignore[attr-defined]

    answered_roles: frozenset[int] | None = None
    """The roles `data()` can answer, when a model names them: a view asks each cell for seven roles per
    paint, and the others are cleared without a call (the function list's paint, with its row texts
    cached as well: 26.6 ms before, 19.2 after)."""

    def multiData(self, index: Any, roleDataSpan: Any) -> None:  # noqa: N802, N803 (Qt signature)
        data = self.data  # type: ignore[attr-defined]
        answered = self.answered_roles
        for role_data in roleDataSpan:
            role = role_data.role()
            value = data(index, role) if answered is None or role in answered else None
            if value is None:
                role_data.clearData()  # the view reuses its role slots from cell to cell
            else:
                role_data.setData(value)


def visible_rows(view: QAbstractItemView) -> int:
    """How many whole rows the view shows at its current size (for tests and layout checks)."""
    model = view.model()
    if model is None or model.rowCount() == 0:
        return 0
    height = view.visualRect(model.index(0, 0)).height() or view.sizeHintForRow(0)
    return view.viewport().height() // max(1, height)
