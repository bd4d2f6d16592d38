"""The capability lab: one switch per capability group, the groups the module imports first with how many
imports and (after a run) how many calls each, the others greyed as "not imported".

A cleared switch denies the group's calls in the next run; the rows and their order come from
`core.inspect.capabilities.capability_rows`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.core.inspect.capabilities import (
    GROUP_HINTS,
    CapabilityRow,
    calls_per_group,
    capability_rows,
)
from wasi_playground.core.inspect.report import Report
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel

INTRO = ("Switch a group off and run again: its calls are refused (ENOTCAPABLE), and the Trace view "
         "explains each refusal.")


class CapabilitiesPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("capabilitiesPanel")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(16)
        self.switches: dict[str, QCheckBox] = {}
        self.hints: dict[str, QLabel] = {}
        self.counts: dict[str, QLabel] = {}
        for group in CAPABILITY_GROUPS:
            box = QCheckBox(group, self, objectName=f"capability_{group}")
            box.setToolTip(f"Let the module {GROUP_HINTS.get(group, group)}")
            box.toggled.connect(lambda on, g=group: self._toggled(g, on))
            self.switches[group] = box
            self.hints[group] = QLabel(GROUP_HINTS.get(group, ""), self)
            self.counts[group] = QLabel(self, objectName=f"capabilityCount_{group}")
        self.imported_heading = QLabel("<b>Imported by this module</b>", self)
        self.rest_heading = QLabel("<b>Not imported</b> — switching these changes nothing", self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self._calls: dict[str, int] | None = None
        self._denied_calls: dict[str, int] = {}
        self._events: list[Any] = []
        context.configChanged.connect(self.sync)
        context.runStarted.connect(self._run_started)
        context.traceEvents.connect(self._events.extend)
        context.runFinished.connect(self._run_finished)
        self.show_report(context.report)

    def rows(self) -> list[CapabilityRow]:
        report = self.context.report
        capabilities = report.wasi.capabilities if report is not None else {g: [] for g in CAPABILITY_GROUPS}
        rows = capability_rows(capabilities, self.context.config.denied, self._calls, self._denied_calls)
        if report is None:  # nothing known yet: every group is offered alike
            return [CapabilityRow(r.group, r.hint, ("?",), r.allowed) for r in rows]
        return rows

    def show_report(self, report: Report | None) -> None:
        self._calls, self._denied_calls = None, {}
        self._lay_out()

    def _lay_out(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        rows = self.rows()
        imported = [r for r in rows if r.imported]
        line = 0
        for heading, members in ((self.imported_heading, imported),
                                 (self.rest_heading, [r for r in rows if not r.imported])):
            shown = bool(members) and self.context.report is not None
            heading.setVisible(shown)
            if shown:
                self.grid.addWidget(heading, line, 0, 1, 3)
                line += 1
            for row in members:
                self._place(row, line)
                line += 1
        self.sync()

    def _place(self, row: CapabilityRow, line: int) -> None:
        box, hint, count = self.switches[row.group], self.hints[row.group], self.counts[row.group]
        for column, widget in enumerate((box, hint, count)):
            self.grid.addWidget(widget, line, column, Qt.AlignmentFlag.AlignLeft)
        known = row.imports != ("?",)
        count.setText(row.counts_text() if known else "")
        count.setToolTip("\n".join(row.imports) if known and row.imported else "")
        for widget in (hint, count):
            widget.setEnabled(row.imported)
        box.setEnabled(row.imported)

    def sync(self) -> None:
        denied = set(self.context.config.denied)
        for group, box in self.switches.items():
            box.blockSignals(True)
            box.setChecked(group not in denied)
            box.blockSignals(False)

    def _toggled(self, group: str, allowed: bool) -> None:
        denied = [g for g in self.context.config.denied if g != group]
        if not allowed:
            denied.append(group)
        self.context.config.denied = [g for g in CAPABILITY_GROUPS if g in denied]
        self.context.configChanged.emit()

    def _run_started(self, _job: object) -> None:
        self._events.clear()

    def _run_finished(self, _result: object) -> None:
        """Count the run's calls per group, when it was traced (untraced, the counts stay unknown)."""
        if self.context.config.trace:
            self._calls, self._denied_calls = calls_per_group(self._events)
        self._events.clear()
        self._lay_out()
