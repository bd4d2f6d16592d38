"""The capability lab's rows: the groups a module imports first, with how many imports (and, after a run,
how many calls) each; the groups it does not import after them, marked as such.

Built from the report's `wasi.capabilities` (group -> imports, from `core.wasi.knowledge`), the groups the
configuration denies, and the groups of the calls a run made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wasi_playground.core.engine.config import CAPABILITY_GROUPS

GROUP_HINTS = {
    "stdio": "read stdin, write stdout/stderr", "args": "see its command-line arguments",
    "environment": "see environment variables", "clocks": "read clocks", "random": "get random bytes",
    "filesystem": "use preopened directories", "sockets": "use sockets", "polling": "wait on clocks or files",
    "process": "yield (exit always works)", "signals": "raise signals", "threads": "spawn threads",
}
"""What switching a group on lets a module do, in a few words."""


@dataclass(frozen=True, slots=True)
class CapabilityRow:
    group: str
    hint: str
    imports: tuple[str, ...]
    """The module's imports in this group ("module.name", or a component's interface names)."""
    allowed: bool
    calls: int | None = None
    """Calls in this group during the last run; None before any run."""
    denied_calls: int = 0

    @property
    def imported(self) -> bool:
        return bool(self.imports)

    def counts_text(self) -> str:
        """"3 imports · 12 calls (2 denied)", or "not imported"."""
        if not self.imported:
            return "not imported"
        parts = [_plural(len(self.imports), "import")]
        if self.calls is not None:
            denied = f" ({self.denied_calls} denied)" if self.denied_calls else ""
            parts.append(_plural(self.calls, "call") + denied)
        return " · ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def capability_rows(
    capabilities: Mapping[str, Iterable[str]],
    denied: Iterable[str] = (),
    calls: Mapping[str, int] | None = None,
    denied_calls: Mapping[str, int] | None = None,
) -> list[CapabilityRow]:
    """One row per group: imported groups first, each part in the order of CAPABILITY_GROUPS."""
    denied_set = set(denied)
    known = list(CAPABILITY_GROUPS) + sorted(g for g in capabilities if g not in CAPABILITY_GROUPS)
    rows = [
        CapabilityRow(
            group=g,
            hint=GROUP_HINTS.get(g, ""),
            imports=tuple(capabilities.get(g, ())),
            allowed=g not in denied_set,
            calls=None if calls is None else calls.get(g, 0),
            denied_calls=(denied_calls or {}).get(g, 0),
        )
        for g in known
    ]
    return [r for r in rows if r.imported] + [r for r in rows if not r.imported]


def calls_per_group(events: Iterable[object]) -> tuple[dict[str, int], dict[str, int]]:
    """(calls, denied calls) per group from trace events (anything with `group` and `denied`)."""
    calls: Counter[str] = Counter()
    denied: Counter[str] = Counter()
    for event in events:
        group = str(getattr(event, "group", ""))
        calls[group] += 1
        if getattr(event, "denied", False):
            denied[group] += 1
    return dict(calls), dict(denied)
