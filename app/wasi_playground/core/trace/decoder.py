"""Turn ring records into `TraceEvent`s in call order, tracking what each descriptor is as it goes.

Descriptors 0-2 are stdio; 3, 4, ... are the preopened directories in configuration order (that is how
wasmtime numbers them); a successful `path_open` names its new fd after the path, `fd_renumber` moves a
name and `fd_close` forgets it.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from wasi_playground.core.trace import layout as L
from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.wasi.preview1 import FUNCTIONS

_STDIO = {0: "stdin", 1: "stdout", 2: "stderr"}
_PATH_SLOTS = {n: min(2, sum(t == "string" for _, t in f.params)) for n, f in FUNCTIONS.items()}
_PATH_SLOTS["fd_prestat_dir_name"] = 1
_MOVES_BYTES = {"fd_read", "fd_write", "fd_pread", "fd_pwrite", "sock_recv", "sock_send"}


class _Spec:
    """What decoding needs to know about one function, looked up once per record by id."""

    __slots__ = ("name", "group", "nargs", "fd_params", "path_slots", "moves", "errno", "fd_dependent")

    def __init__(self, name: str) -> None:
        fn = FUNCTIONS[name]
        self.name, self.group, self.nargs = name, fn.group, len(fn.core_params)
        self.fd_params = tuple((pname, i) for i, (pname, t) in enumerate(_core_types(name)) if t == "fd")
        self.path_slots = _PATH_SLOTS.get(name, 0)
        self.moves = name in _MOVES_BYTES
        self.errno = fn.returns_errno
        self.fd_dependent = fn.fd_dependent


_RECORD = struct.Struct(L.HEADER.format + f"{L.RECORD_SIZE - L.HEADER.size}x")
_NO_FDS: dict[str, str] = {}


class RecordDecoder:
    def __init__(self, preopen_guests: list[str], on_event: Callable[[TraceEvent], None]) -> None:
        self.fd_names: dict[int, str] = dict(_STDIO)
        for i, guest in enumerate(preopen_guests):
            self.fd_names[3 + i] = f'preopen "{guest}"'
        self.on_event = on_event
        self.seq = 0
        self._specs: list[_Spec | None] = []

    def fd_text(self, fd: int) -> str:
        return self.fd_names.get(fd, "unknown fd")

    def _spec(self, ident: int) -> _Spec:
        specs = self._specs
        if not specs:
            from wasi_playground.core.trace.wrapper import _NAMES

            specs.extend(_Spec(n) for n in _NAMES)
        spec = specs[ident & L.ID_MASK]
        assert spec is not None
        return spec

    def decode(self, data: bytes) -> None:
        """The hot loop of tracing: keep it to lookups and one object per record."""
        self._spec(0)
        specs, fd_names, emit, track = self._specs, self.fd_names, self.on_event, self._track
        seq = self.seq
        base = -L.RECORD_SIZE
        for ident, errno, t0, t1, out, iov_total, p1_len, p2_len, *args in _RECORD.iter_unpack(data):
            base += L.RECORD_SIZE
            spec = specs[ident & L.ID_MASK]
            assert spec is not None
            denied = bool(ident & L.DENIED_BIT)
            raw = tuple(args[:spec.nargs])
            fds = ({name: fd_names.get(raw[i], "unknown fd") for name, i in spec.fd_params}
                   if spec.fd_params else _NO_FDS)
            out_value = out if ident & L.OUT_VALID_BIT else None
            paths: tuple[str | None, ...] = ()
            if spec.path_slots:
                paths = (_text(data, base + L.OFF_PATH1, p1_len),)
                if spec.path_slots > 1:
                    paths += (_text(data, base + L.OFF_PATH2, p2_len),)
            group = "filesystem" if spec.fd_dependent and raw and raw[0] >= 3 else spec.group
            moved = None
            if spec.moves:
                moved = out_value if out_value is not None else 0
            elif spec.name == "random_get" and not errno and not denied:
                moved = raw[1]
            seq += 1
            event = TraceEvent(seq, spec.name, group, raw, errno & 0xFFFF if spec.errno else 0,
                               t1 - t0 if t1 > t0 else 0, denied, moved, out_value,
                               iov_total if spec.moves else None, fds, paths)
            if spec.fd_params and not errno:
                track(event)
            self.seq = seq
            emit(event)

    def _track(self, e: TraceEvent) -> None:
        if e.errno or e.denied:
            return
        if e.func == "path_open" and e.out_value is not None:
            self.fd_names[e.out_value] = (
                f'file "{e.paths[0]}"' if e.paths and e.paths[0] is not None else "file"
            )
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
    raw = data[offset : offset + min(length, L.PATH_BYTES)]
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace") if raw else ""
