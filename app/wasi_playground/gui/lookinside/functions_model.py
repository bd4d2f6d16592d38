"""The item model behind the function list: 90,000 rows, sorted and filtered instantly.

Sorting and filtering happen here on plain Python lists (one key per row, sorted once) rather than in a
QSortFilterProxyModel, whose comparisons would call back into Python millions of times for 90,000 rows.
Cells are computed on demand from the core `FunctionTable` (names demangled when first shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from wasi_playground.core.lookinside.functions import FunctionTable
from wasi_playground.gui.document.item_views import TEXT_ROLES, OneCallPerCell

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("Index", "Name", "Signature", "Body size", "Exported")
CACHED_ROWS = 5_000
"""Rows whose texts are kept once made: a paint asks for each cell again, and a name is demangled."""
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FunctionsModel(OneCallPerCell, QAbstractTableModel):
    """Rows are function indices in display order; `rows` changes with sort and filter."""

    answered_roles = TEXT_ROLES

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: FunctionTable | None = None
        self.rows: list[int] = []
        self._texts: dict[int, tuple[Any, ...]] = {}
        """Function index -> its column texts."""
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def set_table(self, table: FunctionTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._texts = {}
        self.rows = list(range(len(table))) if table is not None else []
        self.endResetModel()
        if self._filter or self._sort[0]:
            self._apply()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        t = self.table
        if t is None or not index.isValid():
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._row_texts(self.rows[index.row()])[col]
        if role == _TOOLTIP and col == 1:
            i = self.rows[index.row()]
            raw, shown = t.name(i), t.display_name(i)
            return shown if raw == shown else f"{shown}\n{raw}"
        if role == _ALIGNMENT and col in (0, 3):
            return _RIGHT
        return None

    def _row_texts(self, i: int) -> tuple[Any, ...]:
        texts = self._texts.get(i)
        if texts is None:
            t = self.table
            assert t is not None
            if len(self._texts) >= CACHED_ROWS:
                self._texts.clear()
            texts = self._texts[i] = (i, t.display_name(i), t.signature(i),
                                      "import" if t.is_imported(i) else t.body_size(i),
                                      ", ".join(t.export_names.get(i, ())))
        return texts

    def function_at(self, row: int) -> int | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, function_index: int) -> int | None:
        try:
            return self.rows.index(function_index)
        except ValueError:
            return None

    def set_filter(self, text: str) -> None:
        self._filter = text.strip()
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()

    def _apply(self) -> None:
        t = self.table
        if t is None:
            return
        rows = _matching(t, self._filter)
        column, order = self._sort
        key = _sort_key(t, column)
        if key is not None:
            rows.sort(key=key)
        if order == Qt.SortOrder.DescendingOrder:
            rows.reverse()
        # A reset, not a layout change: the row count changes with the filter, and persistent indexes
        # (the selection) pointing past the new end would leave the view with dangling rows.
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def _matching(t: FunctionTable, text: str) -> list[int]:
    everything = range(len(t))
    if not text:
        return list(everything)
    if text.startswith("#") and text[1:].isdigit():
        n = int(text[1:])
        return [n] if n < len(t) else []
    needle = text.casefold()
    display, raw = t.display_name, t.name
    return [i for i in everything if needle in display(i).casefold() or needle in raw(i).casefold()]


def _sort_key(t: FunctionTable, column: int) -> Any:
    if column == 1:
        return lambda i: t.display_name(i).casefold()
    if column == 2:
        return t.signature
    if column == 3:
        return lambda i: -1 if t.is_imported(i) else t.body_size(i)
    if column == 4:
        return lambda i: (not t.export_names.get(i), ", ".join(t.export_names.get(i, ())))
    return None
