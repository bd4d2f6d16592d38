"""A hex view of any number of bytes: each line (address, 16 bytes in hex, as ASCII) is made when it is
drawn, so a segment of megabytes opens as fast as one of a few bytes. Used by the Data view (a data
segment of the module) and the Call view (the instance's memory).

Selected lines copy as text (Ctrl+C); `toPlainText()` is every line, as a text editor would give it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wasi_playground.core.lookinside.datascan import hex_dump, hex_line
from wasi_playground.gui.document.item_views import OneCallPerCell

BYTES_PER_LINE = 16
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
AnyIndex = QModelIndex | QPersistentModelIndex


class HexModel(OneCallPerCell, QAbstractListModel):
    """One row per line of `length` bytes of `data` from `start`; addresses count from `address`."""

    answered_roles = frozenset({_DISPLAY})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_bytes = b""
        self.start = self.end = self.address = 0

    def show_bytes(self, data: bytes, start: int, length: int, address: int) -> None:
        self.beginResetModel()
        self.data_bytes, self.start, self.address = data, start, address
        self.end = min(start + length, len(data))
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else -(-(self.end - self.start) // BYTES_PER_LINE)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY or not index.isValid():
            return None
        return self.line(index.row())

    def line(self, row: int) -> str:
        offset = row * BYTES_PER_LINE
        return hex_line(self.data_bytes, self.start + offset, self.end, self.address + offset, BYTES_PER_LINE)


class HexView(QTableView):
    """A one-column table, not a list view: a table lays out only the rows it shows (a list view placed
    every one of a 2 MB segment's 130,000 lines first: seconds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hex_model = HexModel(self)
        self.setModel(self.hex_model)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 2)
        line = hex_line(bytes(BYTES_PER_LINE), 0, BYTES_PER_LINE, 0, BYTES_PER_LINE)
        self.horizontalHeader().setMinimumSectionSize(self.fontMetrics().horizontalAdvance(line) + 16)
        self.horizontalHeader().setStretchLastSection(True)

    def show_bytes(self, data: bytes, start: int = 0, length: int | None = None, address: int = 0) -> None:
        self.hex_model.show_bytes(data, start, len(data) - start if length is None else length, address)
        self.scrollToTop()

    def clear(self) -> None:
        self.hex_model.show_bytes(b"", 0, 0, 0)

    def toPlainText(self) -> str:  # noqa: N802 (named as QPlainTextEdit's, which this view replaced)
        model = self.hex_model
        return hex_dump(model.data_bytes, model.start, model.end - model.start, model.address, BYTES_PER_LINE)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Copy):
            rows = sorted(index.row() for index in self.selectedIndexes())
            QGuiApplication.clipboard().setText("\n".join(self.hex_model.line(row) for row in rows))
            return
        super().keyPressEvent(event)
