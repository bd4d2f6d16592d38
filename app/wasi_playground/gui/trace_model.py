"""The trace as a Qt table: appended in batches, stored as columns, filtered without decoding.

A million calls must stay responsive, so each batch is one `beginInsertRows`, the filterable facts
(function, group, errno, denied) live in compact arrays, and the human-readable arguments are decoded
only for the rows the view actually paints.
"""

from __future__ import annotations

from array import array
from collections import Counter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from wasi_playground.core.config import CAPABILITY_GROUPS
from wasi_playground.core.trace import TraceEvent

COLUMNS = ("#", "Function", "Arguments", "Result", "Bytes", "µs", "Group")
_Index = QModelIndex | QPersistentModelIndex


class TraceModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.clear_rows(reset=False)

    def clear_rows(self, reset: bool = True) -> None:
        if reset:
            self.beginResetModel()
        self.events: list[TraceEvent] = []
        self.func_ids = array("H")
        self.group_ids = array("B")
        self.errnos = array("H")
        self.denied = array("B")
        self.func_names: list[str] = []
        self._func_index: dict[str, int] = {}
        self.per_function: Counter[str] = Counter()
        self.per_result: Counter[str] = Counter()
        self.denied_count = 0
        if reset:
            self.endResetModel()

    def func_id(self, name: str) -> int:
        fid = self._func_index.get(name)
        if fid is None:
            fid = self._func_index[name] = len(self.func_names)
            self.func_names.append(name)
        return fid

    def append_events(self, batch: list[TraceEvent]) -> None:
        if not batch:
            return
        first = len(self.events)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        groups = {g: i for i, g in enumerate(CAPABILITY_GROUPS)}
        for e in batch:
            self.events.append(e)
            self.func_ids.append(self.func_id(e.func))
            self.group_ids.append(groups.get(e.group, 255))
            self.errnos.append(e.errno & 0xFFFF)
            self.denied.append(1 if e.denied else 0)
            self.per_function[e.func] += 1
            self.per_result[e.result] += 1
            self.denied_count += e.denied
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.events[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return e.seq
            if col == 1:
                return e.func
            if col == 2:
                return e.args_text()
            if col == 3:
                return "denied (ENOTCAPABLE)" if e.denied else e.result
            if col == 4:
                return "" if e.bytes_moved is None else e.bytes_moved
            if col == 5:
                return round(e.duration_ns / 1000, 1)
            return e.group
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.summary()
        if role == Qt.ItemDataRole.ForegroundRole and (e.denied or e.errno):
            return QBrush(QColor("#c62828") if e.denied else QColor("#b26a00"))
        return None


class TraceFilter(QSortFilterProxyModel):
    """Filters on the model's arrays; appended rows are checked one batch at a time by Qt itself."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.function: str | None = None
        self.group: str | None = None
        self.errno: int | None = None
        self.denied_only = False
        self.text = ""
        self.setDynamicSortFilter(True)

    def set_filters(self, function: str | None = None, group: str | None = None, errno: int | None = None,
                    denied_only: bool = False, text: str = "") -> None:
        self.beginFilterChange()
        self.function, self.group, self.errno = function, group, errno
        self.denied_only, self.text = denied_only, text.strip().lower()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        m = self.sourceModel()
        if not isinstance(m, TraceModel):
            return True
        if self.function is not None and m.func_names[m.func_ids[row]] != self.function:
            return False
        if self.group is not None and m.group_ids[row] != CAPABILITY_GROUPS.index(self.group):
            return False
        if self.errno is not None and m.errnos[row] != self.errno:
            return False
        if self.denied_only and not m.denied[row]:
            return False
        if self.text:
            e = m.events[row]
            haystack = " ".join([e.func, e.result, *e.fds.values(), *(p for p in e.paths if p)]).lower()
            return self.text in haystack
        return True
