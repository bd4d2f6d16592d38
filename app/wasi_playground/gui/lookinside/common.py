"""Small pieces the look-inside panels share: a list-backed table model, a table view, `run_for`, and
`LazyPanel`, the base that reads the module only when the panel is seen.

`run_for` is `run_task` on behalf of a widget (see `gui/background.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wasi_playground.gui.background import run_task
from wasi_playground.gui.document.context import DocumentContext

AnyIndex = QModelIndex | QPersistentModelIndex


def run_for(owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, key: str | None = None) -> int:
    """`run_task` on behalf of `owner`: nothing is delivered once that widget is gone."""
    return run_task(fn, on_done, on_error, key, owner)


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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
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


class LazyPanel(QWidget):
    """A look-inside panel that reads the module only when seen.

    Reading a big module takes seconds, and most panels sit behind a tab nobody opened: a new report only
    marks the panel pending; it loads at once if visible, else on its next `showEvent`. Subclasses set up
    their widgets after `super().__init__` and implement `start_load`.
    """

    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._pending = True
        context.reportChanged.connect(self._on_report)

    def _on_report(self, _report: object) -> None:
        self._pending = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._pending:
            self.load()

    def load(self) -> None:
        self._pending = False
        report = self.context.report
        if report is not None and getattr(report, "kind", "module") == "component":
            self.show_component()
        else:
            self.start_load()

    def show_component(self) -> None:
        """What a component shows; panels whose part lives in the core modules override this with a note."""
        self.start_load()

    def start_load(self) -> None:
        raise NotImplementedError
