"""The declarations of a core module: types, imports, functions, tables, memories, globals, exports.

Only declaration sections are decoded. The code section is located but never walked, because a real
module's code can be tens of megabytes while everything a person asks first ("what does it import, what
does it export, with which signatures") sits in a few kilobytes ahead of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import overload

from wasi_playground.core.binary.reader import ModuleBytes, Reader, Section, WasmFormatError, read_sections
from wasi_playground.core.binary.types import (
    FuncType,
    GlobalType,
    MemoryType,
    TableType,
    TypeDef,
    global_type,
    heap_type,
    limits,
    table_type,
    type_section_entries,
    value_type,
)

EXTERNAL_KINDS = {0: "func", 1: "table", 2: "memory", 3: "global", 4: "tag"}


@dataclass(frozen=True, slots=True)
class Import:
    module: str
    name: str
    kind: str
    type: str
    """The full signature in WAT notation, e.g. `(func (param i32) (result i32))`."""
    type_index: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Export:
    name: str
    kind: str
    index: int
    type: str


@dataclass(frozen=True, slots=True)
class Global:
    type: GlobalType
    init: str


@dataclass
class ModuleInfo:
    sections: list[Section]
    types: list[TypeDef] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    func_type_indices: Sequence[int] = field(default_factory=list)
    """Type index of each function the module defines (imported ones not included)."""
    tables: list[TableType] = field(default_factory=list)
    memories: list[MemoryType] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    start: int | None = None
    element_count: int = 0
    data_count: int = 0
    datacount: int | None = None
    code_count: int = 0
    code_section: Section | None = None

    @cached_property
    def imports_by_kind(self) -> dict[str, list[Import]]:
        """Imports per kind, in index order (read once imports are known; they come first in a module)."""
        out: dict[str, list[Import]] = {k: [] for k in EXTERNAL_KINDS.values()}
        for i in self.imports:
            out[i.kind].append(i)
        return out

    @property
    def imported_func_count(self) -> int:
        return len(self.imports_by_kind["func"])

    @property
    def function_count(self) -> int:
        return self.imported_func_count + len(self.func_type_indices)

    def func_type_index(self, index: int) -> int | None:
        """Type index of function `index` in the function index space (imports first)."""
        imported = self.imports_by_kind["func"]
        if index < 0:
            return None
        if index < len(imported):
            return imported[index].type_index
        local = index - len(imported)
        return self.func_type_indices[local] if local < len(self.func_type_indices) else None

    def func_type_of(self, index: int) -> FuncType | None:
        ti = self.func_type_index(index)
        if ti is None or ti >= len(self.types):
            return None
        return self.types[ti].func

    def type_text(self, type_index: int, keyword: str = "func") -> str:
        if 0 <= type_index < len(self.types):
            td = self.types[type_index]
            if td.func is not None:
                return f"({keyword}{td.func.signature})"
            return td.wat
        return f"({keyword} (type {type_index}))"


def _const_expr(r: Reader) -> str:
    """Read a constant expression up to its `end`; return a short rendering of it."""
    parts: list[str] = []
    while True:
        at = r.pos
        op = r.u8()
        if op == 0x0B:
            return " ".join(parts) if parts else "(empty)"
        parts.append(_const_instruction(r, op, at))
        if len(parts) > 10_000:
            raise r.fail("constant expression too long", at)


def _const_instruction(r: Reader, op: int, at: int) -> str:
    if op in _CONST_WITH_IMMEDIATE:
        name, immediate = _CONST_WITH_IMMEDIATE[op]
        return f"{name} {immediate(r)}"
    if op in _EXTENDED_CONST:
        return _EXTENDED_CONST[op]
    if op == 0xFD:
        sub = r.u32()
        if sub != 12:
            raise r.fail(f"unsupported SIMD opcode {sub} in constant expression", at)
        r.skip(16)
        return "v128.const"
    if op == 0xFB:
        return _gc_const(r, at)
    raise r.fail(f"unsupported opcode 0x{op:02x} in constant expression", at)


_CONST_WITH_IMMEDIATE: dict[int, tuple[str, Callable[[Reader], object]]] = {
    0x41: ("i32.const", Reader.s32), 0x42: ("i64.const", Reader.s64), 0x43: ("f32.const", Reader.f32),
    0x44: ("f64.const", Reader.f64), 0x23: ("global.get", Reader.u32), 0xD0: ("ref.null", heap_type),
    0xD2: ("ref.func", Reader.u32),
}
_EXTENDED_CONST = {0x6A: "i32.add", 0x6B: "i32.sub", 0x6C: "i32.mul",
                   0x7C: "i64.add", 0x7D: "i64.sub", 0x7E: "i64.mul"}


def _gc_const(r: Reader, at: int) -> str:
    sub = r.u32()
    if sub in (0, 1, 6, 7):
        return f"gc.{sub} {r.u32()}"
    if sub == 8:
        return f"array.new_fixed {r.u32()} {r.u32()}"
    if sub in (0x1A, 0x1B, 0x1C):
        return f"gc.{sub}"
    raise r.fail(f"unsupported GC opcode {sub} in constant expression", at)


def _import(r: Reader, info: ModuleInfo) -> Import:
    at = r.pos
    module = r.name()
    name = r.name()
    kind_at = r.pos
    kind = r.u8()
    if kind == 0x00:
        ti = r.u32()
        return Import(module, name, "func", info.type_text(ti), ti, at)
    if kind == 0x01:
        return Import(module, name, "table", table_type(r).wat, None, at)
    if kind == 0x02:
        return Import(module, name, "memory", MemoryType(limits(r)).wat, None, at)
    if kind == 0x03:
        return Import(module, name, "global", global_type(r).wat, None, at)
    if kind == 0x04:
        r.u8()
        ti = r.u32()
        return Import(module, name, "tag", info.type_text(ti, "tag"), ti, at)
    raise WasmFormatError(f"unknown import kind 0x{kind:02x}", kind_at)


_LEB_U32 = re.compile(rb"[\x80-\xff]{0,4}[\x00-\x7f]")
_LEB_U32_OVERFLOW = re.compile(rb"[\x80-\xff]{4}[\x10-\x7f]")


class FuncTypeIndices(Sequence[int]):
    """The function section's type indices: split into LEB128 numbers at C speed when read, each number
    decoded only when asked for (a big module has 100k functions and a person looks at a handful)."""

    __slots__ = ("_pieces",)

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces

    def __len__(self) -> int:
        return len(self._pieces)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [_leb_value(p) for p in self._pieces[index]]
        return _leb_value(self._pieces[index])

    def __iter__(self) -> Iterator[int]:
        return (_leb_value(p) for p in self._pieces)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"FuncTypeIndices({len(self)} functions)"


def _leb_value(piece: bytes) -> int:
    result = 0
    for shift, b in enumerate(piece):
        result |= (b & 0x7F) << (7 * shift)
    return result


_FUNCTION_CHUNK = 16 * 1024
"""Bytes of the function section split per regex call: each C call holds the interpreter, so a 100k-function
section read in one call would stop every other thread (the window's too) for tens of milliseconds."""
_LEB_END = re.compile(rb"[\x00-\x7f]")


def _function_section(r: Reader) -> FuncTypeIndices:
    n = r.count()
    pieces: list[bytes] = []
    while len(pieces) < n and r.pos < r.end:
        last = _LEB_END.search(r.data, min(r.pos + _FUNCTION_CHUNK, r.end) - 1, r.end)
        chunk = bytes(r.data[r.pos:last.end() if last else r.end])
        found = _LEB_U32.findall(chunk)[:n - len(pieces)]
        used = sum(map(len, found))
        if b"".join(found) != chunk[:used] or (used < len(chunk) and len(pieces) + len(found) < n):
            raise _bad_type_index(n, r.pos, chunk, found)
        too_big = _LEB_U32_OVERFLOW.search(chunk, 0, used)
        if too_big:
            raise WasmFormatError("LEB128 number too large for u32", r.pos + too_big.start())
        pieces += found
        r.pos += used
    if len(pieces) < n:
        raise _bad_type_index(n, r.pos, b"", [])
    return FuncTypeIndices(pieces)


def _bad_type_index(n: int, at: int, chunk: bytes, found: list[bytes]) -> WasmFormatError:
    """The error at the first byte of `chunk` (read from `at`) that `found` does not account for."""
    good = 0
    for p in found:
        if chunk[good:good + len(p)] != p:
            break
        good += len(p)
    return WasmFormatError(f"function section: bad or missing type index (of {n} declared)", at + good)


def _table_entry(r: Reader) -> TableType:
    if r.peek_u8() == 0x40:
        at = r.pos
        r.pos += 1
        if r.u8() != 0x00:
            raise r.fail("invalid table-with-initialiser encoding", at)
        tt = table_type(r)
        _const_expr(r)
        return tt
    return table_type(r)


def _export_type(info: ModuleInfo, kind: str, index: int) -> str:
    if kind == "func":
        ti = info.func_type_index(index)
        return info.type_text(ti) if ti is not None else "(func)"
    imp = info.imports_by_kind[kind]
    if index < len(imp):
        return imp[index].type
    local = index - len(imp)
    if kind == "memory":
        return info.memories[local].wat if local < len(info.memories) else "(memory)"
    if kind == "table":
        return info.tables[local].wat if local < len(info.tables) else "(table)"
    if kind == "global":
        return info.globals[local].type.wat if local < len(info.globals) else "(global)"
    if kind == "tag":
        return info.type_text(info.tags[local], "tag") if local < len(info.tags) else "(tag)"
    return f"({kind})"


def _export(r: Reader) -> tuple[str, str, int]:
    name = r.name()
    kind_at = r.pos
    kind = r.u8()
    if kind not in EXTERNAL_KINDS:
        raise WasmFormatError(f"unknown export kind 0x{kind:02x}", kind_at)
    return name, EXTERNAL_KINDS[kind], r.u32()


def _read_section(info: ModuleInfo, s: Section, r: Reader) -> None:
    if s.id <= 7:
        _read_declarations(info, s.id, r)
    else:
        _read_counts(info, s, r)
    if not r.at_end:
        raise WasmFormatError(f"{s.name} section has {r.remaining} unread bytes at its end", r.pos)


def _read_declarations(info: ModuleInfo, sid: int, r: Reader) -> None:
    """Types, imports, functions, tables, memories, globals and exports, decoded in full."""
    if sid == 1:
        info.types = type_section_entries(r)
    elif sid == 2:
        info.imports = [_import(r, info) for _ in range(r.count(4))]
    elif sid == 3:
        info.func_type_indices = _function_section(r)
    elif sid == 4:
        info.tables = [_table_entry(r) for _ in range(r.count(2))]
    elif sid == 5:
        info.memories = [MemoryType(limits(r)) for _ in range(r.count(2))]
    elif sid == 6:
        info.globals = [Global(global_type(r), _const_expr(r)) for _ in range(r.count(3))]
    elif sid == 7:
        raw = [_export(r) for _ in range(r.count(3))]
        info.exports = [Export(n, k, i, _export_type(info, k, i)) for n, k, i in raw]


def _read_counts(info: ModuleInfo, s: Section, r: Reader) -> None:
    """The start function, tags, and how many elements, bodies and data segments there are (not decoded)."""
    sid = s.id
    if sid == 8:
        info.start = r.u32()
    elif sid == 9:
        info.element_count = r.u32()
        r.pos = r.end
    elif sid == 10:
        info.code_section = s
        info.code_count = r.u32()
        r.pos = r.end
    elif sid == 11:
        info.data_count = r.u32()
        r.pos = r.end
    elif sid == 12:
        info.datacount = r.u32()
    elif sid == 13:
        info.tags = [_tag(r) for _ in range(r.count(2))]


def _tag(r: Reader) -> int:
    r.u8()
    return r.u32()


def parse_module(data: ModuleBytes, sections: list[Section] | None = None) -> ModuleInfo:
    """Decode the declaration sections of a core module; `sections` saves re-reading the layout."""
    if sections is None:
        kind, sections = read_sections(data)
        if kind != "module":
            raise WasmFormatError("this is a component, not a core module", 4)
    info = ModuleInfo(sections=sections)
    seen: set[int] = set()
    for s in sections:
        if s.id != 0:
            if s.id in seen:
                raise WasmFormatError(f"duplicate {s.name} section", s.offset)
            seen.add(s.id)
            _read_section(info, s, s.reader(data))
    if info.code_count != len(info.func_type_indices) and (info.code_section or info.func_type_indices):
        where = info.code_section.offset if info.code_section else sections[-1].offset
        raise WasmFormatError(
            f"function section declares {len(info.func_type_indices)} functions but the code section has "
            f"{info.code_count} bodies",
            where,
        )
    return info


__all__ = ["Export", "Global", "Import", "ModuleInfo", "parse_module", "value_type"]
