"""The Debug info tab: DWARF compilation units, their source files, and each function's file and line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget

from wasi_playground.core.elsewhere import run_elsewhere
from wasi_playground.core.lookinside.dwarf import DebugSummary, debug_summary
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.lookinside.common import LazyPanel, RowsModel, table_view


class DebugPanel(LazyPanel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: DebugSummary | None = None
        self.status = QLabel()
        self.units_model = RowsModel(("Compilation unit", "Producer", "Files"),
                                     lambda u: (u.name, u.producer, len(u.files)), self)
        self.files_model = RowsModel(("Source file",), lambda f: (f,), self)
        self.functions_model = RowsModel(("Function", "Name", "Source"), lambda r: r, self)
        self.filter = QLineEdit(placeholderText="Filter functions or files…")
        self.filter.setObjectName("debugFilter")
        self.filter.setClearButtonEnabled(True)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(table_view(self.units_model, "debugUnitsView"))
        top.addWidget(table_view(self.files_model, "debugFilesView"))
        bottom = QWidget()
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.filter)
        bv.addWidget(table_view(self.functions_model, "debugFunctionsView"), 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.filter.textChanged.connect(self._apply_filter)

    def show_component(self) -> None:
        self._show(None)

    def start_load(self) -> None:
        self.status.setText("Reading debug information…")
        path = self.source
        self.in_background(lambda: run_elsewhere(debug_summary, path), self._show, self._on_error,
                           key=f"debug-{id(self)}")

    def _show(self, summary: DebugSummary | None) -> None:
        self.summary = summary
        if summary is None:
            self.status.setText("No DWARF debug information (build with -g to get source files and lines).")
            for model in (self.units_model, self.files_model, self.functions_model):
                model.set_items([])
            return
        self.status.setText(f"{len(summary.units)} compilation units, {len(summary.files)} source files")
        self.units_model.set_items(summary.units)
        self._apply_filter(self.filter.text())

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(f"Cannot read debug information: {exc}")

    def _apply_filter(self, text: str) -> None:
        if self.summary is None:
            return
        needle = text.casefold()
        self.files_model.set_items([f for f in self.summary.files if needle in f.casefold()])
        self.functions_model.set_items([r for r in self.summary.functions
                                        if needle in r[1].casefold() or needle in r[2].casefold()])
