"""DWARF debug information from a module's `.debug_*` custom sections, read with pyelftools.

In WebAssembly, DWARF addresses are offsets into the code section's payload, so a line-table row maps to
the module byte `code.payload_offset + address`; that is how a function (by its body offset) finds its
source file and line.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field

from wasi_playground.core.binary.reader import Section, WasmFormatError, read_sections
from wasi_playground.core.lookinside.module_ref import PathOrRef

_SECTION_ARGS = {
    ".debug_info": "debug_info_sec",
    ".debug_aranges": "debug_aranges_sec",
    ".debug_abbrev": "debug_abbrev_sec",
    ".debug_frame": "debug_frame_sec",
    ".debug_str": "debug_str_sec",
    ".debug_loc": "debug_loc_sec",
    ".debug_ranges": "debug_ranges_sec",
    ".debug_line": "debug_line_sec",
    ".debug_pubtypes": "debug_pubtypes_sec",
    ".debug_pubnames": "debug_pubnames_sec",
    ".debug_addr": "debug_addr_sec",
    ".debug_str_offsets": "debug_str_offsets_sec",
    ".debug_line_str": "debug_line_str_sec",
    ".debug_loclists": "debug_loclists_sec",
    ".debug_rnglists": "debug_rnglists_sec",
    ".debug_types": "debug_types_sec",
}
_ALL_ARGS = [
    "debug_info_sec",
    "debug_aranges_sec",
    "debug_abbrev_sec",
    "debug_frame_sec",
    "eh_frame_sec",
    "debug_str_sec",
    "debug_loc_sec",
    "debug_ranges_sec",
    "debug_line_sec",
    "debug_pubtypes_sec",
    "debug_pubnames_sec",
    "debug_addr_sec",
    "debug_str_offsets_sec",
    "debug_line_str_sec",
    "debug_loclists_sec",
    "debug_rnglists_sec",
    "debug_sup_sec",
    "gnu_debugaltlink_sec",
    "debug_types_sec",
]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")


@dataclass
class CompileUnit:
    name: str
    comp_dir: str
    producer: str
    files: list[str]


@dataclass
class DebugInfo:
    units: list[CompileUnit]
    code_start: int
    """Module offset that DWARF address 0 stands for (the code section's payload)."""
    _addresses: list[int] = field(default_factory=list, repr=False)
    _rows: list[SourceLocation | None] = field(default_factory=list, repr=False)
    warnings: list[str] = field(default_factory=list)

    @property
    def source_files(self) -> list[str]:
        seen: dict[str, None] = {}
        for unit in self.units:
            for f in unit.files:
                seen.setdefault(f, None)
        return list(seen)

    def location_at(self, module_offset: int) -> SourceLocation | None:
        """The line-table row covering a module byte offset inside the code section."""
        i = bisect.bisect_right(self._addresses, module_offset - self.code_start) - 1
        return self._rows[i] if i >= 0 else None

    def location_in(self, start: int, end: int) -> SourceLocation | None:
        """The first source line of a function body spanning module bytes [start, end)."""
        rel_start, rel_end = start - self.code_start, end - self.code_start
        i = bisect.bisect_left(self._addresses, rel_start)
        while i < len(self._addresses) and self._addresses[i] < rel_end:
            row = self._rows[i]
            if row is not None and row.line:
                return row
            i += 1
        return self.location_at(start)


@dataclass
class DebugSummary:
    """What the Debug view lists, small enough to come back from the helper process."""

    units: list[CompileUnit]
    files: list[str]
    functions: list[tuple[int, str, str]]
    """(function index, name, "file:line")."""


def debug_summary(source: PathOrRef) -> DebugSummary | None:
    """Compilation units, source files and each defined function's source line; None without DWARF.
    Run it with `core.elsewhere.run_elsewhere`: reading DWARF leaves garbage whose collection stalls a
    process for hundreds of milliseconds."""
    from wasi_playground.core.lookinside.functions import FunctionTable

    table = FunctionTable.from_path(source)  # not the shared cache: in the helper it would only hold memory
    info = read_debug_info(table.data, table.module.sections)
    if info is None:
        return None
    functions = []
    for i in range(table.imported_count, len(table)):
        span = table.body_range(i)
        loc = info.location_in(*span) if span else None
        functions.append((i, table.display_name(i), str(loc) if loc else ""))
    return DebugSummary(info.units, info.source_files, functions)


def has_dwarf(sections: list[Section]) -> bool:
    return any(s.id == 0 and s.custom_name == ".debug_info" for s in sections)


def _join(directory: str, name: str) -> str:
    if not directory or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return name
    return directory.rstrip("/") + "/" + name


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value) if value is not None else ""


