"""Reading the WebAssembly binary format: LEB128 numbers, names, and the section layout (and `uleb128`,
for the few places that write a module back).

Everything that reads bytes of a module goes through `Reader`, so every malformed input becomes one
`WasmFormatError` carrying the byte offset where reading failed, never an IndexError or a traceback.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
# What a module is read from: its bytes, a view of them, or a memory-mapped file (large modules).
ModuleBytes = bytes | memoryview | mmap.mmap

MAGIC = b"\0asm"
MODULE_VERSION = b"\x01\x00\x00\x00"
COMPONENT_VERSION = b"\x0d\x00\x01\x00"

MODULE_SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
    7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount", 13: "tag",
}
COMPONENT_SECTION_NAMES = {
    0: "custom", 1: "core module", 2: "core instance", 3: "core type", 4: "component", 5: "instance",
    6: "alias", 7: "type", 8: "canon", 9: "start", 10: "import", 11: "export", 12: "value",
}


class WasmFormatError(ValueError):
    """The bytes are not valid WebAssembly; `offset` is where reading failed."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} at byte offset {self.offset} (0x{self.offset:x})"


class Reader:
    """A cursor over a byte buffer that raises `WasmFormatError` on any malformed read."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: ModuleBytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    @property
    def at_end(self) -> bool:
        return self.pos >= self.end

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def fail(self, message: str, offset: int | None = None) -> WasmFormatError:
        return WasmFormatError(message, self.pos if offset is None else offset)

    def u8(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of data")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek_u8(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of data")
        return self.data[self.pos]

    def bytes(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise self.fail(f"{n} bytes expected, only {max(self.end - self.pos, 0)} left")
        b = bytes(self.data[self.pos:self.pos + n])
        self.pos += n
        return b

    def skip(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise self.fail(f"{n} bytes expected, only {max(self.end - self.pos, 0)} left")
        self.pos += n

    def _uleb(self, bits: int) -> int:
        start = self.pos
        result = shift = 0
        max_bytes = (bits + 6) // 7
        for i in range(max_bytes):
            if self.pos >= self.end:
                raise self.fail("LEB128 number runs past the end of data", start)
            b = self.data[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if i == max_bytes - 1 and b >> (bits - 7 * i) and bits % 7:
                    raise self.fail(f"LEB128 number too large for u{bits}", start)
                return result
        raise self.fail(f"LEB128 number longer than {max_bytes} bytes for u{bits}", start)

    def _sleb(self, bits: int) -> int:
        start = self.pos
        result = shift = 0
        max_bytes = (bits + 6) // 7
        for _ in range(max_bytes):
            if self.pos >= self.end:
                raise self.fail("LEB128 number runs past the end of data", start)
            b = self.data[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                if not -(1 << (bits - 1)) <= result < (1 << (bits - 1)):
                    raise self.fail(f"LEB128 number out of range for s{bits}", start)
                return result
        raise self.fail(f"LEB128 number longer than {max_bytes} bytes for s{bits}", start)

    def u32(self) -> int:
        return self._uleb(32)

    def u64(self) -> int:
        return self._uleb(64)

    def s32(self) -> int:
        return self._sleb(32)

    def s33(self) -> int:
        return self._sleb(33)

    def s64(self) -> int:
        return self._sleb(64)

    def f32(self) -> float:
        return struct.unpack("<f", self.bytes(4))[0]

    def f64(self) -> float:
        return struct.unpack("<d", self.bytes(8))[0]

    def name(self) -> str:
        start = self.pos
        raw = self.bytes(self.u32())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("name is not valid UTF-8", start) from None

    def count(self, min_item_size: int = 1) -> int:
        """A vector length, checked against the bytes left so a bogus count cannot allocate gigabytes."""
        start = self.pos
        n = self.u32()
        if n * min_item_size > self.remaining:
            raise self.fail(f"vector of {n} items cannot fit in the {self.remaining} bytes left", start)
        return n

    def skip_limits(self) -> None:
        """Skip a table or memory type's limits: flags, minimum, maximum if flagged, page size if flagged."""
        flags = self.u8()
        self.u64()
        if flags & 0x01:
            self.u64()
        if flags & 0x08:
            self.u32()

    def skip_reftype(self) -> None:
        if self.u8() in (0x63, 0x64):
            self.s33()

    def skip_import_desc(self, kind: int) -> None:
        """Skip what an import of this kind describes (0 function, 1 table, 2 memory, 3 global, 4 tag)."""
        if kind == 0:
            self.u32()
        elif kind == 1:
            self.skip_reftype()
            self.skip_limits()
        elif kind == 2:
            self.skip_limits()
        elif kind == 3:
            self.skip_reftype()
            self.u8()
        elif kind == 4:
            self.u8()
            self.u32()
        else:
            raise self.fail(f"unknown import kind {kind}")

    def vec(self, item: Callable[[Reader], T], min_item_size: int = 1) -> list[T]:
        return [item(self) for _ in range(self.count(min_item_size))]

    def sub(self, size: int) -> Reader:
        """A reader over the next `size` bytes; this reader moves past them."""
        if size < 0 or self.pos + size > self.end:
            raise self.fail(f"{size} bytes expected, only {max(self.end - self.pos, 0)} left")
        r = Reader(self.data, self.pos, self.pos + size)
        self.pos += size
        return r


