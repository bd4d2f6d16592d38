"""One recorded WASI call. Kept raw (integers and a few captured bytes) and decoded only when read,
so a million calls cost a million small objects, not a million formatted strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.trace import flags as F
from wasi_playground.core.wasi.preview1 import FUNCTIONS, errno_name


@dataclass(slots=True)
class TraceEvent:
    seq: int
    func: str
    group: str
    raw_args: tuple[int, ...]
    """The core wasm arguments as the module passed them (i64 values signed, i32 values unsigned)."""
    errno: int
    """0 for success; for `proc_exit` always 0."""
    duration_ns: int
    denied: bool = False
    bytes_moved: int | None = None
    """Bytes read or written (fd_read/fd_write/fd_pread/fd_pwrite), random bytes given, args copied."""
    out_value: int | None = None
    """What the call wrote to its first result pointer, when it succeeded (an fd, a count, a time)."""
    requested_bytes: int | None = None
    """Sum of the iovec lengths, for reads and writes."""
    fds: dict[str, str] = field(default_factory=dict)
    """What each fd argument was at the time of the call, e.g. {"fd": "preopen \"/data\""}."""
    paths: tuple[str | None, ...] = ()

    @property
    def result(self) -> str:
        """The errno by name, upper-case as in C (`ESUCCESS`, `ENOENT`, `ENOTCAPABLE`)."""
        return "E" + errno_name(self.errno).upper() if not self.errno == 0 else "ESUCCESS"

    @property
    def outcome_class(self) -> str:
        """The result for grouping and filtering (for preview 1, the errno itself)."""
        return self.result

    @property
    def args(self) -> list[tuple[str, str]]:
        return decode_args(self)

    def args_text(self) -> str:
        return ", ".join(f"{name}={text}" for name, text in decode_args(self))

    def summary(self) -> str:
        """`path_open(fd=3 preopen "/data", path="notes.txt", ...) -> ENOENT` in one line."""
        tail = " [denied]" if self.denied else ""
        moved = f" ({self.bytes_moved} bytes)" if self.bytes_moved is not None else ""
        return f"#{self.seq} {self.func}({self.args_text()}) -> {self.result}{moved}{tail}"

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "func": self.func, "group": self.group,
            "args": dict(decode_args(self)), "raw_args": list(self.raw_args),
            "result": self.result, "errno": self.errno, "bytes": self.bytes_moved,
            "duration_ns": self.duration_ns, "denied": self.denied, "fds": self.fds,
        }


def _signed32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def decode_args(event: TraceEvent) -> list[tuple[str, str]]:
    """(name, text) per WASI parameter: strings and arrays become one entry, not a pointer and a length."""
    fn = FUNCTIONS[event.func]
    raw = event.raw_args
    out: list[tuple[str, str]] = []
    i = 0
    paths = iter(event.paths)
    for name, wasi_type in fn.params:
        if wasi_type in ("string", "iovec_array", "ciovec_array", "buffer"):
            ptr, length = raw[i], raw[i + 1]
            i += 2
            if wasi_type == "string":
                out.append((name, _quoted(next(paths, None), length)))
            elif wasi_type == "buffer":
                if fn.name == "fd_prestat_dir_name":
                    out.append((name, _quoted(next(paths, None), length)))
                else:
                    out.append((name, f"{length} bytes"))
            else:
                total = f", {event.requested_bytes} bytes" if event.requested_bytes not in (None, -1) else ""
                out.append((name, f"{length} iovec{'s' if length != 1 else ''}{total} @{ptr:#x}"))
            continue
        v = raw[i]
        i += 1
        out.append((name, _scalar(wasi_type, v, event.fds.get(name))))
    return out


def _quoted(text: str | None, length: int) -> str:
    if text is None:
        return f"<{length} bytes, unreadable>"
    return '"' + text + '"' + ("…" if length > len(text.encode()) else "")


_BIT_FLAGS = {"oflags": F.OFLAGS, "fdflags": F.FDFLAGS, "lookupflags": F.LOOKUPFLAGS, "fstflags": F.FSTFLAGS,
              "sdflags": F.SDFLAGS}
_ENUMS = {"clockid": F.CLOCKS, "whence": F.WHENCE, "advice": F.ADVICE}
_ADDRESSES = frozenset({"pointer", "fdstat", "filestat", "prestat", "subscription_array", "event_array"})


def _scalar(wasi_type: str, v: int, fd_text: str | None) -> str:
    if wasi_type == "fd":
        return f"{v} ({fd_text})" if fd_text else str(v)
    if wasi_type in _BIT_FLAGS:
        return F.bit_names(v, _BIT_FLAGS[wasi_type])
    if wasi_type in _ENUMS:
        return F.enum_name(v, _ENUMS[wasi_type])
    if wasi_type == "rights":
        return F.rights_text(v)
    if wasi_type in _ADDRESSES:
        return f"@{v:#x}"
    if wasi_type == "exitcode":
        return str(_signed32(v))
    return str(v)
