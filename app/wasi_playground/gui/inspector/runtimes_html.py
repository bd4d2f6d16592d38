"""The Overview's "Elsewhere" block: which runtimes can run the module, why, on what evidence, how.

Rendered from the `runtimes` list of the report's JSON form (see `core.inspect.runtimes`); a runtime that
runs it shows the command to try, one that does not shows why in a quieter colour.
"""

from __future__ import annotations

import html
from typing import Any

EVIDENCE_SHOWN = 4


def _evidence(items: list[str]) -> str:
    if not items:
        return ""
    shown = ", ".join(html.escape(e) for e in items[:EVIDENCE_SHOWN])
    more = f" and {len(items) - EVIDENCE_SHOWN} more" if len(items) > EVIDENCE_SHOWN else ""
    return f"<br><small>evidence: <code>{shown}</code>{more}</small>"


def _row(r: dict[str, Any]) -> str:
    name = html.escape(str(r.get("name", "?")))
    why = html.escape(str(r.get("why", "")))
    if r.get("runs"):
        mark = "<span style='color:#2e9d4f'>&#10003;</span>"
        command = r.get("command")
        how = f"<br><code>{html.escape(command)}</code>" if command else ""
        text = f"{why}{how}"
    else:
        mark = "<span style='color:#999999'>&#10007;</span>"
        text = f"<span style='color:#888888'>{why}</span>"
    return (
        f"<tr><td valign='top'>{mark}</td><td valign='top'><b>{name}</b></td>"
        f"<td>{text}{_evidence(list(r.get('evidence') or []))}</td></tr>"
    )


def runtimes_html(runtimes: list[dict[str, Any]]) -> str:
    if not runtimes:
        return ""
    ordered = [r for r in runtimes if r.get("runs")] + [r for r in runtimes if not r.get("runs")]
    rows = "".join(_row(r) for r in ordered)
    return f"<h4>Elsewhere</h4><table cellspacing='4'>{rows}</table>"