def uleb128(n: int) -> bytes:
    """`n` (>= 0) as unsigned LEB128."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | 0x80 if n else byte)
        if not n:
            return bytes(out)


@dataclass(frozen=True, slots=True)
class Section:
    """One section: `offset` is where its id byte stands, `payload_offset` where its content begins."""

    id: int
    name: str
    offset: int
    size: int
    payload_offset: int
    custom_name: str | None = None

    @property
    def end(self) -> int:
        return self.payload_offset + self.size

    def reader(self, data: ModuleBytes) -> Reader:
        return Reader(data, self.payload_offset, self.end)


def header_kind(data: ModuleBytes) -> str:
    """'module' or 'component' from the 8-byte preamble; raises WasmFormatError otherwise."""
    if len(data) < 4:
        raise WasmFormatError(f"file too short to be WebAssembly ({len(data)} bytes)", len(data))
    if bytes(data[:4]) != MAGIC:
        raise WasmFormatError(f"not WebAssembly: wrong magic {bytes(data[:4])!r}, expected b'\\x00asm'", 0)
    if len(data) < 8:
        raise WasmFormatError("truncated header: version missing", len(data))
    version = bytes(data[4:8])
    if version == MODULE_VERSION:
        return "module"
    if version == COMPONENT_VERSION:
        return "component"
    if version[2:] == b"\x01\x00":
        return "component"
    raise WasmFormatError(f"unsupported WebAssembly version {version.hex()}", 4)


def read_sections(data: ModuleBytes) -> tuple[str, list[Section]]:
    """The kind and every section's position, reading only section headers and custom-section names."""
    kind = header_kind(data)
    names = MODULE_SECTION_NAMES if kind == "module" else COMPONENT_SECTION_NAMES
    r = Reader(data, 8)
    sections: list[Section] = []
    while not r.at_end:
        offset = r.pos
        sid = r.u8()
        if sid not in names:
            raise WasmFormatError(f"unknown section id {sid}", offset)
        size_at = r.pos
        size = r.u32()
        payload = r.pos
        if payload + size > r.end:
            raise WasmFormatError(
                f"{names[sid]} section of {size} bytes runs past the end of the file "
                f"({r.end - payload} bytes left)", size_at)
        custom_name = None
        if sid == 0:
            custom_name = Reader(data, payload, payload + size).name()
        sections.append(Section(sid, names[sid], offset, size, payload, custom_name))
        r.pos = payload + size
    return kind, sections
