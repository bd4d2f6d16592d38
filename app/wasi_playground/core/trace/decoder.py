"""Turn ring records into `TraceEvent`s in call order, tracking what each descriptor is as it goes.

Descriptors 0-2 are stdio; 3, 4, ... are the preopened directories in configuration order (that is how
wasmtime numbers them); a successful `path_open` names its new fd after the path, `fd_renumber` moves a
name and `fd_close` forgets it.
"""

from __future__ import annotations

from collections.abc import Callable

from wasi_playground.core.trace import layout as L
from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.trace.wrapper import name_of
from wasi_playground.core.wasi_p1 import FUNCTIONS

_STDIO = {0: "stdin", 1: "stdout", 2: "stderr"}
_PATH_SLOTS = {n: min(2, sum(t == "string" for _, t in f.params)) for n, f in FUNCTIONS.items()}
_PATH_SLOTS["fd_prestat_dir_name"] = 1
_MOVES_BYTES = {"fd_read", "fd_write", "fd_pread", "fd_pwrite", "sock_recv", "sock_send"}


class RecordDecoder:
    def __init__(self, preopen_guests: list[str], on_event: Callable[[TraceEvent], None]) -> None:
        self.fd_names: dict[int, str] = dict(_STDIO)
        for i, guest in enumerate(preopen_guests):
            self.fd_names[3 + i] = f'preopen "{guest}"'
        self.on_event = on_event
        self.seq = 0
        self._arg_counts = {n: len(f.core_params) for n, f in FUNCTIONS.items()}
        self._fd_params = {n: [(name, i) for i, (name, t) in enumerate(_core_types(n)) if t == "fd"]
                           for n in FUNCTIONS}

    def fd_text(self, fd: int) -> str:
        return self.fd_names.get(fd, "unknown fd")

    def decode(self, data: bytes) -> None:
        header = L.HEADER
        for base in range(0, len(data), L.RECORD_SIZE):
            (ident, errno, t0, t1, out, iov_total, p1_len, p2_len, *args) = header.unpack_from(data, base)
            func = name_of(ident & L.ID_MASK)
            fn = FUNCTIONS[func]
            denied = bool(ident & L.DENIED_BIT)
            raw = tuple(args[:self._arg_counts[func]])
            fds = {name: self.fd_text(raw[i]) for name, i in self._fd_params[func]}
            out_value = out if ident & L.OUT_VALID_BIT else None
            paths: tuple[str | None, ...] = ()
            slots = _PATH_SLOTS.get(func, 0)
            if slots:
                paths = (_text(data, base + L.OFF_PATH1, p1_len),)
                if slots > 1:
                    paths += (_text(data, base + L.OFF_PATH2, p2_len),)
            group = fn.group
            if fn.fd_dependent and raw and raw[0] >= 3:
                group = "filesystem"
            moved = None
            if func in _MOVES_BYTES:
                moved = out_value if out_value is not None else 0
            elif func == "random_get" and not errno and not denied:
                moved = raw[1]
            self.seq += 1
            event = TraceEvent(self.seq, func, group, raw, errno & 0xFFFF if fn.returns_errno else 0,
                               max(0, t1 - t0), denied, moved, out_value,
                               iov_total if func in _MOVES_BYTES else None, fds, paths)
            self._track(event)
            self.on_event(event)

    def _track(self, e: TraceEvent) -> None:
        if e.errno or e.denied:
            return
        if e.func == "path_open" and e.out_value is not None:
            self.fd_names[e.out_value] = f'file "{e.paths[0]}"' if e.paths and e.paths[0] is not None else "file"
        elif e.func == "fd_close" and e.raw_args:
            self.fd_names.pop(e.raw_args[0], None)
        elif e.func == "fd_renumber" and len(e.raw_args) >= 2:
            name = self.fd_names.pop(e.raw_args[0], None)
            if name is not None:
                self.fd_names[e.raw_args[1]] = name
        elif e.func == "fd_prestat_dir_name" and e.paths and e.paths[0] is not None:
            self.fd_names[e.raw_args[0]] = f'preopen "{e.paths[0]}"'
        elif e.func == "sock_accept" and e.out_value is not None:
            self.fd_names[e.out_value] = "socket"


def _core_types(name: str) -> list[tuple[str, str]]:
    """(param name, WASI type) aligned with the core parameters, so fd arguments can be found by index."""
    out: list[tuple[str, str]] = []
    for pname, ptype in FUNCTIONS[name].params:
        if ptype in ("string", "iovec_array", "ciovec_array", "buffer"):
            out += [(pname, ptype), (pname, ptype)]
        else:
            out.append((pname, ptype))
    return out


def _text(data: bytes, offset: int, length: int) -> str | None:
    if length < 0:
        return None
    raw = data[offset:offset + min(length, L.PATH_BYTES)]
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace") if raw else ""
