"""One recorded WASI 0.2 call, usable wherever a preview-1 `TraceEvent` is (same attribute names and
JSON keys). It keeps the raw record and the memory copy it came in (shared by its batch) and decodes
arguments and result only when read, so a million calls cost a million small objects."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from wasi_playground.core.trace.component import canon, corewrap
from wasi_playground.core.trace.component.flat import MAX_FLAT_PARAMS, flatten_all
from wasi_playground.core.trace.component.model import Ty
from wasi_playground.core.trace.component.plan import Func
from wasi_playground.core.trace.component.values import PREVIEW_BYTES, byte_count, case_of, wave

NEVER_RETURNED = "never returned"
_SLOT = struct.Struct("<Q")


class ComponentTraceEvent:
    """A plain slotted class rather than a dataclass: a traced run makes one per WASI call."""

    __slots__ = ("seq", "call", "records", "at", "memory", "duration_ns", "denied", "returned", "not_blocked",
                 "decoded")
    raw_args: tuple[int, ...] = ()
    fds: Mapping[str, str] = MappingProxyType({})
    out_value: int | None = None
    requested_bytes: int | None = None

    def __init__(self, seq: int, call: Func, records: bytes, at: int, memory: canon.Window, duration_ns: int,
                 denied: bool = False, returned: bool = True, not_blocked: bool = False) -> None:
        self.seq = seq
        self.call = call
        self.records = records
        self.at = at
        """Where the call's record starts in `records` (a copy of the interposer's ring)."""
        self.memory = memory
        """The copy of the interposer's memory the record's strings, lists and results are in."""
        self.duration_ns = duration_ns
        self.denied = denied
        self.returned = returned
        """False for `exit` (it never returns)."""
        self.not_blocked = not_blocked
        """Its capability group was switched off, but the call cannot be refused (see the explanation)."""
        self.decoded: tuple[tuple[Any, ...], Any, bool] | None = None
        """(values, outcome, failed) once `detach` decoded them and let go of `memory`."""

    def detach(self) -> None:
        """Decode now, keep byte strings only as previews, and drop the reference to the batch's memory
        copy: a batch that moved megabytes of data must not stay alive for the sake of a few events."""
        self.decoded = (tuple(_clip(v) for v in self.values), _clip(self.outcome), self.failed)
        self.memory = canon.EMPTY

    def _slot(self, offset: int) -> int:
        return _SLOT.unpack_from(self.records, self.at + offset)[0]

    @property
    def values(self) -> tuple[Any, ...]:
        if self.decoded is not None:
            return self.decoded[0]
        params = [t for _, t in self.call.params]
        count = len(corewrap.core_params(self.call))
        slots = [self._slot(corewrap.RECORD_HEADER + 8 * i) for i in range(count)]
        if len(flatten_all(params)) > MAX_FLAT_PARAMS:  # passed as a pointer to the parameters in memory
            return canon.load(Ty("tuple", tuple(("", t) for t in params)), self.memory, slots[0] & 0xFFFFFFFF)
        it = iter(slots)
        return tuple(canon.lift_flat(t, it, self.memory) for t in params)

    @property
    def outcome(self) -> Any:
        result = self.call.result
        if result is None or not self.returned:
            return None
        if self.decoded is not None:
            return self.decoded[1]
        slot = self._slot(24)
        if corewrap.result_mode(self.call) == "ret":
            return canon.load(result, self.memory, slot & 0xFFFFFFFF)
        return canon.lift_flat(result, iter([slot]), self.memory)

    @property
    def func(self) -> str:
        return self.call.wit_name

    @property
    def group(self) -> str:
        return self.call.group

    @property
    def failed(self) -> bool:
        """Whether the call returned `err(...)`, from the discriminant alone (cheap: no decoding)."""
        result = self.call.result
        if result is None or result.kind != "result" or not self.returned:
            return False
        if self.decoded is not None:
            return self.decoded[2]
        slot = self._slot(24)
        if corewrap.result_mode(self.call) == "ret":
            return self.memory.read(slot & 0xFFFFFFFF, 1)[0] != 0
        return slot & 0xFF != 0

    @property
    def error(self) -> str | None:
        """The error case name when the call returned `err(...)` (for `err(closed)`: "closed")."""
        result = self.call.result
        if not self.failed or result is None:
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
        error = self.error if self.failed else None
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
    def paths(self) -> tuple[str | None, ...]:
        """The call's string arguments (a path, a name), as preview-1 events carry their paths."""
        return tuple(v for v in self.values if isinstance(v, str))

    @property
    def outcome_class(self) -> str:
        """The result in a word, for grouping and filtering: `ok`, `err(no-entry)`, `never returned`."""
        if not self.returned:
            return NEVER_RETURNED
        return f"err({self.error})" if self.failed else "ok"

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


class ClippedBytes(bytes):
    """The first bytes of a longer byte string; `length` is the whole string's."""

    length: int


def _clip(value: Any) -> Any:
    if isinstance(value, bytes) and len(value) > PREVIEW_BYTES:
        clipped = ClippedBytes(value[:PREVIEW_BYTES])
        clipped.length = len(value)
        return clipped
    return value
