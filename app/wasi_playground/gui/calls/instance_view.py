"""Inside a called core module's instance: its exported memory (hex) and its globals, read after each call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTabWidget, QWidget

from wasi_playground.gui.calls.memory_view import MemoryView


class InstanceView(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.memory = MemoryView(self)
        self.globals_table = QTableWidget(0, 3, self)
        self.globals_table.setObjectName("globalsView")
        self.globals_table.setHorizontalHeaderLabels(["Global", "Type", "Value"])
        self.globals_table.horizontalHeader().setStretchLastSection(True)
        self.addTab(self.memory, "Memory")
        self.addTab(self.globals_table, "Globals")

    def set_reader(self, reader: Callable[[int, int], bytes] | None) -> None:
        self.memory.set_reader(reader)

    def show_globals(self, values: list[Any]) -> None:
        self.globals_table.setRowCount(len(values))
        for row, g in enumerate(values):
            kind = f"mut {g.type}" if g.mutable else g.type
            for col, text in enumerate((g.name, kind, str(g.value))):
                self.globals_table.setItem(row, col, QTableWidgetItem(text))
        if self.memory.reader is not None:
            self.memory.refresh()
