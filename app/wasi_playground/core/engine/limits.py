"""Stores with limits, how big a module's memory and table ended up, and saying in words when a limit bit.

wasmtime refuses a `memory.grow` or `table.grow` past a store limit silently (the guest sees -1), and it
only lets the host read memories and tables a module exports. So before compiling, `add_probe_exports`
appends exports of memory 0 and table 0 to the export section (nothing else changes: no code, no
indices), and after the run `describe_limits` compares the final sizes with the limits. Because this moves
the code section, trap offsets are shifted back with the returned `offset_shift` / `shift_after`.
"""

from __future__ import annotations

from dataclasses import dataclass

import wasmtime

from wasi_playground.core.binary.reader import Reader, WasmFormatError, read_sections, uleb128
from wasi_playground.core.engine.compile import spliced
from wasi_playground.core.engine.config import Limits

MEMORY_PROBE = "wasi-playground:memory0"
TABLE_PROBE = "wasi-playground:table0"
PAGE = 65536
_BEFORE_EXPORTS = {1, 2, 3, 4, 5, 6, 13}


@dataclass
class ProbedModule:
    data: bytes
    offset_shift: int = 0
    shift_after: int = 0
    has_memory: bool = False
    has_table: bool = False
    memory_exported_for_wasi: bool = False
    """The module did not export its memory; it is now exported as "memory" so WASI calls can work."""


def _count_imports(r: Reader) -> tuple[int, int]:
    tables = memories = 0
    for _ in range(r.count(3)):
        r.name()
        r.name()
        kind = r.u8()
        r.skip_import_desc(kind)
        if kind == 1:
            tables += 1
        elif kind == 2:
            memories += 1
    return tables, memories


def _export_names(r: Reader) -> set[str]:
    names = set()
    for _ in range(r.count(3)):
        names.add(r.name())
        r.u8()
        r.u32()
    return names


def add_probe_exports(data: bytes) -> ProbedModule:
    """The module with memory 0 and table 0 exported (unchanged if it has neither, is a component, or
    cannot be read). Memory 0 is exported as "memory" when nothing else has that name, because wasmtime's
    WASI needs that export and small hand-written modules often leave it out."""
    try:
        kind, sections = read_sections(data)
        if kind != "module":
            return ProbedModule(data)
        tables = memories = 0
        for s in sections:
            r = s.reader(data)
            if s.id == 2:
                t, m = _count_imports(r)
                tables, memories = tables + t, memories + m
            elif s.id in (4, 5):
                n = r.count()
                tables += n if s.id == 4 else 0
                memories += n if s.id == 5 else 0
        export = next((s for s in sections if s.id == 7), None)
        exported = _export_names(Reader(data, export.payload_offset, export.end)) if export else set()
        memory_name = MEMORY_PROBE if "memory" in exported else "memory"
        entries = []
        if memories:
            name = memory_name.encode()
            entries.append(uleb128(len(name)) + name + b"\x02\x00")
        if tables:
            name = TABLE_PROBE.encode()
            entries.append(uleb128(len(name)) + name + b"\x01\x00")
        if not entries:
            return ProbedModule(data)
        if export is not None:
            r = export.reader(data)
            count = r.u32()
            payload = uleb128(count + len(entries)) + bytes(data[r.pos:export.end]) + b"".join(entries)
            start, end = export.offset, export.end
        else:
            payload = uleb128(len(entries)) + b"".join(entries)
            before = [s.end for s in sections if s.id in _BEFORE_EXPORTS]
            start = end = max(before) if before else 8
        section = b"\x07" + uleb128(len(payload)) + payload
        new = spliced(data, start, end, section)
        return ProbedModule(new, offset_shift=len(new) - len(data), shift_after=start + len(section),
                            has_memory=bool(memories), has_table=bool(tables),
                            memory_exported_for_wasi=bool(memories) and memory_name == "memory")
    except WasmFormatError:
        return ProbedModule(data)


def new_store(engine: wasmtime.Engine, limits: Limits | None = None, data: object = None) -> wasmtime.Store:
    """A store with the memory/table limits and fuel of `limits` applied (fuel needs a fuel engine).

    Engines from `get_engine` interrupt on epochs, and a fresh store's deadline is "now", so the store gets
    a deadline that never comes; `Interrupter.attach` replaces it with a per-tick check when stopping matters.
    """
    store = wasmtime.Store(engine, data)
    store.set_epoch_deadline(1 << 62)
    if limits is not None:
        store.set_limits(
            memory_size=limits.max_memory_bytes if limits.max_memory_bytes is not None else -1,
            table_elements=limits.max_table_elements if limits.max_table_elements is not None else -1,
        )
        if limits.fuel is not None:
            store.set_fuel(limits.fuel)
    return store


def format_bytes(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def uses_table_grow(data: bytes) -> bool:
    """Whether the code section contains the `table.grow` opcode bytes (a cheap scan, may over-report)."""
    try:
        _, sections = read_sections(data)
    except WasmFormatError:
        return False
    return any(s.id == 10 and b"\xfc\x0f" in data[s.payload_offset:s.end] for s in sections)


def describe_limits(limits: Limits, memory_bytes: int | None, table_elements: int | None,
                    table_grow_used: bool) -> str | None:
    """Words for a memory/table limit that bit, or None.

    wasmtime does not tell us the size a refused grow asked for, so the sentence names the limit and where
    the memory or table stopped. A memory limit is reported when less than a quarter of it was left
    unused at the end; a table limit when the module grows tables at all.
    """
    parts = []
    lim_mem = limits.max_memory_bytes
    if lim_mem is not None and memory_bytes is not None:
        if memory_bytes + PAGE > lim_mem or memory_bytes * 4 >= lim_mem * 3:
            parts.append(
                f"memory.grow past {format_bytes(lim_mem)} refused: limit is {format_bytes(lim_mem)} "
                f"(memory stopped at {format_bytes(memory_bytes)})"
            )
    lim_tab = limits.max_table_elements
    if lim_tab is not None and table_elements is not None and table_grow_used:
        parts.append(
            f"table.grow past {lim_tab} elements refused: limit is {lim_tab} elements "
            f"(table stopped at {table_elements})"
        )
    return "; ".join(parts) or None


def probe_sizes(store: wasmtime.Store, instance: wasmtime.Instance) -> tuple[int | None, int | None]:
    """Final (memory bytes, table elements) of memory 0 and table 0, via the probe exports or usual names."""
    exports = instance.exports(store)
    memory_bytes = table_elements = None
    memory = exports.get(MEMORY_PROBE) or exports.get("memory")
    if isinstance(memory, wasmtime.Memory):
        memory_bytes = memory.data_len(store)
    table = exports.get(TABLE_PROBE)
    if isinstance(table, wasmtime.Table):
        table_elements = table.size(store)
    return memory_bytes, table_elements
