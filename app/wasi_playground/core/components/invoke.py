"""Calling one exported function of a component with WAVE text arguments, results back as WAVE text.

`call_component_export` is what `run --invoke NAME -- ARGS...` does on a component; a `ComponentSession`
(`core.calls.component_session`) does the same on an instance kept alive between calls. Arguments are
parsed against the function's type before anything is instantiated, so a typo costs nothing and says
where it is.
Every mistake of the caller is a `ValueError` with one clear sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import wasmtime
from wasmtime import component as wc

from wasi_playground.core.components.types import render_type
from wasi_playground.core.components.wave import ResourceResolver, WaveError, format_value, parse_value
from wasi_playground.core.components.world import FunctionInfo, WorldInfo, describe_world


def _strip_version(name: str) -> str:
    return name.split("@", 1)[0]


def _interface_spellings(interface: str) -> set[str]:
    """playground:typed/types@0.1.0 may also be named without its version, or just as "types"."""
    bare = _strip_version(interface)
    return {interface, bare, bare.rsplit("/", 1)[-1]}


def _sugar(func_name: str) -> set[str]:
    """Other spellings accepted for a resource function: counter.increment, counter.new, counter.x."""
    if func_name.startswith("[constructor]"):
        resource = func_name.removeprefix("[constructor]")
        return {func_name, f"{resource}.new", f"{resource}.constructor"}
    for prefix in ("[method]", "[static]"):
        if func_name.startswith(prefix):
            return {func_name, func_name.removeprefix(prefix)}
    return {func_name}


def resolve_export(world: WorldInfo, name: str) -> FunctionInfo:
    """The exported function `name` names: "iface#func" (version optional) or a plain, unambiguous name."""
    functions = world.exported_functions()
    if "#" in name:
        iface, func = name.rsplit("#", 1)
        matches = [f for f in functions if f.interface and func in _sugar(f.name)
                   and iface in _interface_spellings(f.interface)]
    else:
        matches = [f for f in functions if not f.interface and name in _sugar(f.name)]
        if not matches:
            matches = [f for f in functions if name in _sugar(f.name)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f.qualified_name for f in functions) or "no functions"
    if not matches:
        raise ValueError(f"the component exports no function {name!r} (it exports {known})")
    raise ValueError(f"{name!r} is ambiguous: " + ", ".join(f.qualified_name for f in matches)
                     + "; name it as interface#function")


def parse_arguments(info: FunctionInfo, args: list[str], world: WorldInfo | None = None,
                    resolve_resource: ResourceResolver | None = None) -> list[Any]:
    """Python values for `args` (WAVE text) according to the parameters of `info`."""
    names = _names(world, info)
    if len(args) != len(info.params):
        raise ValueError(f"{info.qualified_name} takes {len(info.params)} argument"
                         f"{'s' * (len(info.params) != 1)} {info.signature(names)}, but {len(args)} "
                         f"{'was' if len(args) == 1 else 'were'} given")
    values = []
    for i, (text, (param, ty)) in enumerate(zip(args, info.params, strict=True)):
        try:
            values.append(parse_value(text, ty, resolve_resource))
        except WaveError as e:
            raise WaveError(f"argument {i + 1} ({param}: {render_type(ty, names)}): {e.message}",
                            e.position) from None
    return values


def _names(world: WorldInfo | None, info: FunctionInfo):
    if world is None:
        return None
    iface = next((i for i in world.exports if i.name == info.interface), None)
    return world.names_for(iface) if iface is not None else None


def lookup_func(store: wasmtime.Store, instance: wc.Instance, info: FunctionInfo) -> wc.Func:
    parent = None
    if info.interface:
        parent = instance.get_export_index(store, info.interface)
        if parent is None:
            raise ValueError(f"the instance has no export {info.interface}")
    index = instance.get_export_index(store, info.name, parent)
    func = instance.get_func(store, index) if index is not None else None
    if func is None:
        raise ValueError(f"{info.qualified_name} is not a function of the instance")
    return func


def call_func(func: wc.Func, store: wasmtime.Store, values: list[Any]) -> Any:
    """Call with parsed values; wasmtime-py's TypeError/ValueError while lowering them becomes ValueError."""
    try:
        return func(store, *values)
    except (TypeError, ValueError) as e:
        raise ValueError(f"wasmtime could not pass the arguments: {e}") from None


def format_result(
    value: Any, info: FunctionInfo, name_resource: Callable[[Any], str] | None = None
) -> list[str]:
    """The result as a list of WAVE texts: empty for a function without a result."""
    if info.result is None:
        return []
    return [format_value(value, info.result, name_resource)]


def call_component_export(
    engine: wasmtime.Engine,
    store: wasmtime.Store,
    linker: wc.Linker,
    component: wc.Component,
    name: str,
    args: list[str],
) -> list[str]:
    """Instantiate `component` in `store` with `linker`, call export `name` with WAVE `args`, return the
    result as WAVE text (a one-element list, or empty). Raises ValueError for a bad name or argument;
    traps come through as wasmtime's own exceptions."""
    world = describe_world(engine, component)
    info = resolve_export(world, name)
    values = parse_arguments(info, args, world)
    instance = linker.instantiate(store, component)
    func = lookup_func(store, instance, info)
    result = call_func(func, store, values)
    handles: dict[int, str] = {}

    def name_resource(resource: Any) -> str:
        label = info.resource or "resource"
        return handles.setdefault(id(resource), f"{label}#{len(handles) + 1}")

    return format_result(result, info, name_resource)
