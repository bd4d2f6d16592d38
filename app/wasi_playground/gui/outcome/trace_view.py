"""The Trace tab: every WASI call of the current run, live, with filters, a summary and explanations.

Events arrive in batches through `context.traceEvents` (already capped per tick by the run controller);
the table is a `TraceModel` behind a `TraceFilter`. The summary and explanations are redrawn at most a
few times per second, not per batch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.item_views import make_readable
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.outcome.fs_changes_view import FsChangesView
from wasi_playground.gui.outcome.trace_model import TraceFilter, TraceModel

ANY = "(any)"


class TracePanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("traceView")
        self.model = TraceModel(self)
        self.proxy = TraceFilter(self)
        self.proxy.setSourceModel(self.model)

        self.recordBox = QCheckBox("Record WASI calls", objectName="traceRecordBox")
        self.recordBox.setChecked(context.config.trace)
        self.functionCombo = QComboBox(objectName="traceFunctionFilter")
        self.groupCombo = QComboBox(objectName="traceGroupFilter")
        self.groupCombo.addItems([ANY, *CAPABILITY_GROUPS])
        self.resultCombo = QComboBox(objectName="traceResultFilter")
        self.deniedBox = QCheckBox("Denied only", objectName="traceDeniedOnly")
        self.searchEdit = QLineEdit(objectName="traceSearch", placeholderText="Search function, path, fd…")
        self.status = QLabel(objectName="traceStatus")
        self._reset_combos()

        filters = QHBoxLayout()
        for label, widget in (("Function", self.functionCombo), ("Group", self.groupCombo),
                              ("Result", self.resultCombo)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.deniedBox)
        filters.addStretch(1)

        self.table = QTableView(objectName="traceTable")
        self.table.setModel(self.proxy)
        self.table.verticalHeader().setVisible(False)
        make_readable(self.table, size_columns=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Set widths, never fitted to contents: measuring a million rows would freeze the window. The decoded
        # arguments get the room; the table scrolls sideways when the pane is narrow.
        for column, width in ((0, 44), (1, 150), (2, 340), (3, 96), (4, 52), (5, 52), (6, 72)):
            header.resizeSection(column, width)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.summary = QPlainTextEdit(objectName="traceSummary", readOnly=True)
        self.explanations = QPlainTextEdit(objectName="traceExplanations", readOnly=True)
        self.fsChanges = FsChangesView(self)
        side = QTabWidget(objectName="traceSideTabs")
        side.addTab(self.explanations, "Explanations")
        side.addTab(self.summary, "Summary")
        side.addTab(self.fsChanges, "Files changed")
        # The decoded arguments need the width; explanations and the summary read fine below the calls.
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        top = QHBoxLayout()
        top.addWidget(self.recordBox)
        top.addWidget(self.status)
        top.addWidget(self.searchEdit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        self._summary_timer = QTimer(self, singleShot=True, interval=250)
        self._summary_timer.timeout.connect(self._update_summary)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.searchEdit.textChanged.connect(self._search_timer.start)
        for combo in (self.functionCombo, self.groupCombo, self.resultCombo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.deniedBox.toggled.connect(self.apply_filters)
        self.recordBox.toggled.connect(self._record_toggled)
        context.runStarted.connect(self.on_run_started)
        context.traceEvents.connect(self.on_events)
        context.runFinished.connect(self.on_run_finished)
        context.configChanged.connect(self._sync_record_box)
        self._set_status()

    def _reset_combos(self) -> None:
        for combo in (self.functionCombo, self.resultCombo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY)
            combo.blockSignals(False)

    def _sync_record_box(self) -> None:
        self.recordBox.blockSignals(True)
        self.recordBox.setChecked(self.context.config.trace)
        self.recordBox.blockSignals(False)

    def _record_toggled(self, on: bool) -> None:
        self.context.config.trace = on
        self.context.configChanged.emit()

    def on_run_started(self, _handle: Any = None) -> None:
        self.model.clear_rows()
        self._reset_combos()
        self.explanations.clear()
        self.fsChanges.show_changes(None)
        self._set_status("running…" if self.context.config.trace or self.context.config.denied else
                         "not recording: tick “Record WASI calls” and run again")

    def on_events(self, batch: list[Any]) -> None:
        known = set(self.model.func_names)
        results = set(self.model.per_result)
        self.model.append_events(batch)
        for name in self.model.func_names:
            if name not in known:
                self.functionCombo.addItem(name)
        for result in self.model.per_result:
            if result not in results:
                self.resultCombo.addItem(result)
        if not self._summary_timer.isActive():
            self._summary_timer.start()

    def on_run_finished(self, result: Any) -> None:
        self._update_summary()
        lines = list(getattr(result, "explanations", None) or [])
        notes = [n for n in getattr(result, "notes", None) or [] if "trac" in n]
        lines += notes
        self.explanations.setPlainText("\n\n".join(lines) if lines else
                                       "(nothing failed or was denied)" if self.model.events else "")
        self.fsChanges.show_changes(getattr(result, "fs_changes", None))
        calls = getattr(result, "trace_calls", None)
        if calls is None:
            untraced = [n for n in notes if "untraced" in n]
            self._set_status(untraced[0] if untraced else "this run was not traced")
        else:
            self._set_status()

    def apply_filters(self) -> None:
        def chosen(combo: QComboBox) -> str | None:
            text = combo.currentText()
            return None if text in (ANY, "") else text

        self.proxy.set_filters(function=chosen(self.functionCombo), group=chosen(self.groupCombo),
                               outcome=chosen(self.resultCombo),
                               denied_only=self.deniedBox.isChecked(), text=self.searchEdit.text())
        self._set_status()

    def _set_status(self, text: str | None = None) -> None:
        if text is None:
            m = self.model
            text = (f"{len(m.events):,} calls, {m.denied_count:,} denied; showing {self.proxy.rowCount():,}"
                    if m.events else "no WASI calls recorded yet")
        self.status.setText(text)

    def _update_summary(self) -> None:
        m = self.model
        lines = ["Calls per function:"]
        lines += [f"  {name}: {n:,}" for name, n in m.per_function.most_common()]
        lines.append("Results:")
        lines += [f"  {name}: {n:,}" for name, n in m.per_result.most_common()]
        if m.denied_count:
            lines.append(f"Denied: {m.denied_count:,}")
        self.summary.setPlainText("\n".join(lines))
        self._set_status()
