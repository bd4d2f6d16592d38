"""The Functions tab: every function of the module in a sortable, filterable table, its WAT beside it.

Sorting and filtering happen in the model on plain Python lists (one key per row, sorted once) rather than
in a QSortFilterProxyModel, whose comparisons would call back into Python millions of times for 90,000
rows. The table and each function's WAT are loaded on worker threads through `run_task`.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
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

from wasi_playground.core.functions import FunctionTable, load_cached
from wasi_playground.gui.context import DocumentContext
from wasi_playground.gui.tasks import run_task
from wasi_playground.gui.wat_highlight import MAX_HIGHLIGHT_CHARS, tokenize_wat
from wasi_playground.gui.wat_view import RenderedFunction, WatView, render_function

COLUMNS = ("Index", "Name", "Signature", "Body size", "Exported")
AnyIndex = QModelIndex | QPersistentModelIndex


class FunctionsModel(QAbstractTableModel):
    """Rows are function indices in display order; `rows` changes with sort and filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: FunctionTable | None = None
        self.rows: list[int] = []
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def set_table(self, table: FunctionTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.rows = list(range(len(table))) if table is not None else []
        self.endResetModel()
        if self._filter or self._sort[0]:
            self._apply()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self.table
        if t is None or not index.isValid():
            return None
        i = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return i
            if col == 1:
                return t.display_name(i)
            if col == 2:
                return t.signature(i)
            if col == 3:
                return "import" if t.is_imported(i) else t.body_size(i)
            if col == 4:
                return ", ".join(t.export_names.get(i, ()))
        elif role == Qt.ItemDataRole.ToolTipRole and col == 1:
            raw = t.name(i)
            shown = t.display_name(i)
            return shown if raw == shown else f"{shown}\n{raw}"
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def function_at(self, row: int) -> int | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, function_index: int) -> int | None:
        try:
            return self.rows.index(function_index)
        except ValueError:
            return None

    def set_filter(self, text: str) -> None:
        self._filter = text.strip()
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()

    def _apply(self) -> None:
        t = self.table
        if t is None:
            return
        self.layoutAboutToBeChanged.emit()
        rows = _matching(t, self._filter)
        column, order = self._sort
        key = _sort_key(t, column)
        if key is not None:
            rows.sort(key=key)
        if order == Qt.SortOrder.DescendingOrder:
            rows.reverse()
        self.rows = rows
        self.layoutChanged.emit()


def _matching(t: FunctionTable, text: str) -> list[int]:
    everything = range(len(t))
    if not text:
        return list(everything)
    if text.startswith("#") and text[1:].isdigit():
        n = int(text[1:])
        return [n] if n < len(t) else []
    needle = text.casefold()
    display, raw = t.display_name, t.name
    return [i for i in everything if needle in display(i).casefold() or needle in raw(i).casefold()]


def _sort_key(t: FunctionTable, column: int) -> Any:
    if column == 1:
        return lambda i: t.display_name(i).casefold()
    if column == 2:
        return t.signature
    if column == 3:
        return lambda i: -1 if t.is_imported(i) else t.body_size(i)
    if column == 4:
        return lambda i: (not t.export_names.get(i), ", ".join(t.export_names.get(i, ())))
    return None


