"""Small pieces the look-inside panels share: a list-backed table model, a table view, and `run_for`.

`run_for` is `run_task` for a widget: a result that arrives after the widget was deleted (the document was
closed while a 100 MB module was still being read) is dropped instead of touching a dead C++ object.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from wasi_playground.gui.tasks import run_task, tasks

AnyIndex = QModelIndex | QPersistentModelIndex


_pending: dict[int, tuple[QObject, Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
_token_of_key: dict[str, int] = {}
_tokens = itertools.count()


def run_for(owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, key: str | None = None) -> int:
    """Run `fn` off the GUI thread; deliver to `on_done`/`on_error` only while `owner` still exists.

    The callbacks (which hold the widget) stay in a GUI-thread table; the worker only ever holds a token.
    Otherwise the worker could drop the last reference to a closed panel, and a QWidget destroyed on a
    worker thread crashes the process. `fn` itself must not capture the widget.
    """
    token = next(_tokens)
    _pending[token] = (owner, on_done, on_error)
    if key is not None:
        stale = _token_of_key.pop(key, None)
        if stale is not None:
            _pending.pop(stale, None)
        _token_of_key[key] = token
    return run_task(fn, functools.partial(_deliver, token, key, True), functools.partial(_deliver, token, key, False),
                    key)


def _deliver(token: int, key: str | None, ok: bool, value: Any) -> None:
    entry = _pending.pop(token, None)
    if key is not None and _token_of_key.get(key) == token:
        del _token_of_key[key]
    if entry is None:
        return
    owner, on_done, on_error = entry
    if not shiboken6.isValid(owner):
        return
    if ok:
        on_done(value)
    elif on_error is not None:
        on_error(value)


def drop_pending(key: str) -> None:
    """Make a running task with this key stale (its result will be ignored)."""
    tasks().cancel_key(key)
    stale = _token_of_key.pop(key, None)
    if stale is not None:
        _pending.pop(stale, None)


class RowsModel(QAbstractTableModel):
    """A read-only table over a Python list: one function turns a row object into the column texts."""

    def __init__(self, headers: Sequence[str], cells: Callable[[Any], Sequence[Any]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.cells = cells
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = self.cells(self.items[index.row()])[index.column()]
        return "" if value is None else value


def table_view(model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 4)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view
