"""The Overview's "Elsewhere" block: which runtimes can run the module, why, on what evidence, how.

Rendered from the typed report's `runtimes` (see `core.inspect.runtimes`); a runtime that runs it shows the
command to try, one that does not shows why in a quieter colour.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from wasi_playground.core.inspect.runtimes import RuntimeVerdict

EVIDENCE_SHOWN = 4


def _evidence(items: Sequence[str]) -> str:
    if not items:
        return ""
    shown = ", ".join(html.escape(e) for e in items[:EVIDENCE_SHOWN])
    more = f" and {len(items) - EVIDENCE_SHOWN} more" if len(items) > EVIDENCE_SHOWN else ""
    return f"<br><small>evidence: <code>{shown}</code>{more}</small>"


def _row(v: RuntimeVerdict) -> str:
    why = html.escape(v.why)
    if v.runs:
        mark = "<span style='color:#2e9d4f'>&#10003;</span>"
        text = why + (f"<br><code>{html.escape(v.command)}</code>" if v.command else "")
    else:
        mark = "<span style='color:#999999'>&#10007;</span>"
        text = f"<span style='color:#888888'>{why}</span>"
    return (
        f"<tr><td valign='top'>{mark}</td><td valign='top'><b>{html.escape(v.name)}</b></td>"
        f"<td>{text}{_evidence(v.evidence)}</td></tr>"
    )


def runtimes_html(runtimes: Sequence[RuntimeVerdict]) -> str:
    if not runtimes:
        return ""
    ordered = [v for v in runtimes if v.runs] + [v for v in runtimes if not v.runs]
    return "<h4>Elsewhere</h4><table cellspacing='4'>" + "".join(_row(v) for v in ordered) + "</table>"
