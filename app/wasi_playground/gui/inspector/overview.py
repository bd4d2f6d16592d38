"""The first thing a person sees about a module: what it is, who made it, what it needs, whether it runs.

Rendered as rich text from the typed inspection report; section sizes appear as proportional bars so the big
parts of a module (code, data, debug info) stand out at a glance.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.document.units import human_size
from wasi_playground.gui.inspector.runtimes_html import runtimes_html

if TYPE_CHECKING:
    from wasi_playground.core.binary.reader import Section
    from wasi_playground.core.inspect.report import Report
    from wasi_playground.core.inspect.toolchain import Toolchain
    from wasi_playground.core.wasi.knowledge import Runnable


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _toolchain(toolchain: Toolchain) -> str:
    ev = "".join(f"<li>{_esc(e)}</li>" for e in toolchain.evidence)
    return _esc(toolchain.name or "unknown") + (f"<ul style='margin:0'>{ev}</ul>" if ev else "")


BAR_BLOCKS = 40
"""A section's bar is up to this many block characters: one line of text, where a table inside each row
made Qt lay the page out in several passes."""


def section_bars(sections: list[Section]) -> str:
    total = sum(s.size for s in sections) or 1
    rows = []
    for s in sorted(sections, key=lambda s: -s.size):
        blocks = max(1, round(BAR_BLOCKS * s.size / total))
        bar = f"<span style='color:#4a90d9'>{'█' * blocks}</span>"
        name = s.custom_name if s.id == 0 else s.name
        rows.append(
            f"<tr><td>{_esc(name)}</td><td align='right'>{human_size(s.size)}</td>"
            f"<td width='55%'>{bar}</td></tr>"
        )
    return "<table width='100%' cellspacing='2'>" + "".join(rows) + "</table>"


def _verdict(runnable: Runnable) -> str:
    verdict = (
        "<span style='color:#2e9d4f'><b>Runnable here</b></span>"
        if runnable.ok
        else "<span style='color:#c0392b'><b>Cannot run here</b></span>"
    )
    reason = _esc(runnable.reason)
    if runnable.missing:
        reason += "<br>Missing: " + ", ".join(_esc(m) for m in runnable.missing)
    return f"<p>{verdict}" + (f" — {reason}" if reason else "") + "</p>"


def _counts(report: Report) -> str:
    if report.module is not None:
        return f"{len(report.module.imports)} / {len(report.module.exports)}"
    if report.component is not None:
        return f"{len(report.component.imports)} / {len(report.component.exports)}"
    return "0 / 0"


def overview_html(report: Report) -> str:
    flavours = ", ".join(report.wasi.flavours) or "none (no WASI imports)"
    rows = [
        ("Kind", _esc(report.kind)),
        ("Size", human_size(report.size)),
        ("SHA-256", f"<code>{_esc(report.sha256)}</code>"),
        ("WASI", _esc(flavours)),
        ("Toolchain", _toolchain(report.toolchain)),
        ("Imports / exports", _counts(report)),
    ]
    table = "".join(f"<tr><td valign='top'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    parts = [_verdict(report.runnable), f"<table cellspacing='4'>{table}</table>"]
    parts.append(runtimes_html(report.runtimes))
    if report.sections:
        parts.append("<h4>Sections</h4>" + section_bars(report.sections))
    if report.custom_sections:
        items = "".join(
            f"<li>{_esc(c.custom_name)} — {human_size(c.size)}</li>" for c in report.custom_sections
        )
        parts.append(f"<h4>Custom sections</h4><ul>{items}</ul>")
    if report.producers:
        items = "".join(
            f"<li><b>{_esc(k)}</b>: {_esc(_producer_values(v))}</li>" for k, v in report.producers.items()
        )
        parts.append(f"<h4>Producers</h4><ul>{items}</ul>")
    return "".join(parts)


def _producer_values(values: list[dict[str, str]]) -> str:
    return ", ".join(f"{v.get('name', '')} {v.get('version', '')}".strip() for v in values)


class OverviewPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("overviewView")
        self.browser.setOpenExternalLinks(False)
        # A scroll bar that appears when a page turns out long makes the browser lay the page out again:
        # showing one always halved the time a new page takes (12-19 ms to 6-9 on big modules).
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.browser.setHtml("<p>Inspecting…</p>")

    def show_report(self, report: Report | None) -> None:
        """A new page, handed over whole: the browser lays it out once (see the scroll bar policy)."""
        if report is None:
            return
        page = QTextDocument(self.browser)  # the browser deletes its previous page, its child too
        page.setDefaultFont(self.browser.font())
        page.setHtml(overview_html(report))
        self.browser.setDocument(page)

    def set_error(self, message: str) -> None:
        self.browser.setHtml(
            f"<p style='color:#c0392b'><b>Not a module this playground can read</b></p><p>{_esc(message)}</p>"
        )
