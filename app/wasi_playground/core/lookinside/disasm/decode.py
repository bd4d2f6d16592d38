"""Decode one function body into instructions, fast enough for a 200 KB body in well under 200 ms.

LEB128 reading is inlined here instead of going through `Reader` methods: a big function has tens of
thousands of instructions and a method call per immediate would dominate. Any malformed byte still becomes
a `WasmFormatError` with its offset.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any, NamedTuple

from wasi_playground.core.binary.reader import Reader, WasmFormatError
from wasi_playground.core.binary.types import heap_type, value_type
from wasi_playground.core.lookinside.disasm.opcodes import PREFIXED, SINGLE

Buffer = Any  # bytes, memoryview or mmap: anything indexable to ints and sliceable to bytes


class Instr(NamedTuple):
    offset: int
    name: str
    kind: str
    imm: tuple[Any, ...]
    align: int = 0


def uleb(data: Buffer, pos: int) -> tuple[int, int]:
    b = data[pos]
    if b < 0x80:
        return b, pos + 1
    result = b & 0x7F
    shift = 7
    pos += 1
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WasmFormatError("LEB128 number too long", pos)


def sleb(data: Buffer, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            if b & 0x40:
                result -= 1 << shift
            return result, pos
        if shift > 70:
            raise WasmFormatError("LEB128 number too long", pos)


def decode_locals(data: Buffer, pos: int, end: int) -> tuple[list[tuple[int, str]], int]:
    """The local declarations as (count, type) runs, and where the instructions begin."""
    r = Reader(data, pos, end)
    runs = []
    total = 0
    for _ in range(r.count(2)):
        n = r.u32()
        total += n
        if total > 50_000:
            raise r.fail(f"function declares {total} locals, more than engines accept")
        runs.append((n, value_type(r)))
    return runs, r.pos


def _block_type(data: Buffer, pos: int, end: int) -> tuple[str, int]:
    b = data[pos]
    if b == 0x40:
        return "", pos + 1
    if b in (0x7F, 0x7E, 0x7D, 0x7C, 0x7B) or b >= 0x63 and b <= 0x74:
        r = Reader(data, pos, end)
        return f"(result {value_type(r)})", r.pos
    idx, pos = sleb(data, pos)
    if idx < 0:
        raise WasmFormatError(f"invalid block type 0x{b:02x}", pos)
    return f"(type {idx})", pos


def _heap(data: Buffer, pos: int, end: int) -> tuple[str, int]:
    r = Reader(data, pos, end)
    return heap_type(r), r.pos


def _memarg(data: Buffer, pos: int) -> tuple[tuple[int, int, int], int]:
    """(memory index, alignment log2, offset); bit 6 of the flags announces a memory index (multi-memory)."""
    flags, pos = uleb(data, pos)
    mem = 0
    if flags & 0x40:
        mem, pos = uleb(data, pos)
        flags &= ~0x40
    offset, pos = uleb(data, pos)
    return (mem, flags, offset), pos


def immediates(kind: str, data: Buffer, pos: int, end: int) -> tuple[tuple[Any, ...], int]:
    if kind in ("lbl", "fn", "ty", "loc", "glb", "tbl", "memidx", "tag", "data", "elem"):
        v, pos = uleb(data, pos)
        return (v,), pos
    if kind == "bt":
        bt, pos = _block_type(data, pos, end)
        return (bt,), pos
    if kind == "i32" or kind == "i64":
        v, pos = sleb(data, pos)
        return (v,), pos
    if kind == "mem":
        return _memarg(data, pos)
    if kind in ("ci", "dm", "et", "mm", "tt2", "tyf", "tyn", "tyty", "tyd", "tye"):
        a, pos = uleb(data, pos)
        b, pos = uleb(data, pos)
        return (a, b), pos
    if kind == "brt":
        n, pos = uleb(data, pos)
        if n > end - pos:
            raise WasmFormatError(f"br_table of {n} targets cannot fit in the body", pos)
        targets = []
        for _ in range(n + 1):
            t, pos = uleb(data, pos)
            targets.append(t)
        return tuple(targets), pos
    if kind == "f32":
        return (struct.unpack("<f", bytes(data[pos:pos + 4]))[0], bytes(data[pos:pos + 4])), pos + 4
    if kind == "f64":
        return (struct.unpack("<d", bytes(data[pos:pos + 8]))[0], bytes(data[pos:pos + 8])), pos + 8
    if kind == "heap":
        ht, pos = _heap(data, pos, end)
        return (ht,), pos
    if kind == "selt":
        r = Reader(data, pos, end)
        types = r.vec(value_type)
        return tuple(types), r.pos
    if kind == "tt":
        bt, pos = _block_type(data, pos, end)
        n, pos = uleb(data, pos)
        if n > end - pos:
            raise WasmFormatError(f"try_table with {n} catch clauses cannot fit in the body", pos)
        catches: list[Any] = [bt]
        for _ in range(n):
            ck = data[pos]
            pos += 1
            if ck > 3:
                raise WasmFormatError(f"unknown catch kind {ck}", pos - 1)
            tag = -1
            if ck < 2:
                tag, pos = uleb(data, pos)
            label, pos = uleb(data, pos)
            catches.append((ck, tag, label))
        return tuple(catches), pos
    if kind == "lane":
        return (data[pos],), pos + 1
    if kind == "memlane":
        m, pos = _memarg(data, pos)
        return (*m, data[pos]), pos + 1
    if kind == "v128" or kind == "shuf":
        return (bytes(data[pos:pos + 16]),), pos + 16
    if kind == "zero":
        return (), pos + 1
    if kind == "castop":
        ht, pos = _heap(data, pos, end)
        return (ht,), pos
    if kind == "brcast":
        flags = data[pos]
        label, pos = uleb(data, pos + 1)
        h1, pos = _heap(data, pos, end)
        h2, pos = _heap(data, pos, end)
        return (flags, label, h1, h2), pos
    return (), pos


def decode_instructions(data: Buffer, pos: int, end: int) -> Iterator[Instr]:
    """Every instruction from `pos` to `end`, the body's final `end` included."""
    single = SINGLE
    prefixed = PREFIXED
    try:
        while pos < end:
            at = pos
            code = data[pos]
            pos += 1
            op = single.get(code)
            sub = -1
            if op is None:
                table = prefixed.get(code)
                if table is None:
                    raise WasmFormatError(f"unknown opcode 0x{code:02x}", at)
                sub, pos = uleb(data, pos)
                op = table.get(sub)
                if op is None:
                    raise WasmFormatError(f"unknown opcode 0x{code:02x} 0x{sub:x}", at)
            name, kind, align = op
            if not kind:
                yield Instr(at, name, kind, ())
                continue
            imm, pos = immediates(kind, data, pos, end)
            if kind == "castop" and sub in (21, 23):
                imm = ("null", *imm)
            yield Instr(at, name, kind, imm, align)
    except IndexError:
        raise WasmFormatError("function body runs past the end of the data", pos) from None
    if pos > end:
        raise WasmFormatError("last instruction runs past the end of the function body", end)
