"""A component's world, read from wasmtime's component type API and rendered as WIT-like text.

wasmtime knows a component's imports and exports with full types but without WIT's documentation or
package layout, so this is what the component *is*, not the WIT it was written from (for that,
`wit_text.py` asks `wasm-tools component wit`). Resource methods (`[method]counter.increment`) are grouped
under their resource the way WIT writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import wasmtime
from wasmtime import component as wc

from wasi_playground.core.components.types import TypeNames, render_type

WORLD_LEVEL = ""
"""Interface name used for functions and types a component imports or exports directly (not in an
interface)."""

_RESOURCE_FUNC = re.compile(r"^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$")


@dataclass
class FunctionInfo:
    name: str
    """The name inside its interface, e.g. "greet" or "[method]counter.increment"."""
    interface: str
    params: list[tuple[str, Any]]
    result: Any

    @property
    def qualified_name(self) -> str:
        """What `call_component_export` accepts: "iface#func", or the bare name for world-level functions."""
        return f"{self.interface}#{self.name}" if self.interface else self.name

    @property
    def resource(self) -> str | None:
        m = _RESOURCE_FUNC.match(self.name)
        return m.group(2) if m else None

    def signature(self, names: TypeNames | None = None) -> str:
        params = ", ".join(f"{n}: {render_type(t, names)}" for n, t in self.params)
        result = f" -> {render_type(self.result, names)}" if self.result is not None else ""
        return f"func({params}){result}"


@dataclass
class InterfaceInfo:
    name: str
    direction: str
    """"import" or "export"."""
    types: list[tuple[str, Any]] = field(default_factory=list)
    functions: list[FunctionInfo] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    """Items that are neither types nor functions (nested components, core modules), by name."""


@dataclass
class WorldInfo:
    imports: list[InterfaceInfo]
    exports: list[InterfaceInfo]

    def exported_functions(self) -> list[FunctionInfo]:
        return [f for iface in self.exports for f in iface.functions]

    def names_for(self, interface: InterfaceInfo) -> TypeNames:
        shared = [t for i in (*self.imports, *self.exports) if i is not interface for t in i.types]
        return TypeNames(local=list(interface.types), shared=shared)

    def render(self) -> str:
        return render_world(self)


def describe_world(engine: wasmtime.Engine, component: wc.Component) -> WorldInfo:
    ctype = component.type
    return WorldInfo(
        imports=_group(engine, ctype.imports(engine), "import"),
        exports=_group(engine, ctype.exports(engine), "export"),
    )


def _group(engine: wasmtime.Engine, items: dict[str, Any], direction: str) -> list[InterfaceInfo]:
    world_level = InterfaceInfo(WORLD_LEVEL, direction)
    interfaces: list[InterfaceInfo] = []
    for name, extern in items.items():
        ty = extern.ty
        if isinstance(ty, wc.ComponentInstanceType):
            iface = InterfaceInfo(name, direction)
            for item_name, item in ty.exports(engine).items():
                _add_item(iface, item_name, item.ty)
            interfaces.append(iface)
        else:
            _add_item(world_level, name, ty)
    if world_level.types or world_level.functions or world_level.other:
        interfaces.insert(0, world_level)
    return interfaces


def _add_item(iface: InterfaceInfo, name: str, ty: Any) -> None:
    if isinstance(ty, wc.FuncType):
        iface.functions.append(FunctionInfo(name, iface.name, list(ty.params), ty.result))
    elif isinstance(ty, wc.ResourceType | wc.ValType):
        iface.types.append((name, ty))
    else:
        iface.other.append(f"{name} ({type(ty).__name__})")


def _type_definition(name: str, ty: Any, names: TypeNames, indent: str) -> list[str]:
    if isinstance(ty, wc.ResourceType):
        return [f"{indent}resource {name};"]
    if isinstance(ty, wc.RecordType):
        body = [f"{indent}  {n}: {render_type(t, names)}," for n, t in ty.fields]
        return [f"{indent}record {name} {{", *body, f"{indent}}}"]
    if isinstance(ty, wc.VariantType):
        body = [
            f"{indent}  {n}," if t is None else f"{indent}  {n}({render_type(t, names)}),"
            for n, t in ty.cases
        ]
        return [f"{indent}variant {name} {{", *body, f"{indent}}}"]
    if isinstance(ty, wc.EnumType | wc.FlagsType):
        keyword = "enum" if isinstance(ty, wc.EnumType) else "flags"
        return [f"{indent}{keyword} {name} {{", *(f"{indent}  {n}," for n in ty.names), f"{indent}}}"]
    return [f"{indent}type {name} = {render_type(ty, names, expand=True)};"]


def _resource_block(name: str, funcs: list[FunctionInfo], names: TypeNames, indent: str) -> list[str]:
    if not funcs:
        return [f"{indent}resource {name};"]
    lines = [f"{indent}resource {name} {{"]
    for f in funcs:
        m = _RESOURCE_FUNC.match(f.name)
        assert m is not None, f.name  # grouped here by `resource`, which is this match
        kind, _, method = m.groups()
        params = [(n, t) for n, t in f.params if not (kind == "method" and n == "self")]
        args = ", ".join(f"{n}: {render_type(t, names)}" for n, t in params)
        if kind == "constructor":
            lines.append(f"{indent}  constructor({args});")
        else:
            result = f" -> {render_type(f.result, names)}" if f.result is not None else ""
            static = "static " if kind == "static" else ""
            lines.append(f"{indent}  {method}: {static}func({args}){result};")
    lines.append(f"{indent}}}")
    return lines


def render_interface(
    world: WorldInfo, iface: InterfaceInfo, indent: str = "", func_prefix: str = ""
) -> list[str]:
    names = world.names_for(iface)
    by_resource: dict[str, list[FunctionInfo]] = {}
    plain: list[FunctionInfo] = []
    for f in iface.functions:
        (by_resource.setdefault(f.resource, []) if f.resource else plain).append(f)
    lines: list[str] = []
    for name, ty in iface.types:
        if isinstance(ty, wc.ResourceType):
            lines += _resource_block(name, by_resource.pop(name, []), names, indent)
        else:
            lines += _type_definition(name, ty, names, indent)
    for name, funcs in by_resource.items():  # methods of a resource defined elsewhere
        lines += _resource_block(name, funcs, names, indent)
    lines += [f"{indent}{func_prefix}{f.name}: {f.signature(names)};" for f in plain]
    lines += [f"{indent}// also {item}" for item in iface.other]
    return lines


def render_world(world: WorldInfo) -> str:
    """WIT-like text: a `world` block naming what is imported and exported, then each interface."""
    lines = ["world component {"]
    for iface in (*world.imports, *world.exports):
        if iface.name == WORLD_LEVEL:
            lines += render_interface(world, iface, "  ", func_prefix=f"{iface.direction} ")
        else:
            lines.append(f"  {iface.direction} {iface.name};")
    lines.append("}")
    for iface in (*world.imports, *world.exports):
        if iface.name == WORLD_LEVEL:
            continue
        lines += ["", f"// {iface.direction}ed by the component", f"interface {iface.name} {{"]
        lines += render_interface(world, iface, "  ")
        lines.append("}")
    return "\n".join(lines) + "\n"
