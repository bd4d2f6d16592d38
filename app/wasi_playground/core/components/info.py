"""A component's top-level imports and exports, the WASI 0.2 worlds they imply, and its embedded modules.

Read natively from the component binary (no compilation), so opening a component is as fast as opening a
module. Detailed WIT types are left to the components code; here we want names a person recognises
(`wasi:cli/run@0.2.0`) and the worlds they add up to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wasi_playground.core.binary.component_reader import read_extern_name, read_sort, skip_extern_desc
from wasi_playground.core.binary.reader import ModuleBytes, Reader, Section, WasmFormatError, read_sections

WORLD_BY_EXPORT = {
    "wasi:cli/run": "wasi:cli/command",
    "wasi:http/incoming-handler": "wasi:http/proxy",
}
"""An exported interface (without version) -> the WASI world that exporting it means targeting."""


@dataclass(frozen=True, slots=True)
class ComponentItem:
    name: str
    kind: str
    version: str = ""

    @property
    def interface(self) -> str:
        """`wasi:cli/run` from `wasi:cli/run@0.2.0`."""
        return self.name.split("@", 1)[0]


@dataclass
class ComponentInfo:
    imports: list[ComponentItem] = field(default_factory=list)
    exports: list[ComponentItem] = field(default_factory=list)
    core_modules: list[Section] = field(default_factory=list)
    """Embedded core modules (their payload is a whole module binary)."""
    nested_components: int = 0

    @property
    def worlds(self) -> list[str]:
        found = [WORLD_BY_EXPORT[e.interface] for e in self.exports if e.interface in WORLD_BY_EXPORT]
        return sorted(set(found))

    @property
    def wasi_version(self) -> str | None:
        versions = {i.name.split("@", 1)[1] for i in self.imports + self.exports
                    if i.name.startswith("wasi:") and "@" in i.name}
        return ", ".join(sorted(versions)) or None


def _import(r: Reader) -> ComponentItem:
    name, version = read_extern_name(r)
    return ComponentItem(name, skip_extern_desc(r), version)


def _export(r: Reader) -> ComponentItem:
    name, version = read_extern_name(r)
    kind = read_sort(r)
    r.u32()
    has_desc = r.u8()
    if has_desc == 0x01:
        skip_extern_desc(r)
    elif has_desc != 0x00:
        raise r.fail(f"invalid export type-ascription flag 0x{has_desc:02x}", r.pos - 1)
    return ComponentItem(name, kind, version)


def parse_component(data: ModuleBytes, sections: list[Section] | None = None) -> ComponentInfo:
    """Top-level imports and exports; nested components and core modules are located, not decoded."""
    if sections is None:
        kind, sections = read_sections(data)
        if kind != "component":
            raise WasmFormatError("this is a core module, not a component", 4)
    info = ComponentInfo()
    for s in sections:
        if s.id == 10:
            r = s.reader(data)
            info.imports.extend(_import(r) for _ in range(r.count(3)))
        elif s.id == 11:
            r = s.reader(data)
            info.exports.extend(_export(r) for _ in range(r.count(4)))
        elif s.id == 1:
            info.core_modules.append(s)
        elif s.id == 4:
            info.nested_components += 1
    return info