class _ExportRelay(QObject):
    """Carries progress from the export's worker thread to the dialog (a queued connection to its slot)."""

    progress = Signal(float, int)

    def __init__(self, dialog: QProgressDialog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog = dialog
        self.progress.connect(self._show)

    @Slot(float, int)
    def _show(self, fraction: float, written: int) -> None:
        if self.dialog.wasCanceled():
            return
        self.dialog.setValue(int(fraction * 1000))
        self.dialog.setLabelText(f"Writing WAT… {written / 1e6:.1f} MB")


class FunctionsPanel(QWidget):
    """Function list on the left, the selected function's WAT (with history) on the right."""

    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.table: FunctionTable | None = None
        self.history: list[int] = []
        self.history_pos = -1
        self._pending = True
        self._build()
        context.reportChanged.connect(self._on_report)

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
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
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
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.filter_edit.textChanged.connect(self.model.set_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._update_count())
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.wat_view.functionActivated.connect(self.show_function)
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        self.export_button.clicked.connect(self._export_dialog)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        QShortcut(QKeySequence("Alt+Right"), self, self.forward)
        self._update_nav()

    # loading ---------------------------------------------------------------------------------------
    def _on_report(self, _report: object) -> None:
        self._pending = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._pending:
            self.load()

    def load(self) -> None:
        self._pending = False
        report = self.context.report
        if report is not None and getattr(report, "kind", "module") == "component":
            self.model.set_table(None)
            self.count_label.setText("A component: its functions live in its core modules.")
            self.wat_view.show_message(";; Components have no function list; see the WIT tab.")
            return
        path = self.context.path
        self.count_label.setText("Loading functions…")
        run_task(lambda: load_cached(path), self._on_table, self._on_error, key=f"functions-{id(self)}")

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
        self.context.message.emit(f"Functions: {exc}")

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
                self.view.blockSignals(True)
                self.view.selectRow(row)
                self.view.blockSignals(False)
                self.view.selectionModel().blockSignals(True)
                self.view.setCurrentIndex(self.model.index(row, 0))
                self.view.selectionModel().blockSignals(False)
                self.view.scrollTo(self.model.index(row, 0))
        table = self.table
        self.title.setText(f"{index}: {table.display_name(index)}")
        run_task(lambda: render_function(table, index), self._on_rendered, self._on_render_error,
                 key=f"wat-{id(self)}")

    def _on_rendered(self, rendered: RenderedFunction) -> None:
        self.title.setText(rendered.title)
        self.wat_view.show_rendered(rendered)
        ft = rendered.function
        if self.wat_view.needs_highlighting() and len(ft.text) <= MAX_HIGHLIGHT_CHARS:
            run_task(lambda: tokenize_wat(ft.text), lambda spans: self.wat_view.apply_spans(ft, spans),
                     key=f"highlight-{id(self)}")

    def _on_render_error(self, exc: BaseException) -> None:
        self.wat_view.show_message(f";; cannot disassemble this function: {exc}")

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        index = self.model.function_at(current.row())
        if index is not None:
            self.show_function(index)

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
        path = self.context.path
        target, _ = QFileDialog.getSaveFileName(self, "Export WAT", str(Path(path).with_suffix(".wat")),
                                                "WebAssembly text (*.wat)")
        if target:
            self.export_wat(Path(target))

    def export_wat(self, target: Path) -> None:
        """Print the whole module to `target` on a worker, with a cancellable progress dialog."""
        from wasi_playground.core.wat_export import export_wat

        cancel = threading.Event()
        dialog = QProgressDialog("Writing WAT…", "Cancel", 0, 1000, self)
        dialog.setWindowTitle("Export WAT")
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancel.set)
        relay = _ExportRelay(dialog, self)
        source = Path(self.context.path)
        report = self.context.report
        compiled = getattr(report, "wasm", None) if getattr(report, "format", "binary") == "wat" else None
        self.export_dialog = dialog

        def done(result: Any) -> None:
            dialog.reset()
            relay.deleteLater()
            self.context.message.emit(f"WAT written to {result.output} ({result.bytes_written / 1e6:.1f} MB)")

        def failed(exc: BaseException) -> None:
            dialog.reset()
            relay.deleteLater()
            self.context.message.emit(f"WAT export: {exc}")

        def work() -> Any:
            if compiled is None:
                return export_wat(source, target, relay.progress.emit, cancel)
            with tempfile.TemporaryDirectory() as tmp:  # WAT text on disk: print the module it compiles to
                binary = Path(tmp) / (source.stem + ".wasm")
                binary.write_bytes(compiled)
                return export_wat(binary, target, relay.progress.emit, cancel)

        run_task(work, done, failed)
