"""Data segments and the printable strings inside them — often the quickest way to learn what a binary is.

Strings are found with one regular expression per segment (C speed), like `strings`, but UTF-8 aware: a run of
printable ASCII or well-formed multi-byte UTF-8 characters counts, so "Grüße" is one string, not two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wasi_playground.core.binary.reader import Reader, Section, WasmFormatError, read_sections
from wasi_playground.core.lookinside.disasm.decode import decode_instructions

MAX_STRINGS = 500_000


@dataclass(frozen=True, slots=True)
class DataSegment:
    index: int
    mode: str
    """"active" (copied into memory at instantiation) or "passive" (copied by memory.init)."""
    memory: int | None
    offset_expr: str
    address: int | None
    """Where an active segment lands in memory, when its offset is a constant."""
    data_start: int
    """Module byte offset of the segment's first byte."""
    size: int


@dataclass(frozen=True, slots=True)
class FoundString:
    segment: int
    offset: int
    """Offset inside the segment."""
    address: int | None
    """Memory address when the segment's address is known."""
    text: str
    encoding: str
    """"ascii" or "utf-8"."""


def _offset_expr(data: bytes, pos: int, end: int) -> tuple[str, int | None, int]:
    parts: list[str] = []
    value: int | None = None
    for ins in decode_instructions(data, pos, end):
        if ins.name == "end":
            if len(parts) != 1:
                value = None
            return " ".join(parts) or "(empty)", value, ins.offset + 1
        if ins.name in ("i32.const", "i64.const"):
            value = ins.imm[0] & 0xFFFFFFFFFFFFFFFF
        parts.append(ins.name + "".join(f" {v}" for v in ins.imm))
        if len(parts) > 64:
            break
    raise WasmFormatError("data segment offset expression has no end", pos)


def data_segments(data: bytes, sections: list[Section] | None = None) -> list[DataSegment]:
    """Every segment of the data section, in index order."""
    if sections is None:
        _, sections = read_sections(data)
    section = next((s for s in sections if s.id == 11), None)
    if section is None:
        return []
    r = section.reader(data)
    out = []
    for index in range(r.count(2)):
        at = r.pos
        flags = r.u32()
        if flags == 1:
            size = r.u32()
            out.append(DataSegment(index, "passive", None, "", None, r.pos, size))
            r.skip(size)
            continue
        if flags not in (0, 2):
            raise WasmFormatError(f"data segment {index} has unknown flags {flags}", at)
        memory = r.u32() if flags == 2 else 0
        expr, address, r.pos = _offset_expr(data, r.pos, r.end)
        size = r.u32()
        out.append(DataSegment(index, "active", memory, expr, address, r.pos, size))
        r.skip(size)
    return out


_UTF8_CHAR = rb"(?:[\x20-\x7e\t]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"


def _pattern(min_length: int) -> re.Pattern[bytes]:
    return re.compile(_UTF8_CHAR + b"{%d,}" % max(1, min_length))


def scan_strings(data: bytes, segments: list[DataSegment], min_length: int = 4,
                 limit: int = MAX_STRINGS) -> list[FoundString]:
    """Printable strings of at least `min_length` characters, in segment order, at most `limit` of them."""
    pattern = _pattern(min_length)
    out: list[FoundString] = []
    for seg in segments:
        chunk = data[seg.data_start:seg.data_start + seg.size]
        for m in pattern.finditer(chunk):
            raw = m.group()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            ascii_only = raw.isascii()
            address = seg.address + m.start() if seg.address is not None else None
            out.append(FoundString(seg.index, m.start(), address, text, "ascii" if ascii_only else "utf-8"))
            if len(out) >= limit:
                return out
    return out


def search_strings(strings: list[FoundString], query: str) -> list[FoundString]:
    """Case-insensitive substring search."""
    needle = query.casefold()
    return [s for s in strings if needle in s.text.casefold()]


def hex_dump(data: bytes, start: int, length: int, base_address: int = 0, width: int = 16) -> str:
    """Classic offset / hex / ASCII lines for `length` bytes of `data` from `start`."""
    lines = []
    end = min(start + length, len(data))
    for at in range(start, end, width):
        row = data[at:min(at + width, end)]
        hexes = " ".join(f"{b:02x}" for b in row).ljust(width * 3 - 1)
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in row)
        lines.append(f"{base_address + at - start:08x}  {hexes}  {text}")
    return "\n".join(lines)


def reader_for(data: bytes, seg: DataSegment) -> Reader:
    return Reader(data, seg.data_start, seg.data_start + seg.size)
