"""The Data tab: data segments, a hex view of the selected one, and the strings found in them (searchable).

Segments and strings are found on a worker (`core.lookinside.datascan`); the strings list is a model over
the found list, filtered in Python, so a module with 200,000 strings stays responsive.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.lookinside.datascan import (
    DataSegment,
    FoundStrings,
    data_segments,
    scan_strings,
)
from wasi_playground.core.lookinside.functions import read_module_bytes
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.hex_view import HexView
from wasi_playground.gui.document.progress_note import ProgressNote
from wasi_playground.gui.lookinside.common import LazyPanel, RowsModel, table_view

AnyIndex = QModelIndex | QPersistentModelIndex
FIRST_SCREEN = 40
"""Rows of strings a view shows at first, at most."""


@dataclass
class DataScan:
    data: bytes
    segments: list[DataSegment]
    strings: FoundStrings


def scan_path(path: object) -> DataScan:
    data = read_module_bytes(path)  # type: ignore[arg-type]
    segments = data_segments(data)
    return DataScan(data, segments, scan_strings(data, segments))


def _address(value: int | None) -> str:
    return f"0x{value:x}" if value is not None else ""


class DataPanel(LazyPanel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.scan: DataScan | None = None
        self.segments_model = RowsModel(
            ("#", "Mode", "Memory", "Offset", "Address", "Size"),
            lambda s: (s.index, s.mode, s.memory, s.offset_expr, _address(s.address), s.size),
            self,
        )
        self.strings_model = RowsModel(
            ("Address", "Segment", "Encoding", "Text"),
            lambda s: (_address(s.address) or f"+{s.offset}", s.segment, s.encoding, s.text),
            self,
        )
        self.segments_view = table_view(self.segments_model, "dataSegmentsView")
        self.hex_view = HexView()
        self.hex_view.setObjectName("dataHexView")
        self.search = QLineEdit(placeholderText="Search strings…")
        self.search.setObjectName("dataStringSearch")
        self.search.setClearButtonEnabled(True)
        self.strings_view = table_view(self.strings_model, "dataStringsView")
        self.status = QLabel()

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.segments_view)
        top.addWidget(self.hex_view)
        bottom = QWidget()
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.search)
        bv.addWidget(self.strings_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        self.progress = ProgressNote(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.segments_view.selectionModel().currentRowChanged.connect(self._on_segment)
        self.search.textChanged.connect(self._apply_search)

    def show_component(self) -> None:
        self.status.setText("A component: its data lives in its core modules (pick one in the Contents "
                            "view).")

    def start_load(self) -> None:
        self.status.setText("")
        self.progress.start("Scanning the data segments")
        path = self.source
        self.in_background(lambda: scan_path(path), self._on_scan, self._on_error, key=f"data-{id(self)}")

    def _on_scan(self, scan: DataScan) -> None:
        """The first screen of strings is shaped in this turn and shown in the next: strings in scripts
        the window has not drawn yet load fallback fonts (15 ms for CPython's first 40), and that in the
        same pass as the first paint of the view made one long stall."""
        metrics = self.strings_view.fontMetrics()
        for i in range(min(FIRST_SCREEN, len(scan.strings))):
            metrics.horizontalAdvance(scan.strings[i].text)
        self.context.background.soon(self, partial(self._show_scan, scan))

    def _show_scan(self, scan: DataScan) -> None:
        self.progress.finish()
        self.scan = scan
        self.segments_model.set_items(scan.segments)
        self._apply_search(self.search.text())
        total = sum(s.size for s in scan.segments)
        self.status.setText(f"{len(scan.segments)} segments, {total} bytes, {len(scan.strings)} strings")
        if scan.segments:
            self.segments_view.selectRow(0)

    def _on_error(self, exc: BaseException) -> None:
        self.progress.finish()
        self.status.setText(f"Cannot read data: {exc}")

    def _on_segment(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.scan is None or not current.isValid():
            return
        seg = self.scan.segments[current.row()]
        self.hex_view.show_bytes(self.scan.data, seg.data_start, seg.size, seg.address or 0)

    def _apply_search(self, text: str) -> None:
        if self.scan is None:
            return
        from wasi_playground.core.lookinside.datascan import search_strings

        items = search_strings(self.scan.strings, text) if text else self.scan.strings
        self.strings_model.set_items(items)
