"""Turn the user module's own memory into an import, so the host creates it and the wrapper can share it.

WASI reads the *caller's* exported `memory`. The caller of the real WASI functions is the trace wrapper,
so the wrapper must export the very memory the user module uses. A memory definition cannot be shared,
an imported memory can: the one memory the module defines is moved into the import section (same
limits), which keeps memory index 0 and changes no code, no function index and no data segment.
"""

from __future__ import annotations

from dataclasses import dataclass

from wasi_playground.core.binary.reader import Reader, Section, WasmFormatError, read_sections, uleb128
from wasi_playground.core.engine.compile import Piece, assembled
from wasi_playground.core.engine.config import ConfigError

MEMORY_MODULE = ""
MEMORY_NAME = ""
"""Empty names keep the new import as short as the memory section it replaces (see `_same_length`)."""
_IMPORT_SECTION = 2
_MEMORY_SECTION = 5


@dataclass(frozen=True)
class MemoryLimits:
    minimum: int
    maximum: int | None


@dataclass(frozen=True)
class RewrittenModule:
    data: bytes
    memory: MemoryLimits | None
    """Limits of the memory the host must create, or None when the module has no memory."""
    wasi_imports: tuple[str, ...]
    """Names imported from wasi_snapshot_preview1, in import order."""


def _padded_leb(n: int, width: int) -> bytes:
    """LEB128 stretched to `width` bytes with continuation bits (valid for u32 up to 5 bytes)."""
    out = bytearray(uleb128(n))
    if len(out) < width:
        out[-1] |= 0x80
        out += b"\x80" * (width - len(out) - 1) + b"\x00"
    return bytes(out)


def _same_length(entries: list[bytes], old_bytes: int) -> bytes:
    """The import section, padded so that it takes exactly the bytes the old import and memory sections
    took when that is possible: then the code section does not move and trap offsets stay true."""
    payload_entries = b"".join(entries)
    count_leb, size = uleb128(len(entries)), len(uleb128(len(entries))) + len(payload_entries)
    section = _section(_IMPORT_SECTION, count_leb + payload_entries)
    missing = old_bytes - len(section)
    if missing <= 0:
        return section
    count_width = len(count_leb) + max(0, missing - (5 - len(uleb128(size))))
    if count_width > 5:
        return section
    count_leb = _padded_leb(len(entries), count_width)
    size = len(count_leb) + len(payload_entries)
    size_width = old_bytes - 1 - size
    if not len(uleb128(size)) <= size_width <= 5:
        return section
    return bytes([_IMPORT_SECTION]) + _padded_leb(size, size_width) + count_leb + payload_entries


def _name(text: str) -> bytes:
    raw = text.encode()
    return uleb128(len(raw)) + raw


def _section(section_id: int, payload: bytes) -> bytes:
    return bytes([section_id]) + uleb128(len(payload)) + payload


def _scan_imports(data: bytes, payload_offset: int, size: int) -> tuple[list[bytes], list[str], int]:
    """Raw import entries, the WASI function names, and how many memories are imported."""
    r = Reader(data, payload_offset, payload_offset + size)
    entries: list[bytes] = []
    wasi: list[str] = []
    memories = 0
    for _ in range(r.count(3)):
        start = r.pos
        module, name, kind = r.name(), r.name(), r.u8()
        r.skip_import_desc(kind)
        if kind == 0 and module == "wasi_snapshot_preview1":
            wasi.append(name)
        elif kind == 2:
            memories += 1
        entries.append(data[start:r.pos])
    return entries, wasi, memories


def rewrite_memory_as_import(data: bytes) -> RewrittenModule:
    """The module with its single defined memory imported as `wasi-playground.memory` (see module doc)."""
    try:
        kind, sections = read_sections(data)
    except WasmFormatError as e:
        raise ConfigError(f"cannot trace this module: {e}") from None
    if kind != "module":
        raise ConfigError("only core modules can be traced")
    imports_sec = next((s for s in sections if s.id == _IMPORT_SECTION), None)
    memory_sec = next((s for s in sections if s.id == _MEMORY_SECTION), None)
    try:
        entries, wasi, imported_memories = ([], [], 0) if imports_sec is None else _scan_imports(
            data, imports_sec.payload_offset, imports_sec.size)
        limits = None if memory_sec is None else _defined_memory(data, memory_sec)
    except WasmFormatError as e:
        raise ConfigError(f"cannot trace this module: {e}") from None
    if imported_memories:
        raise ConfigError("cannot trace a module that imports its memory (it must define it)")
    if limits is None:
        return RewrittenModule(data, None, tuple(wasi))
    memtype = (b"\x01" + uleb128(limits.minimum) + uleb128(limits.maximum) if limits.maximum is not None
               else b"\x00" + uleb128(limits.minimum))
    entries.append(_name(MEMORY_MODULE) + _name(MEMORY_NAME) + b"\x02" + memtype)
    old_bytes = (memory_sec.end - memory_sec.offset if memory_sec is not None else 0) + (
        imports_sec.end - imports_sec.offset if imports_sec is not None else 0)
    new_imports = _same_length(entries, old_bytes)
    return RewrittenModule(_with_imports(data, sections, new_imports), limits, tuple(wasi))


def _defined_memory(data: bytes, memory_sec: Section) -> MemoryLimits | None:
    """The limits of the module's one memory; refuses what the tracer cannot host."""
    r = Reader(data, memory_sec.payload_offset, memory_sec.end)
    count = r.count(2)
    if count > 1:
        raise ConfigError("cannot trace a module that defines more than one memory")
    if count == 0:
        return None
    flags = r.u8()
    if flags & ~0x01:
        raise ConfigError("cannot trace a module with a shared or 64-bit memory")
    minimum = r.u32()
    return MemoryLimits(minimum, r.u32() if flags & 0x01 else None)


def _with_imports(data: bytes, sections: list[Section], new_imports: bytes) -> bytes:
    """The module without its memory section and with `new_imports` in the import section's place."""
    out: list[Piece] = [(data, 0, 8)]
    placed = False
    for s in sections:
        if s.id == _MEMORY_SECTION:
            continue
        if not placed and s.id not in (0, 1) and s.id != _IMPORT_SECTION:
            out.append(new_imports)
            placed = True
        if s.id == _IMPORT_SECTION:
            out.append(new_imports)
            placed = True
            continue
        out.append((data, s.offset, s.end))
    if not placed:
        out.append(new_imports)
    return assembled(out)
