"""Two runs side by side: configuration differences, output diff, timing ratios (decided in
core.state.diff)."""

from __future__ import annotations

import html

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.state.diff import RunComparison


def _diff_html(lines: list[str]) -> str:
    if not lines:
        return "<p>No difference.</p>"
    out = []
    for line in lines:
        colour = "#2e9d4f" if line.startswith("+") else "#c0392b" if line.startswith("-") else None
        text = html.escape(line)
        out.append(f"<span style='color:{colour}'>{text}</span>" if colour else text)
    return "<pre>" + "\n".join(out) + "</pre>"


def config_html(cmp: RunComparison) -> str:
    if not cmp.config_changes:
        return "<p>Both runs used the same configuration.</p>"
    rows = "".join(
        f"<tr><td><b>{html.escape(c.setting)}</b></td><td>{html.escape(c.before)}</td>"
        f"<td>{html.escape(c.after)}</td></tr>"
        for c in cmp.config_changes
    )
    return (
        f"<table cellspacing='6'><tr><th>Setting</th><th>First run</th><th>Second run</th></tr>{rows}</table>"
    )


def timings_html(cmp: RunComparison) -> str:
    def ms(v: float | None) -> str:
        return "—" if v is None else f"{v:,.1f} ms"

    rows = "".join(
        f"<tr><td>{t.phase}</td><td align='right'>{ms(t.before_ms)}</td>"
        f"<td align='right'>{ms(t.after_ms)}</td><td>{t.describe()}</td></tr>"
        for t in cmp.timings
    )
    outcome = f"<p>Outcome: {html.escape(cmp.before.outcome())} → {html.escape(cmp.after.outcome())}</p>"
    return outcome + (
        "<table cellspacing='6'><tr><th>Phase</th><th>First</th><th>Second</th><th>Ratio</th></tr>"
        f"{rows}</table>"
    )


class CompareDialog(QDialog):
    def __init__(self, comparison: RunComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(f"Compare runs: {comparison.before.label()}  vs  {comparison.after.label()}")
        self.resize(820, 560)
        self.comparison = comparison
        self.summary = QLabel(comparison.summary(), self)
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget(self)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for title, body in (
            ("Configuration", config_html(comparison)),
            ("stdout", _diff_html(comparison.stdout_diff)),
            ("stderr", _diff_html(comparison.stderr_diff)),
            ("Timings", timings_html(comparison)),
        ):
            view = QTextBrowser(self)
            if title in ("stdout", "stderr"):
                view.setFont(fixed)
            view.setHtml(body)
            self.tabs.addTab(view, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
