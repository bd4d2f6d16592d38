"""Data segments and the printable strings inside them — often the quickest way to learn what a binary is.

Strings are found with one regular expression per segment (C speed), like `strings`, but UTF-8 aware: a run of
printable ASCII or well-formed multi-byte UTF-8 characters counts, so "Grüße" is one string, not two.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload

from wasi_playground.core.binary.reader import Reader, Section, WasmFormatError, read_sections
from wasi_playground.core.lookinside.disasm.decode import decode_instructions
from wasi_playground.core.yielding import STEP, give_way

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


class FoundString(NamedTuple):
    segment: int
    offset: int
    """Offset inside the segment."""
    address: int | None
    """Memory address when the segment's address is known."""
    text: str
    encoding: str
    """"ascii" or "utf-8"."""


class FoundStrings(Sequence[FoundString]):
    """The strings of a scan, or the ones a search picked, kept column by column: 200,000 strings are a few
    arrays and one list of str, none of which the garbage collector walks. As 200,000 objects, they made
    one full collection take 120 ms, with the GIL held. Each `FoundString` is made when it is asked for."""

    def __init__(self, columns: _Columns | None = None, rows: array | None = None) -> None:
        self._columns = columns if columns is not None else _Columns()
        self._rows = rows
        """Indices into the columns (a search's result), or None for all of them in order."""

    def append(self, segment: int, offset: int, address: int | None, text: str, ascii_only: bool) -> None:
        assert self._rows is None, "a search result is read-only"
        self._columns.append(segment, offset, address, text, ascii_only)

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._columns.texts)

    @overload
    def __getitem__(self, i: int) -> FoundString: ...

    @overload
    def __getitem__(self, i: slice) -> list[FoundString]: ...

    def __getitem__(self, i: int | slice) -> FoundString | list[FoundString]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        c = self._columns
        at = self._rows[i] if self._rows is not None else range(len(c.texts))[i]
        address = c.addresses[at]
        return FoundString(c.segments[at], c.offsets[at], None if address < 0 else address, c.texts[at],
                           "ascii" if c.ascii[at] else "utf-8")

    def matching(self, query: str) -> FoundStrings:
        """The strings that contain `query`, ignoring case."""
        needle = query.casefold()
        texts = self._columns.texts
        rows = self._rows if self._rows is not None else range(len(texts))
        return FoundStrings(self._columns, array("L", (i for i in rows if needle in texts[i].casefold())))


class _Columns:
    def __init__(self) -> None:
        self.segments = array("L")
        self.offsets = array("Q")
        self.addresses = array("q")
        """-1 where the segment's address is not known."""
        self.texts: list[str] = []
        self.ascii = bytearray()

    def append(self, segment: int, offset: int, address: int | None, text: str, ascii_only: bool) -> None:
        self.segments.append(segment)
        self.offsets.append(offset)
        self.addresses.append(-1 if address is None else address)
        self.texts.append(text)
        self.ascii.append(ascii_only)


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


SCAN_WINDOW = 16 * 1024
"""The regex searches about this many bytes in one call: a search holds the GIL, and one search across a
stretch of CPython's data with no text in it held it for 20 ms."""
_NEVER_IN_TEXT = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f\xc0\xc1\xf5-\xff]")
"""Bytes no string can contain: control characters but tab, and bytes that never occur in UTF-8."""


def _windows(chunk: bytes) -> Iterator[tuple[int, int]]:
    """[start, end) pieces of `chunk` of about SCAN_WINDOW bytes, each ending just after a byte no string
    contains, so no string is cut in two."""
    pos, size = 0, len(chunk)
    while pos < size:
        cut = _NEVER_IN_TEXT.search(chunk, min(pos + SCAN_WINDOW, size))
        end = size if cut is None else cut.end()
        yield pos, end
        pos = end


def scan_strings(data: bytes, segments: list[DataSegment], min_length: int = 4,
                 limit: int = MAX_STRINGS) -> FoundStrings:
    """Printable strings of at least `min_length` characters, in segment order, at most `limit` of them."""
    pattern = _pattern(min_length)
    out = FoundStrings()
    found = 0
    for seg in segments:
        chunk = data[seg.data_start:seg.data_start + seg.size]
        for m in (m for start, end in _windows(chunk) for m in pattern.finditer(chunk, start, end)):
            found += 1
            if not found % STEP:
                give_way()
            raw = m.group()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            address = seg.address + m.start() if seg.address is not None else None
            out.append(seg.index, m.start(), address, text, raw.isascii())
            if len(out) >= limit:
                return out
    return out


def search_strings(strings: FoundStrings, query: str) -> FoundStrings:
    """Case-insensitive substring search."""
    return strings.matching(query)


_SHOWN_AS_ASCII = bytes(b if 0x20 <= b < 0x7F else 0x2E for b in range(256))
"""Printable ASCII stays itself; every other byte shows as '.'."""


def hex_line(data: bytes, at: int, end: int, address: int, width: int = 16) -> str:
    """One classic line: the address, `width` bytes of `data` from `at` (not past `end`) in hex, as ASCII."""
    row = data[at:min(at + width, end)]
    shown = row.translate(_SHOWN_AS_ASCII).decode("ascii")
    return f"{address:08x}  {row.hex(' ').ljust(width * 3 - 1)}  {shown}"


def hex_dump(data: bytes, start: int, length: int, base_address: int = 0, width: int = 16) -> str:
    """Classic offset / hex / ASCII lines for `length` bytes of `data` from `start`."""
    end = min(start + length, len(data))
    lines = (hex_line(data, at, end, base_address + at - start, width) for at in range(start, end, width))
    return "\n".join(lines)


def reader_for(data: bytes, seg: DataSegment) -> Reader:
    return Reader(data, seg.data_start, seg.data_start + seg.size)
