"""Preopened directories: the only folders a run can touch. Host folder (with a picker), the path the
module sees, and a read-only switch. A folder that does not exist is marked before the user runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.engine.config import Preopen


class DirsTable(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("dirsView")
        self.table.setHorizontalHeaderLabels(["Host folder", "Guest path", "Read-only"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        self.table.itemChanged.connect(self._on_item_changed)
        add = QPushButton("Add folder…", self)
        add.clicked.connect(self._pick_folder)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder the module may use")
        if folder:
            self.add_preopen(Preopen(folder, "/" + (Path(folder).name or "host"), read_only=False))

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self._mark(item)
        self.changed.emit()

    def _mark(self, item: QTableWidgetItem) -> None:
        missing = not Path(item.text()).expanduser().is_dir()
        item.setForeground(QBrush(QColor("#c0392b")) if missing else QBrush())
        item.setToolTip(
            "This folder does not exist: the run will refuse to start" if missing else item.text()
        )

    def _insert(self, p: Preopen) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        host = QTableWidgetItem(p.host)
        self._mark(host)
        self.table.setItem(row, 0, host)
        self.table.setItem(row, 1, QTableWidgetItem(p.guest))
        ro = QTableWidgetItem()
        ro.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        ro.setCheckState(Qt.CheckState.Checked if p.read_only else Qt.CheckState.Unchecked)
        self.table.setItem(row, 2, ro)

    def add_preopen(self, p: Preopen) -> None:
        self.table.blockSignals(True)
        self._insert(p)
        self.table.blockSignals(False)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted(
            {i.row() for i in self.table.selectedIndexes()} or {self.table.currentRow()}, reverse=True
        )
        for row in rows:
            if row >= 0:
                self.table.removeRow(row)
        self.changed.emit()

    def set_preopens(self, preopens: list[Preopen]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for p in preopens:
            self._insert(p)
        self.table.blockSignals(False)

    def preopens(self) -> list[Preopen]:
        out = []
        for row in range(self.table.rowCount()):
            host, guest, ro = (self.table.item(row, c) for c in range(3))
            if host is None or not host.text().strip():
                continue
            out.append(
                Preopen(
                    host.text().strip(),
                    (guest.text().strip() if guest else "") or host.text().strip(),
                    ro is not None and ro.checkState() == Qt.CheckState.Checked,
                )
            )
        return out
