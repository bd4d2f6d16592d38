"""The answer of one call, as the text the Call tab shows."""

from __future__ import annotations

from wasi_playground.core.calls.module_session import CallOutcome


def describe_outcome(outcome: CallOutcome) -> str:
    lines = []
    if outcome.trap is not None:
        lines.append(f"trap: {outcome.trap}")
    elif outcome.exit_code is not None:
        lines.append(f"exited with code {outcome.exit_code}")
    elif outcome.results:
        lines += [f"result: {r}" for r in outcome.results]
    else:
        lines.append("returned (no results)")
    fuel = f", fuel {outcome.fuel_consumed:,}" if outcome.fuel_consumed is not None else ""
    where = "fresh instance" if outcome.fresh_instance else "same instance"
    lines.append(f"time {outcome.elapsed_ms:.3f} ms{fuel} ({where})")
    if outcome.stdout:
        lines += ["stdout:", outcome.stdout.rstrip("\n")]
    if outcome.stderr:
        lines += ["stderr:", outcome.stderr.rstrip("\n")]
    lines += [f"note: {n}" for n in outcome.notes]
    return "\n".join(lines)
