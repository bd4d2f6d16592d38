"""The first thing a person sees about a module: what it is, who made it, what it needs, whether it runs.

Rendered as rich text from the report's JSON form; section sizes appear as proportional bars so the big
parts of a module (code, data, debug info) stand out at a glance.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget


def human_size(n: int | float | None) -> str:
    if n is None:
        return "?"
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(n)


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _toolchain(report: dict[str, Any]) -> str:
    tc = report.get("toolchain")
    if not tc:
        return "unknown"
    if isinstance(tc, str):
        return _esc(tc)
    name = tc.get("name") or tc.get("guess") or "unknown"
    evidence = tc.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    ev = "".join(f"<li>{_esc(e)}</li>" for e in evidence)
    return f"{_esc(name)}" + (f"<ul style='margin:0'>{ev}</ul>" if ev else "")


def section_bars(sections: list[dict[str, Any]]) -> str:
    total = sum(int(s.get("size", 0)) for s in sections) or 1
    rows = []
    for s in sorted(sections, key=lambda s: -int(s.get("size", 0))):
        size = int(s.get("size", 0))
        pct = max(1, round(100 * size / total))
        bar = ("<table width='100%' cellspacing='0' cellpadding='0'><tr>"
               f"<td width='{pct}%' bgcolor='#4a90d9' height='10'></td><td width='{100 - pct}%'></td>"
               "</tr></table>")
        rows.append(
            f"<tr><td>{_esc(s.get('name', s.get('id')))}</td><td align='right'>{human_size(size)}</td>"
            f"<td width='55%'>{bar}</td></tr>"
        )
    return "<table width='100%' cellspacing='2'>" + "".join(rows) + "</table>"


def overview_html(report: dict[str, Any]) -> str:
    runnable = report.get("runnable") or {}
    ok = bool(runnable.get("ok"))
    verdict = (
        "<span style='color:#2e9d4f'><b>Runnable here</b></span>"
        if ok
        else "<span style='color:#c0392b'><b>Cannot run here</b></span>"
    )
    reason = runnable.get("reason") or ""
    missing = runnable.get("missing") or []
    if missing:
        reason += "<br>Missing: " + ", ".join(
            _esc(m if isinstance(m, str) else m.get("name")) for m in missing
        )
    flavours = ", ".join((report.get("wasi") or {}).get("flavours") or []) or "none (no WASI imports)"
    rows = [
        ("Kind", _esc(report.get("kind", "?"))),
        ("Size", human_size(report.get("size"))),
        ("SHA-256", f"<code>{_esc(report.get('sha256', ''))}</code>"),
        ("WASI", _esc(flavours)),
        ("Toolchain", _toolchain(report)),
        ("Imports / exports", f"{len(report.get('imports', []))} / {len(report.get('exports', []))}"),
    ]
    table = "".join(f"<tr><td valign='top'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    parts = [
        f"<p>{verdict}" + (f" — {reason}" if reason else "") + "</p>",
        f"<table cellspacing='4'>{table}</table>",
    ]
    sections = report.get("sections") or []
    if sections:
        parts.append("<h4>Sections</h4>" + section_bars(sections))
    custom = report.get("custom_sections") or []
    if custom:
        items = "".join(f"<li>{_esc(c.get('name'))} — {human_size(c.get('size'))}</li>" for c in custom)
        parts.append(f"<h4>Custom sections</h4><ul>{items}</ul>")
    producers = report.get("producers") or {}
    if producers:
        items = "".join(
            f"<li><b>{_esc(k)}</b>: {_esc(_producer_values(v))}</li>" for k, v in producers.items()
        )
        parts.append(f"<h4>Producers</h4><ul>{items}</ul>")
    return "".join(parts)


def _producer_values(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}".strip() for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_producer_item(v) for v in value)
    return str(value)


def _producer_item(item: Any) -> str:
    if isinstance(item, dict):
        return f"{item.get('name', '')} {item.get('version', '')}".strip()
    if isinstance(item, list | tuple):
        return " ".join(map(str, item)).strip()
    return str(item)


class OverviewPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("overviewView")
        self.browser.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.browser.setHtml("<p>Inspecting…</p>")

    def set_report(self, report: dict[str, Any]) -> None:
        self.browser.setHtml(overview_html(report))

    def set_error(self, message: str) -> None:
        self.browser.setHtml(
            f"<p style='color:#c0392b'><b>Not a module this playground can read</b></p><p>{_esc(message)}</p>"
        )
