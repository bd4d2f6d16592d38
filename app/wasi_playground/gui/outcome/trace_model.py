"""The trace as a Qt table: appended in batches, stored as columns, filtered without decoding.

A million calls must stay responsive, so each batch is one `beginInsertRows`, the filterable facts
(function, group, outcome, denied) live in compact arrays, and the human-readable arguments are decoded
only for the rows the view actually paints.
"""

from __future__ import annotations

from array import array
from collections import Counter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.core.trace import TraceEvent
from wasi_playground.gui.document.item_views import OneCallPerCell

COLUMNS = ("#", "Function", "Arguments", "Result", "Bytes", "µs", "Group")
_Index = QModelIndex | QPersistentModelIndex


GROUP_IDS = {g: i for i, g in enumerate(CAPABILITY_GROUPS)}
TRACE_ROLES = frozenset(int(role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                               Qt.ItemDataRole.ForegroundRole))


def _intern(name: str, index: dict[str, int], names: list[str]) -> int:
    """The small number standing for `name` in `names`, given on first sight."""
    number = index.get(name)
    if number is None:
        number = index[name] = len(names)
        names.append(name)
    return number


class TraceModel(OneCallPerCell, QAbstractTableModel):
    answered_roles = TRACE_ROLES

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.clear_rows(reset=False)

    def clear_rows(self, reset: bool = True) -> None:
        if reset:
            self.beginResetModel()
        self.events: list[TraceEvent] = []
        self.func_ids = array("H")
        self.group_ids = array("B")
        self.outcome_ids = array("H")
        self.outcome_names: list[str] = []
        self._outcome_index: dict[str, int] = {}
        self.denied = array("B")
        self.func_names: list[str] = []
        self._func_index: dict[str, int] = {}
        self.per_function: Counter[str] = Counter()
        self.per_result: Counter[str] = Counter()
        self.denied_count = 0
        if reset:
            self.endResetModel()

    def func_id(self, name: str) -> int:
        return _intern(name, self._func_index, self.func_names)

    def outcome_id(self, outcome: str) -> int:
        return _intern(outcome, self._outcome_index, self.outcome_names)

    def append_events(self, batch: list[TraceEvent]) -> None:
        """Column by column, not event by event: a flood's batches of thousands arrive every tick."""
        if not batch:
            return
        first = len(self.events)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        funcs = [e.func for e in batch]
        outcomes = [e.outcome_class for e in batch]
        denied = bytes(1 if e.denied else 0 for e in batch)
        self.events.extend(batch)
        self.func_ids.extend(map(self.func_id, funcs))
        self.group_ids.extend(GROUP_IDS.get(e.group, 255) for e in batch)
        self.outcome_ids.extend(map(self.outcome_id, outcomes))
        self.denied.frombytes(denied)
        self.per_function.update(funcs)
        self.per_result.update(outcomes)
        self.denied_count += denied.count(1)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, col: int, role: int) -> Any:
        e = self.events[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return e.seq
            if col == 1:
                return e.func
            if col == 2:
                return e.args_text()
            if col == 3:
                return f"denied ({e.result})" if e.denied else e.result
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


class TraceFilter(OneCallPerCell, QAbstractTableModel):
    """The visible rows of a `TraceModel` as an array of source rows.

    Not a QSortFilterProxyModel: that calls a Python predicate per row, seconds for a million rows on
    every filter change. Here a filter change is a few list comprehensions over the model's compact
    arrays, and appended rows are filtered one batch at a time."""

    answered_roles = TRACE_ROLES

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.function: str | None = None
        self.group: str | None = None
        self.outcome: str | None = None
        self.denied_only = False
        self.text = ""
        self._source: TraceModel | None = None
        self._rows: array | None = None
        """Source rows shown, or None for all of them (then `_count` says how many are announced)."""
        self._count = 0

    def setSourceModel(self, model: TraceModel) -> None:
        self._source = model
        model.rowsInserted.connect(self._on_inserted)
        model.modelReset.connect(self._refilter)
        self._refilter()

    def sourceModel(self) -> TraceModel | None:
        return self._source

    def set_filters(
        self,
        function: str | None = None,
        group: str | None = None,
        outcome: str | None = None,
        denied_only: bool = False,
        text: str = "",
    ) -> None:
        """`outcome` is an `outcome_class` of the events (`ENOENT`, `err(no-entry)`)."""
        self.function, self.group, self.outcome = function, group, outcome
        self.denied_only, self.text = denied_only, text.strip().lower()
        self._refilter()

    def _active(self) -> bool:
        return (
            self.function is not None
            or self.group is not None
            or self.outcome is not None
            or self.denied_only
            or bool(self.text)
        )

    def _matching(self, start: int, end: int) -> list[int]:
        m = self._source
        assert m is not None
        rows: Any = range(start, end)
        if self.function is not None:
            fid = m._func_index.get(self.function)
            ids = m.func_ids
            rows = [] if fid is None else [i for i in rows if ids[i] == fid]
        if self.group is not None:
            gid, groups = CAPABILITY_GROUPS.index(self.group), m.group_ids
            rows = [i for i in rows if groups[i] == gid]
        if self.outcome is not None:
            oid, outcomes = m._outcome_index.get(self.outcome), m.outcome_ids
            rows = [] if oid is None else [i for i in rows if outcomes[i] == oid]
        if self.denied_only:
            denied = m.denied
            rows = [i for i in rows if denied[i]]
        if self.text:
            text, events = self.text, m.events
            rows = [i for i in rows if text in _haystack(events[i])]
        return list(rows)

    def _refilter(self) -> None:
        self.beginResetModel()
        total = len(self._source.events) if self._source is not None else 0
        self._rows = array("I", self._matching(0, total)) if self._active() else None
        self._count = total
        self.endResetModel()

    def _on_inserted(self, _parent: Any, first: int, last: int) -> None:
        if self._rows is None:
            self.beginInsertRows(QModelIndex(), self._count, last)
            self._count = last + 1
            self.endInsertRows()
            return
        new = self._matching(first, last + 1)
        if new:
            n = len(self._rows)
            self.beginInsertRows(QModelIndex(), n, n + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def source_row(self, row: int) -> int:
        return row if self._rows is None else self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self._count if self._rows is None else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self._source.headerData(section, orientation, role) if self._source is not None else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._source is None:
            return None
        return self._source.cell(self.source_row(index.row()), index.column(), role)


def _haystack(e: TraceEvent) -> str:
    return " ".join([e.func, e.result, *e.fds.values(), *(p for p in e.paths if p)]).lower()
