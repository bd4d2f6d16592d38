"""Small readers shared by what reads a component's binary: extern names, sorts, extern descriptors.

A component's sections name their items with these few encodings; `components.info` (the top-level imports
and exports) and `components.contents` (what is nested inside) both read them here.
"""

from __future__ import annotations

from typing import Any

from wasi_playground.core.binary.module_info import EXTERNAL_KINDS
from wasi_playground.core.binary.reader import ModuleBytes, Reader, WasmFormatError, read_sections

SORTS = {0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component", 0x05: "instance"}
CORE_SORTS = {0x00: "core func", 0x01: "core table", 0x02: "core memory", 0x03: "core global",
              0x10: "core type", 0x11: "core module", 0x12: "core instance"}
EXTERN_DESCS = {0x00: "core module", 0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component",
                0x05: "instance"}


def read_extern_name(r: Reader) -> tuple[str, str]:
    at = r.pos
    form = r.u8()
    if form not in (0x00, 0x01):
        raise r.fail(f"unknown extern name form 0x{form:02x}", at)
    name = r.name()
    suffix = r.name() if form == 0x01 else ""
    return name, suffix


def skip_extern_desc(r: Reader) -> str:
    at = r.pos
    code = r.u8()
    if code not in EXTERN_DESCS:
        raise r.fail(f"unknown extern descriptor 0x{code:02x}", at)
    if code == 0x00:
        if r.u8() != 0x11:
            raise r.fail("core module import expects a core type index", at)
        r.u32()
    elif code in (0x02, 0x03):
        bound = r.u8()
        if bound == 0x00:
            r.u32()
        elif bound == 0x01:
            if code == 0x02:
                r.s33()
        else:
            raise r.fail(f"unknown bound 0x{bound:02x}", r.pos - 1)
    else:
        r.u32()
    return EXTERN_DESCS[code]


def read_sort(r: Reader) -> str:
    at = r.pos
    code = r.u8()
    if code == 0x00:
        core = r.u8()
        if core not in CORE_SORTS:
            raise r.fail(f"unknown core sort 0x{core:02x}", at)
        return CORE_SORTS[core]
    if code not in SORTS:
        raise r.fail(f"unknown sort 0x{code:02x}", at)
    return SORTS[code]


def module_surface(data: ModuleBytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A core module's imports (`module`, `name`, `kind`) and exports (`name`, `kind`): names only, so
    that a component of many big modules is read in milliseconds (types are the Functions view's job)."""
    kind, sections = read_sections(data)
    if kind != "module":
        raise WasmFormatError("a core module section holds a component", 4)
    imports: list[dict[str, Any]] = []
    exports: list[dict[str, Any]] = []
    for s in sections:
        if s.id == 2:
            r = s.reader(data)
            for _ in range(r.count(3)):
                module, name, at = r.name(), r.name(), r.pos
                code = r.u8()
                if code not in EXTERNAL_KINDS:
                    raise r.fail(f"unknown import kind {code}", at)
                r.skip_import_desc(code)
                imports.append({"module": module, "name": name, "kind": EXTERNAL_KINDS[code]})
        elif s.id == 7:
            r = s.reader(data)
            for _ in range(r.count(3)):
                name, at = r.name(), r.pos
                code = r.u8()
                if code not in EXTERNAL_KINDS:
                    raise r.fail(f"unknown export kind {code}", at)
                r.u32()
                exports.append({"name": name, "kind": EXTERNAL_KINDS[code]})
    return imports, exports
