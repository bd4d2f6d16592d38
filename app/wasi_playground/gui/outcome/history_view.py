"""The runs of one module, newest first; select two and compare them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListView, QPushButton, QVBoxLayout, QWidget

from wasi_playground.core.state.history import RunHistory, RunRecord
from wasi_playground.gui.document.item_views import OneCallPerCell

Index = QModelIndex | QPersistentModelIndex


class HistoryModel(OneCallPerCell, QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[RunRecord] = []

    def set_records(self, records: list[RunRecord]) -> None:
        self.beginResetModel()
        self.records = list(reversed(records))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return record.label()
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.run_config.wasmtime_command("module.wasm")
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None


class HistoryView(QWidget):
    compareRequested = Signal(object, object)
    """(older RunRecord, newer RunRecord)"""
    restoreRequested = Signal(object)
    """A RunRecord whose configuration the user wants back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.list = QListView(self)
        self.list.setObjectName("historyView")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.compare_button = QPushButton("Compare selected", self)
        self.compare_button.setToolTip("Select two runs to compare their configuration, output and timings")
        self.compare_button.clicked.connect(self.compare_selected)
        self.restore_button = QPushButton("Use this configuration", self)
        self.restore_button.clicked.connect(self._restore)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_history(self, history: RunHistory) -> None:
        self.model.set_records(history.records)
        self._update_buttons()

    def selected(self) -> list[RunRecord]:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedRows())
        return [self.model.records[r] for r in rows]

    def select_rows(self, rows: list[int]) -> None:
        sel = self.list.selectionModel()
        sel.clearSelection()
        for r in rows:
            sel.select(self.model.index(r), sel.SelectionFlag.Select)

    def _update_buttons(self, *_: Any) -> None:
        n = len(self.list.selectionModel().selectedRows())
        self.compare_button.setEnabled(n == 2)
        self.restore_button.setEnabled(n == 1)

    def compare_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 2:
            newer, older = chosen
            self.compareRequested.emit(older, newer)

    def _restore(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.restoreRequested.emit(chosen[0])
