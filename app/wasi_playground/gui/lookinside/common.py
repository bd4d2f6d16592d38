"""Small pieces the look-inside panels share: a list-backed table model, a table view, and `LazyPanel`,
the panel (see `gui/document/panel.py`) that reads the module only when it is seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wasi_playground.core.lookinside.module_ref import PathOrRef
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.item_views import OneCallPerCell
from wasi_playground.gui.document.panel import Panel

AnyIndex = QModelIndex | QPersistentModelIndex


class RowsModel(OneCallPerCell, QAbstractTableModel):
    """A read-only table over a Python list: one function turns a row object into the column texts."""

    answered_roles = frozenset({int(Qt.ItemDataRole.DisplayRole)})

    def __init__(self, headers: Sequence[str], cells: Callable[[Any], Sequence[Any]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.cells = cells
        self.items: Sequence[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
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


class LazyPanel(Panel):
    """A look-inside panel that reads the module only when seen.

    Reading a big module takes seconds, and most panels sit behind a tab nobody opened: a new report only
    marks the panel pending; it loads at once if visible, else on its next `showEvent`. Subclasses set up
    their widgets after `super().__init__` and implement `start_load`.
    """

    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._pending = True
        context.moduleChanged.connect(self._reload)

    def show_report(self, _report: object) -> None:
        self._reload()

    def _reload(self, *_: object) -> None:
        self._pending = True
        if self.isVisible():
            self.load()

    @property
    def source(self) -> PathOrRef:
        """What the panel reads: the document's file, or the core module picked inside the component."""
        return self.context.module if self.context.module is not None else self.context.path

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._pending:
            self.load()

    def load(self) -> None:
        self._pending = False
        report = self.context.report
        if report is not None and report.kind == "component" and self.context.module is None:
            self.show_component()
        else:
            self.start_load()

    def show_component(self) -> None:
        """What a component shows; panels whose part lives in the core modules override this with a note."""
        self.start_load()

    def start_load(self) -> None:
        raise NotImplementedError
