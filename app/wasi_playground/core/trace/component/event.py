"""One recorded WASI 0.2 call, usable wherever a preview-1 `TraceEvent` is (same attribute names and
JSON keys). Values are kept as wasmtime-py decoded them and turned into text only when read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.trace.component.plan import Func
from wasi_playground.core.trace.component.values import byte_count, case_of, wave

NEVER_RETURNED = "never returned"


@dataclass(slots=True)
class ComponentTraceEvent:
    seq: int
    call: Func
    values: tuple[Any, ...]
    outcome: Any
    duration_ns: int
    denied: bool = False
    returned: bool = True
    """False for `exit` (it never returns) and for a call cut short by a trap or a stop."""
    not_blocked: bool = False
    """Its capability group was switched off, but the call cannot be refused (see the explanation)."""
    raw_args: tuple[int, ...] = ()
    fds: dict[str, str] = field(default_factory=dict)
    paths: tuple[str | None, ...] = ()
    out_value: int | None = None
    requested_bytes: int | None = None

    @property
    def func(self) -> str:
        return self.call.wit_name

    @property
    def group(self) -> str:
        return self.call.group

    @property
    def error(self) -> str | None:
        """The error case name when the call returned `err(...)` (for `err(closed)`: "closed")."""
        result = self.call.result
        if not self.returned or result is None or result.kind != "result":
            return None
        name, case, payload = case_of(result, self.outcome)
        if name != "err":
            return None
        if case is not None and case.kind in ("enum", "variant"):
            return case_of(case, payload)[0] if case.kind == "variant" else str(payload)
        return "err"

    @property
    def errno(self) -> int:
        """0 for success, else a positive number standing for the error case (for filters and colour)."""
        error = self.error
        if error is None:
            return 0
        result = self.call.result
        err = result.items[1][1] if result is not None else None
        names = [n for n, _ in err.items] if err is not None and err.kind in ("enum", "variant") else []
        return names.index(error) + 1 if error in names else 0xFFFF

    @property
    def result(self) -> str:
        if not self.returned:
            return NEVER_RETURNED
        return "" if self.call.result is None else wave(self.outcome, self.call.result)

    @property
    def args(self) -> list[tuple[str, str]]:
        return [(name, wave(v, ty)) for (name, ty), v in zip(self.call.params, self.values, strict=False)]

    @property
    def bytes_moved(self) -> int | None:
        for (_, ty), v in zip(self.call.params, self.values, strict=False):
            count = byte_count(v, ty)
            if count is not None:
                return count
        return byte_count(self.outcome, self.call.result) if self.returned else None

    def args_text(self) -> str:
        return ", ".join(f"{name}={text}" for name, text in self.args)

    def summary(self) -> str:
        tail = " [denied]" if self.denied else ""
        return f"#{self.seq} {self.func}({self.args_text()}) -> {self.result}{tail}"

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "func": self.func, "group": self.group, "args": dict(self.args),
            "raw_args": [], "result": self.result, "errno": self.error, "bytes": self.bytes_moved,
            "duration_ns": self.duration_ns, "denied": self.denied, "fds": {},
        }
