"""The Functions tab: every function of the module in a sortable, filterable table, its WAT beside it.

The model (`functions_model`) sorts and filters on plain lists, so 90,000 rows stay instant; the table and
each function's WAT are loaded on worker threads through the window's `Background`.
"""

from __future__ import annotations

import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.lookinside.functions import FunctionTable, load_cached
from wasi_playground.core.lookinside.module_ref import as_ref
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.item_views import make_readable
from wasi_playground.gui.lookinside.common import LazyPanel
from wasi_playground.gui.lookinside.functions_model import FunctionsModel
from wasi_playground.gui.lookinside.wat_highlight import MAX_HIGHLIGHT_CHARS, tokenize_wat
from wasi_playground.gui.lookinside.wat_view import RenderedFunction, WatView, render_function

FILTER_DELAY_MS = 200
DEBOUNCE_ROWS = 20_000
NARROW_WIDTH = 800
def _show_progress(dialog: QProgressDialog, fraction: float, written: int, started: float) -> None:
    if not dialog.wasCanceled():
        dialog.setValue(int(fraction * 1000))
        dialog.setLabelText(f"Writing WAT… {written / 1e6:.1f} MB, {time.monotonic() - started:.1f} s")


class FunctionsPanel(LazyPanel):
    """Function list on the left, the selected function's WAT (with history) on the right."""

    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.table: FunctionTable | None = None
        self.history: list[int] = []
        self.history_pos = -1
        self._build()

    def _build(self) -> None:
        self.filter_edit = QLineEdit(placeholderText="Filter by name (or #index)…")
        self.filter_edit.setObjectName("functionsFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.model = FunctionsModel(self)
        self.view = QTableView()
        self.view.setObjectName("functionsView")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        make_readable(self.view, stretch_column=1)
        self.view.setWordWrap(False)
        self.count_label = QLabel()
        self.export_button = QPushButton("Export WAT…")
        self.export_button.setObjectName("exportWatButton")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.filter_edit)
        lv.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.export_button)
        lv.addLayout(bottom)

        self.back_button = QToolButton(text="◀", toolTip="Back (Alt+Left)")
        self.back_button.setObjectName("watBack")
        self.forward_button = QToolButton(text="▶", toolTip="Forward (Alt+Right)")
        self.forward_button.setObjectName("watForward")
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.wat_view = WatView()
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.forward_button)
        nav.addWidget(self.title, 1)
        rv.addLayout(nav)
        rv.addWidget(self.wat_view, 1)

        splitter = QSplitter()
        self.splitter = splitter
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([450, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.model.modelReset.connect(self._reselect)
        self.wat_view.functionActivated.connect(self.show_function)
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        self.export_button.clicked.connect(self._export_dialog)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        QShortcut(QKeySequence("Alt+Right"), self, self.forward)
        self._update_nav()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        """Side by side when there is room; stacked (list above its WAT) in a narrow inspector column."""
        super().resizeEvent(event)
        wanted = Qt.Orientation.Horizontal if self.width() >= NARROW_WIDTH else Qt.Orientation.Vertical
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            # side by side the WAT gets two thirds; stacked, the list keeps three quarters (20+ rows at 768)
            total = self.width() if wanted == Qt.Orientation.Horizontal else self.height()
            first = total // 3 if wanted == Qt.Orientation.Horizontal else total * 3 // 4
            self.splitter.setSizes([first, total - first])

    def _on_filter_text(self, _text: str) -> None:
        """Filter at once on small modules; on big ones wait for a pause in typing (each pass is ~0.1 s)."""
        if self.table is not None and len(self.table) > DEBOUNCE_ROWS:
            self._filter_timer.start()
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())
        self._update_count()

    # loading ---------------------------------------------------------------------------------------
    def show_component(self) -> None:
        self.context.background.cancel_key(f"functions-{id(self)}")
        self.table = None
        self.model.set_table(None)
        self.count_label.setText("A component: its functions live in its core modules (pick one in the "
                                 "Contents view).")
        self.wat_view.show_message(";; A component has no function list of its own: pick a core module in "
                                   "the Contents view (its interface is in the WIT view).")

    def start_load(self) -> None:
        path = self.source
        self.count_label.setText("Loading functions…")
        self.in_background(lambda: load_cached(path), self._on_table, self._on_error,
                           key=f"functions-{id(self)}")

    def _on_table(self, table: FunctionTable) -> None:
        self.table = table
        self.history, self.history_pos = [], -1
        self.model.set_table(table)
        self._update_count()
        self._update_nav()
        if len(table) and self.model.rowCount():
            first = table.imported_count if table.imported_count < len(table) else 0
            self.show_function(first)

    def _on_error(self, exc: BaseException) -> None:
        self.model.set_table(None)
        self.count_label.setText(f"Cannot list functions: {exc}")
        self.message(f"Functions: {exc}", "error")

    def _update_count(self) -> None:
        if self.table is None:
            return
        shown, total = self.model.rowCount(), len(self.table)
        self.count_label.setText(f"{total} functions" if shown == total else f"{shown} of {total} functions")

    # navigation ------------------------------------------------------------------------------------
    def show_function(self, index: int, record: bool = True) -> None:
        """Show a function's WAT (selecting its row when visible) and remember it in the history."""
        if self.table is None or not 0 <= index < len(self.table):
            return
        if record and (self.history_pos < 0 or self.history[self.history_pos] != index):
            del self.history[self.history_pos + 1:]
            self.history.append(index)
            self.history_pos = len(self.history) - 1
        self._update_nav()
        row = self.model.row_of(index)
        if row is not None:
            current = self.view.currentIndex()
            if not current.isValid() or current.row() != row:
                # Quietly: this function is being shown already, and a row change would render it again.
                selection = self.view.selectionModel()
                selection.blockSignals(True)
                self.view.selectRow(row)
                self.view.setCurrentIndex(self.model.index(row, 0))
                selection.blockSignals(False)
                self.view.viewport().update()
                self.view.scrollTo(self.model.index(row, 0))
        table = self.table
        self.title.setText(f"{index}: {table.display_name(index)}")
        self.in_background(lambda: render_function(table, index), self._on_rendered, self._on_render_error,
                 key=f"wat-{id(self)}")

    def _on_rendered(self, rendered: RenderedFunction) -> None:
        self.title.setText(rendered.title)
        self.wat_view.show_rendered(rendered)
        ft = rendered.function
        if self.wat_view.needs_highlighting() and len(ft.text) <= MAX_HIGHLIGHT_CHARS:
            self.in_background(lambda: tokenize_wat(ft.text),
                               lambda spans: self.wat_view.apply_spans(ft, spans),
                               key=f"highlight-{id(self)}")

    def _on_render_error(self, exc: BaseException) -> None:
        self.wat_view.show_message(f";; cannot disassemble this function: {exc}")

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        index = self.model.function_at(current.row())
        if index is not None:
            self.show_function(index)

    def _reselect(self) -> None:
        """After a sort or filter, select the shown function again if it is still listed."""
        if not 0 <= self.history_pos < len(self.history):
            return
        row = self.model.row_of(self.history[self.history_pos])
        if row is not None:
            selection = self.view.selectionModel()
            selection.blockSignals(True)
            self.view.selectRow(row)
            selection.blockSignals(False)

    def back(self) -> None:
        if self.history_pos > 0:
            self.history_pos -= 1
            self.show_function(self.history[self.history_pos], record=False)

    def forward(self) -> None:
        if self.history_pos < len(self.history) - 1:
            self.history_pos += 1
            self.show_function(self.history[self.history_pos], record=False)

    def _update_nav(self) -> None:
        self.back_button.setEnabled(self.history_pos > 0)
        self.forward_button.setEnabled(self.history_pos < len(self.history) - 1)

    # whole-module export ---------------------------------------------------------------------------
    def _export_dialog(self) -> None:
        suggested = self.context.path.with_name(as_ref(self.source).stem + ".wat")
        target, _ = QFileDialog.getSaveFileName(self, "Export WAT", str(suggested),
                                                "WebAssembly text (*.wat)")
        if target:
            self.export_wat(Path(target))

    def export_wat(self, target: Path) -> None:
        """Print the whole module to `target` on a worker, with a cancellable progress dialog."""
        from wasi_playground.core.lookinside.wat_export import export_wat

        cancel = threading.Event()
        dialog = QProgressDialog("Writing WAT…", "Cancel", 0, 1000, self)
        dialog.setWindowTitle("Export WAT")
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancel.set)
        background = self.context.background

        started = time.monotonic()

        def progress(fraction: float, written: int) -> None:  # on the export's worker
            background.post(dialog, partial(_show_progress, dialog, fraction, written, started))

        source = self.source
        report = self.context.report
        compiled = getattr(report, "wasm", None) if getattr(report, "format", "binary") == "wat" else None
        self.export_dialog = dialog

        def done(result: Any) -> None:
            dialog.reset()
            self.message(f"WAT written to {result.output} ({result.bytes_written / 1e6:.1f} MB)")

        def failed(exc: BaseException) -> None:
            dialog.reset()
            self.message(f"WAT export: {exc}", "error")

        def work() -> Any:
            if compiled is None:
                return export_wat(source, target, progress, cancel)
            with tempfile.TemporaryDirectory() as tmp:  # WAT text on disk: print the module it compiles to
                binary = Path(tmp) / (Path(self.context.path).stem + ".wasm")
                binary.write_bytes(compiled)
                return export_wat(binary, target, progress, cancel)

        self.in_background(work, done, failed)
