"""Reading recorded calls back: the canonical ABI's lifting, in Python, from a copy of the interposer's
memory. Flat values arrive widened to 64-bit slots (raw bits), so a variant's joined slots need no
conversion: each payload takes the low bits it needs. Values come out the way wasmtime-py gives them
(bytes for list<u8>, `Record`, tagged `Variant` only where wasmtime-py tags, handles as numbers), so
`values` formats recorded and wasmtime-decoded values alike.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from wasmtime.component import Record, Variant

from wasi_playground.core.trace.component import flat
from wasi_playground.core.trace.component.model import Ty
from wasi_playground.core.trace.component.values import tagged

_SIGNED = {"s8": 8, "s16": 16, "s32": 32, "s64": 64}
_UNSIGNED = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "own": 32, "borrow": 32}
_LOAD = {"bool": "<B", "s8": "<b", "u8": "<B", "s16": "<h", "u16": "<H", "s32": "<i", "u32": "<I",
         "s64": "<q", "u64": "<Q", "f32": "<f", "f64": "<d", "char": "<I", "own": "<I", "borrow": "<I"}


class Window:
    """Part of the interposer's memory: `data` holds the bytes from address `base` on."""

    __slots__ = ("data", "base")

    def __init__(self, data: bytes, base: int) -> None:
        self.data = data
        self.base = base

    def read(self, at: int, size: int) -> bytes:
        if size == 0:
            return b""
        start = at - self.base
        if start < 0 or start + size > len(self.data):
            raise ValueError(f"recorded value at {at:#x} lies outside the memory copy")
        return self.data[start:start + size]

    def unpack(self, fmt: str, at: int) -> tuple[Any, ...]:
        return struct.unpack(fmt, self.read(at, struct.calcsize(fmt)))


EMPTY = Window(b"", 0)


def lift_flat(ty: Ty, slots: Iterator[int], memory: Window) -> Any:
    kind = ty.kind
    if kind in _UNSIGNED:
        return next(slots) & ((1 << _UNSIGNED[kind]) - 1)
    if kind in _SIGNED:
        bits = _SIGNED[kind]
        v = next(slots) & ((1 << bits) - 1)
        return v - (1 << bits) if v >> (bits - 1) else v
    if kind == "bool":
        return bool(next(slots) & 0xFFFFFFFF)
    if kind == "f32":
        return struct.unpack("<f", struct.pack("<I", next(slots) & 0xFFFFFFFF))[0]
    if kind == "f64":
        return struct.unpack("<d", struct.pack("<Q", next(slots) & (1 << 64) - 1))[0]
    if kind == "char":
        return chr(next(slots) & 0xFFFFFFFF)
    if kind in ("string", "list"):
        ptr, length = next(slots) & 0xFFFFFFFF, next(slots) & 0xFFFFFFFF
        return _string(memory, ptr, length) if kind == "string" else _list(ty.element, memory, ptr, length)
    if kind == "enum":
        return ty.items[next(slots) & 0xFFFFFFFF][0]
    if kind == "flags":
        words = [next(slots) & 0xFFFFFFFF for _ in range((len(ty.items) + 31) // 32)]
        return {n for i, (n, _) in enumerate(ty.items) if words[i // 32] >> (i % 32) & 1}
    if kind in ("record", "tuple"):
        return _compose(ty, [lift_flat(t, slots, memory) for _, t in ty.items if t is not None])
    case = next(slots) & 0xFFFFFFFF
    payload_slots = [next(slots) for _ in range(len(flat.flatten(ty)) - 1)]
    name, case_ty = ty.items[case]
    payload = lift_flat(case_ty, iter(payload_slots), memory) if case_ty is not None else None
    return _case(ty, name, payload)


def load(ty: Ty, memory: Window, at: int) -> Any:
    kind = ty.kind
    if kind in _LOAD:
        v = memory.unpack(_LOAD[kind], at)[0]
        return bool(v) if kind == "bool" else chr(v) if kind == "char" else v
    if kind in ("string", "list"):
        ptr, length = memory.unpack("<II", at)
        return _string(memory, ptr, length) if kind == "string" else _list(ty.element, memory, ptr, length)
    if kind == "enum":
        return ty.items[_uint(memory, at, flat.size(ty))][0]
    if kind == "flags":
        bits = _uint(memory, at, flat.size(ty))
        return {n for i, (n, _) in enumerate(ty.items) if bits >> i & 1}
    if kind in ("record", "tuple"):
        return _compose(ty, [load(t, memory, at + off)  # type: ignore[arg-type]
                             for (_, t), off in zip(ty.items, flat.field_offsets(ty), strict=True)])
    name, case_ty = ty.items[_uint(memory, at, flat.discriminant_size(len(ty.items)))]
    payload = load(case_ty, memory, at + flat.payload_offset(ty)) if case_ty is not None else None
    return _case(ty, name, payload)


def _uint(memory: Window, at: int, size: int) -> int:
    return int.from_bytes(memory.read(at, size), "little")


def _string(memory: Window, ptr: int, length: int) -> str:
    return memory.read(ptr, length).decode("utf-8", errors="replace")


def _list(element: Ty, memory: Window, ptr: int, length: int) -> Any:
    if element.kind == "u8":
        return bytes(memory.read(ptr, length))
    step = flat.align_up(flat.size(element), flat.alignment(element))
    return [load(element, memory, ptr + i * step) for i in range(length)]


def _compose(ty: Ty, values: list[Any]) -> Any:
    if ty.kind == "tuple":
        return tuple(values)
    record = Record()
    for (name, _), value in zip(ty.items, values, strict=True):
        setattr(record, name, value)
    return record


def _case(ty: Ty, name: str, payload: Any) -> Any:
    return Variant(name, payload) if tagged(ty) else payload
