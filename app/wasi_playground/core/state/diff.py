"""Comparing two runs of a module: what was granted differently, what came out differently, how much
faster or slower. The compare dialog only shows what this module decides.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.state.history import RunRecord

PHASES = ("read", "compile", "instantiate", "run", "total")
MAX_DIFF_LINES = 2000


@dataclass
class ConfigChange:
    setting: str
    before: str
    after: str


@dataclass
class TimingComparison:
    phase: str
    before_ms: float | None
    after_ms: float | None

    @property
    def ratio(self) -> float | None:
        """after / before: 0.5 means the second run took half the time."""
        if self.before_ms is None or self.after_ms is None or self.before_ms <= 0:
            return None
        return self.after_ms / self.before_ms

    def describe(self) -> str:
        r = self.ratio
        if r is None:
            return "n/a"
        if abs(r - 1) < 0.05:
            return "about the same"
        return f"{r:.2f}x ({'slower' if r > 1 else 'faster'})"


@dataclass
class RunComparison:
    before: RunRecord
    after: RunRecord
    config_changes: list[ConfigChange] = field(default_factory=list)
    outcome_changed: bool = False
    stdout_diff: list[str] = field(default_factory=list)
    stderr_diff: list[str] = field(default_factory=list)
    timings: list[TimingComparison] = field(default_factory=list)

    @property
    def same_output(self) -> bool:
        return not self.stdout_diff and not self.stderr_diff

    def summary(self) -> str:
        parts = []
        n = len(self.config_changes)
        parts.append("same configuration" if n == 0 else f"{n} configuration difference{'s' * (n != 1)}")
        parts.append("same output" if self.same_output else "different output")
        if self.outcome_changed:
            parts.append(f"outcome {self.before.outcome()} -> {self.after.outcome()}")
        total = next((t for t in self.timings if t.phase == "total"), None)
        if total and total.ratio is not None:
            parts.append(f"total time {total.describe()}")
        return "; ".join(parts)


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """{"limits.fuel": "1000", "env": "A=1, B=2", ...}: one readable string per setting."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        items = []
        for v in value:
            if isinstance(v, dict):
                items.append(" ".join(f"{k}={x}" for k, x in v.items()))
            elif isinstance(v, list | tuple) and len(v) == 2:
                items.append(f"{v[0]}={v[1]}")
            else:
                items.append(str(v))
        out[prefix] = ", ".join(items) if items else "(none)"
    else:
        out[prefix] = "(default)" if value is None else str(value)
    return out


def config_differences(before: dict[str, Any], after: dict[str, Any]) -> list[ConfigChange]:
    a, b = _flatten(before), _flatten(after)
    changes = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key, "(absent)"), b.get(key, "(absent)")
        if va != vb:
            changes.append(ConfigChange(key, va, vb))
    return changes


def text_diff(before: str, after: str, name: str) -> list[str]:
    lines = list(difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"{name} (first run)", f"{name} (second run)", lineterm="",
    ))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return lines


def compare_runs(before: RunRecord, after: RunRecord) -> RunComparison:
    timings = [
        TimingComparison(p, before.timings_ms.get(p), after.timings_ms.get(p))
        for p in PHASES
        if p in before.timings_ms or p in after.timings_ms
    ]
    return RunComparison(
        before=before,
        after=after,
        config_changes=config_differences(before.config, after.config),
        outcome_changed=before.outcome() != after.outcome(),
        stdout_diff=text_diff(before.stdout, after.stdout, "stdout"),
        stderr_diff=text_diff(before.stderr, after.stderr, "stderr"),
        timings=timings,
    )
