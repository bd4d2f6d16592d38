"""Compiling, and splicing a module's bytes, without holding the GIL for the size of the module.

wasmtime-py copies a module's bytes into a new ctypes buffer before it calls wasmtime; for a 69 MB module,
allocating and filling that buffer holds the GIL for ~70 ms, and the window's thread waits for it. Here
wasmtime reads the `bytes` object's own buffer (immutable, and alive for the whole call, which is where
wasmtime reads it) and compiles with the GIL released as before. Without the C entry points this needs
(another wasmtime-py), the public constructors are used.

`assembled` builds a rewritten module from ranges of the old one and new sections the same way: the new
`bytes` comes from calloc (untouched pages) and is filled by `ctypes.memmove` with the GIL released,
before anything else can see it. Python's own slicing and concatenation hold the GIL for 100-150 ms on
69 MB, and a probe export plus the tracer's rewrite did that on every run.
"""

from __future__ import annotations

import ctypes
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime import component as wcomponent


def _bytes_pointer(data: bytes) -> Any:
    return ctypes.cast(ctypes.c_char_p(data), ctypes.POINTER(ctypes.c_uint8))


def _address(data: bytes) -> int:
    return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0


Piece = bytes | tuple[bytes, int, int]
"""Literal bytes, or the range [start, end) of a module's bytes."""


def assembled(pieces: list[Piece]) -> bytes:
    """The pieces one after the other, copied outside the GIL."""
    ranges = [(p, 0, len(p)) if isinstance(p, bytes | bytearray) else p for p in pieces]
    if not all(isinstance(source, bytes) for source, _, _ in ranges):
        return b"".join(bytes(source[start:end]) for source, start, end in ranges)
    new = bytes(sum(end - start for _, start, end in ranges))
    target = _address(new)
    for source, start, end in ranges:
        ctypes.memmove(target, _address(source) + start, end - start)
        target += end - start
    return new


def spliced(data: bytes, start: int, end: int, insert: bytes) -> bytes:
    """`data[:start] + insert + data[end:]`, copied outside the GIL."""
    return assembled([(data, 0, start), insert, (data, end, len(data))])


def _compile(engine: wasmtime.Engine, data: bytes | bytearray, new: str, pointee: str, cls: Any) -> Any:
    create, target = getattr(ffi, new, None), getattr(ffi, pointee, None)
    if create is None or target is None or not hasattr(cls, "_from_ptr"):
        return cls(engine, data)
    source = data if isinstance(data, bytes) else bytes(data)
    ptr = ctypes.POINTER(target)()
    error = create(engine.ptr(), _bytes_pointer(source), len(source), ctypes.byref(ptr))
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    return cls._from_ptr(ptr)


def compile_module(engine: wasmtime.Engine, data: bytes) -> wasmtime.Module:
    return _compile(engine, data, "wasmtime_module_new", "wasmtime_module_t", wasmtime.Module)


def compile_component(engine: wasmtime.Engine, data: bytes) -> wcomponent.Component:
    return _compile(engine, data, "wasmtime_component_new", "wasmtime_component_t", wcomponent.Component)