def _file_names(lp: object) -> list[str]:
    header = lp.header  # type: ignore[attr-defined]
    dirs = [_text(d) for d in header["include_directory"]]
    version = header["version"]
    names = []
    for entry in header["file_entry"]:
        d = entry.dir_index
        if version >= 5:
            directory = dirs[d] if d < len(dirs) else ""
        else:
            directory = dirs[d - 1] if 0 < d <= len(dirs) else ""
        names.append(_join(directory, _text(entry.name)))
    return names


def read_debug_info(data: bytes, sections: list[Section] | None = None) -> DebugInfo | None:
    """The DWARF of a module, or None when it has none. Malformed DWARF raises WasmFormatError."""
    from elftools.common.exceptions import ELFError
    from elftools.dwarf.dwarfinfo import DebugSectionDescriptor, DwarfConfig, DWARFInfo

    if sections is None:
        _, sections = read_sections(data)
    if not has_dwarf(sections):
        return None
    code = next((s for s in sections if s.id == 10), None)
    args: dict[str, object] = dict.fromkeys(_ALL_ARGS)
    for s in sections:
        if s.id == 0 and s.custom_name in _SECTION_ARGS:
            r = s.reader(data)
            r.name()
            payload = bytes(data[r.pos : s.end])
            args[_SECTION_ARGS[s.custom_name]] = DebugSectionDescriptor(
                io.BytesIO(payload), s.custom_name, r.pos, len(payload), 0
            )
    config = DwarfConfig(little_endian=True, machine_arch="wasm", default_address_size=4)
    info = DebugInfo([], code.payload_offset if code else 0)
    rows: list[tuple[int, SourceLocation | None]] = []
    try:
        dwarf = DWARFInfo(config, **args)  # type: ignore[arg-type]
        for cu in dwarf.iter_CUs():
            top = cu.get_top_DIE()
            attrs = top.attributes
            lp = dwarf.line_program_for_CU(cu)
            files = _file_names(lp) if lp is not None else []
            version = lp.header["version"] if lp is not None else 4
            comp_dir = _text(attrs["DW_AT_comp_dir"].value) if "DW_AT_comp_dir" in attrs else ""
            info.units.append(
                CompileUnit(
                    _text(attrs["DW_AT_name"].value) if "DW_AT_name" in attrs else "?",
                    comp_dir,
                    _text(attrs["DW_AT_producer"].value) if "DW_AT_producer" in attrs else "",
                    [_join(comp_dir, f) for f in files],
                )
            )
            if lp is None:
                continue
            for entry in lp.get_entries():
                state = entry.state
                if state is None:
                    continue
                if state.end_sequence:
                    rows.append((state.address, None))
                    continue
                idx = state.file if version >= 5 else state.file - 1
                name = info.units[-1].files[idx] if 0 <= idx < len(files) else "?"
                rows.append((state.address, SourceLocation(name, state.line, state.column)))
    except (ELFError, KeyError, IndexError, ValueError, AssertionError) as e:
        raise WasmFormatError(f"DWARF debug information unreadable: {e}", 0) from None
    except Exception as e:  # pyelftools raises assorted errors on hostile input; say so, never crash
        raise WasmFormatError(f"DWARF debug information unreadable: {type(e).__name__}: {e}", 0) from None
    rows.sort(key=lambda r: r[0])
    info._addresses = [a for a, _ in rows]
    info._rows = [row for _, row in rows]
    return info
