"""Which imports of a component this host cannot provide, and why, in words.

The host is wasmtime's WASI 0.2 (`Linker.add_wasip2()`): the interfaces of the `wasi:cli/command` world
(cli, clocks, filesystem, io, random, sockets) at any 0.2.x version. wasmtime-py cannot list what a
linker defines, so the set is written down here from the WASI 0.2 worlds; anything else is explained by
where it comes from: another standard WASI world (`wasi:http/proxy`...), another WASI version, or the
component's own custom interface that some host or composed component would have to supply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import wasmtime
from wasmtime import component as wc

HOST_WORLD = "wasi:cli/command@0.2"

WASIP2_INTERFACES: dict[str, tuple[str, ...]] = {
    "wasi:cli": ("environment", "exit", "stdin", "stdout", "stderr", "terminal-input", "terminal-output",
                 "terminal-stdin", "terminal-stdout", "terminal-stderr"),
    "wasi:clocks": ("monotonic-clock", "wall-clock"),
    "wasi:filesystem": ("types", "preopens"),
    "wasi:io": ("error", "poll", "streams"),
    "wasi:random": ("random", "insecure", "insecure-seed"),
    "wasi:sockets": ("network", "instance-network", "udp", "udp-create-socket", "tcp", "tcp-create-socket",
                     "ip-name-lookup"),
}

OTHER_WORLDS: dict[str, str] = {
    "wasi:http": "wasi:http/proxy (HTTP handlers, served by `wasmtime serve`)",
    "wasi:keyvalue": "wasi:keyvalue/imports (key-value stores)",
    "wasi:config": "wasi:config/imports (runtime configuration)",
    "wasi:blobstore": "wasi:blobstore/imports (object storage)",
    "wasi:messaging": "wasi:messaging/imports (message queues)",
    "wasi:nn": "wasi:nn/ml (machine-learning inference)",
    "wasi:logging": "wasi:logging/imports (structured logging)",
    "wasi:observe": "wasi:observe/imports (telemetry)",
    "wasi:threads": "wasi:threads (thread spawning, a preview-1 era proposal)",
}

_NAME = re.compile(r"^(?P<package>[a-z][a-z0-9-]*:[a-z][a-z0-9-]*(?::[a-z0-9-]+)*)/(?P<iface>[^@]+)"
                   r"(?:@(?P<version>.+))?$")


@dataclass
class MissingImport:
    name: str
    """The import as the component names it, e.g. "wasi:http/outgoing-handler@0.2.0"."""
    interface: str
    """Package and interface without the version, e.g. "wasi:http/outgoing-handler" (or the bare name)."""
    world: str | None
    """The standard world the interface belongs to, when it belongs to one."""
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def _version_major_minor(version: str | None) -> tuple[int, int] | None:
    if not version:
        return None
    m = re.match(r"^(\d+)\.(\d+)", version)
    return (int(m.group(1)), int(m.group(2))) if m else None


def explain_import(name: str, kind: str = "interface") -> MissingImport | None:
    """None when this host provides the import, else what is missing and why."""
    m = _NAME.match(name)
    if m is None:
        return MissingImport(name, name, None,
                             f"a world-level {kind} import named {name!r}: only the component's own world "
                             f"defines it, and this host provides only WASI 0.2 interfaces ({HOST_WORLD}); "
                             f"a host or a composed component would have to supply it")
    package, iface, version = m.group("package"), m.group("iface"), m.group("version")
    interface = f"{package}/{iface}"
    if package in WASIP2_INTERFACES:
        if iface not in WASIP2_INTERFACES[package]:
            return MissingImport(name, interface, None,
                                 f"{package} has no interface {iface!r} in WASI 0.2; it may be an unstable "
                                 f"or newer addition this host does not provide")
        if _version_major_minor(version) != (0, 2):
            shown = version or "no version"
            return MissingImport(
                name,
                interface,
                HOST_WORLD,
                f"the component wants {interface} at {shown}, but this host provides WASI 0.2.x "
                f"(interfaces of {HOST_WORLD}); rebuild it against WASI 0.2",
            )
        return None
    if package in OTHER_WORLDS:
        world = OTHER_WORLDS[package]
        return MissingImport(
            name,
            interface,
            world.split(" ")[0],
            f"part of the {world} world; this playground runs components in the "
            f"{HOST_WORLD} world, which does not include it",
        )
    return MissingImport(
        name,
        interface,
        None,
        f"a custom interface of package {package}: no standard world defines it, so the "
        f"component expects a host (or a component composed with it) to implement it",
    )


def missing_imports(engine: wasmtime.Engine, component: wc.Component) -> list[MissingImport]:
    """Every import of `component` that `Linker.add_wasip2()` leaves unsatisfied, explained."""
    missing = []
    for name, extern in component.type.imports(engine).items():
        ty = extern.ty
        kind = (
            "function"
            if isinstance(ty, wc.FuncType)
            else ("resource" if isinstance(ty, wc.ResourceType) else "interface")
        )
        explanation = explain_import(name, kind)
        if explanation is not None:
            missing.append(explanation)
    return missing


def explain_missing(missing: list[MissingImport]) -> str:
    """One paragraph for the user: what cannot be provided and from which world it comes."""
    if not missing:
        return "this host provides every import of the component"
    lines = [f"this host cannot provide {len(missing)} import{'s' * (len(missing) != 1)} of the component:"]
    lines += [f"  - {m}" for m in missing]
    return "\n".join(lines)
