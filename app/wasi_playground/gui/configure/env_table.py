"""The environment a run gets: a name/value table. Nothing is inherited from the host unless the user
copies a variable in, one by one, on purpose."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class EnvTable(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("envView")
        self.table.setHorizontalHeaderLabels(["Name", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add = QPushButton("Add", self)
        add.clicked.connect(lambda: self.add_variable("NAME", "", edit=True))
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self.remove_selected)
        self.host_button = QToolButton(self)
        self.host_button.setText("Copy from host")
        self.host_button.setToolTip("Add one of this computer's environment variables, with its value")
        self.host_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.host_menu = QMenu(self.host_button)
        self.host_menu.aboutToShow.connect(self._fill_host_menu)
        self.host_button.setMenu(self.host_menu)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(self.host_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _fill_host_menu(self) -> None:
        self.host_menu.clear()
        for name in sorted(os.environ):
            action = self.host_menu.addAction(name)
            action.triggered.connect(lambda _=False, n=name: self.copy_from_host(n))

    def copy_from_host(self, name: str) -> None:
        value = os.environ.get(name, "")
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == name:
                self.table.setItem(row, 1, QTableWidgetItem(value))
                return
        self.add_variable(name, value)

    def add_variable(self, name: str, value: str, edit: bool = False) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.changed.emit()
        if edit:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        rows = sorted(
            {i.row() for i in self.table.selectedIndexes()} or {self.table.currentRow()}, reverse=True
        )
        for row in rows:
            if row >= 0:
                self.table.removeRow(row)
        self.changed.emit()

    def set_env(self, env: list[tuple[str, str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for name, value in env:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)

    def env(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            name, value = self.table.item(row, 0), self.table.item(row, 1)
            if name is not None and name.text().strip():
                out.append((name.text().strip(), value.text() if value is not None else ""))
        return out
