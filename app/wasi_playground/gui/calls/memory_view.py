"""A hex view of a module's exported memory, from an address the user types (decimal or 0x hex)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.gui.document.hex_view import HexView

Reader = Callable[[int, int], bytes]


class MemoryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reader: Reader | None = None
        self.address = QLineEdit("0", self)
        self.address.setObjectName("memoryAddress")
        self.address.setPlaceholderText("address, e.g. 1024 or 0x400")
        self.length = QSpinBox(self)
        self.length.setRange(16, 64 * 1024)
        self.length.setSingleStep(256)
        self.length.setValue(256)
        self.show_button = QPushButton("Show", self)
        self.status = QLabel(self)
        self.dump = HexView(self)
        self.dump.setObjectName("memoryHex")
        row = QHBoxLayout()
        row.addWidget(QLabel("Address", self))
        row.addWidget(self.address, 1)
        row.addWidget(QLabel("Bytes", self))
        row.addWidget(self.length)
        row.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.dump, 1)
        self.show_button.clicked.connect(self.refresh)
        self.address.returnPressed.connect(self.refresh)

    def set_reader(self, reader: Reader | None) -> None:
        """`reader(address, length)` returns bytes or raises ValueError with a sentence; None: no memory."""
        self.reader = reader
        self.setEnabled(reader is not None)
        if reader is None:
            self.dump.clear()
            self.status.setText("this module exports no memory")

    def refresh(self) -> None:
        if self.reader is None:
            return
        text = self.address.text().strip().replace("_", "")
        try:
            address = int(text, 0)
        except ValueError:
            self.status.setText(f"{text!r} is not an address (use decimal or 0x hex)")
            return
        try:
            data = self.reader(address, self.length.value())
        except ValueError as e:
            self.status.setText(str(e))
            return
        self.status.setText(f"{len(data)} bytes from 0x{address:x}")
        self.dump.show_bytes(data, address=address)
