"""What the interposer will do with each import of a guest component: which interfaces and functions it
wraps, with which types, in which capability group, and how a denied call answers.

Built once from wasmtime's view of the guest's import types and cached as JSON beside the interposer,
so a cached run never compiles the guest just to learn its types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.trace.component import flat
from wasi_playground.core.trace.component.model import Ty, Unsupported, from_wasmtime
from wasi_playground.core.wasi.knowledge import HOST_P2_PACKAGES, P2_INTERFACE_GROUPS

HOST_VERSION = "@0.2."
DENIAL_ERROR_CASES = ("access", "access-denied", "not-permitted", "closed")
NEVER_DENIED = ("wasi:cli/exit",)


@dataclass
class Func:
    index: int
    interface: str
    name: str
    params: tuple[tuple[str, Ty], ...]
    result: Ty | None
    group: str
    untraced: str = ""
    """Why this function passes straight through, unrecorded ("" when traced)."""
    deny: str = ""
    """How a denied call answers: "error <case>", "empty", "skip", or "" when it cannot be denied."""

    @property
    def wit_name(self) -> str:
        return f"{self.interface}#{self.name}"

    @property
    def fallible(self) -> bool:
        """Whether it returns a `result`, so a call of it can fail."""
        return self.result is not None and self.result.kind == "result"


@dataclass
class Interface:
    name: str
    resources: list[tuple[str, str]] = field(default_factory=list)
    """(export name, resource key); a key starting with another interface's name is a `use`."""
    types: list[tuple[str, Ty]] = field(default_factory=list)
    funcs: list[Func] = field(default_factory=list)


@dataclass
class Plan:
    interfaces: list[Interface]
    exports: list[tuple[str, str]]
    """(name, "instance" or "func") of each guest export the interposer re-exports."""
    untraced: str = ""
    """Why the whole component runs untraced ("" when the interposer applies)."""

    @property
    def funcs(self) -> list[Func]:
        return [f for i in self.interfaces for f in i.funcs]

    def notes(self) -> list[str]:
        if self.untraced:
            return [self.untraced]
        return [f"{f.wit_name} is not traced: {f.untraced}" for f in self.funcs if f.untraced]

    def to_json(self) -> dict[str, Any]:
        return {"untraced": self.untraced, "exports": self.exports, "interfaces": [
            {"name": i.name, "resources": i.resources, "types": [[n, t.to_json()] for n, t in i.types],
             "funcs": [[f.name, [[n, t.to_json()] for n, t in f.params],
                        f.result.to_json() if f.result else None, f.group, f.untraced, f.deny]
                       for f in i.funcs]}
            for i in self.interfaces]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Plan:
        interfaces, index = [], 0
        for d in data["interfaces"]:
            iface = Interface(d["name"], [(n, k) for n, k in d["resources"]],
                              [(n, Ty.from_json(t)) for n, t in d["types"]])
            for name, params, result, group, untraced, deny in d["funcs"]:
                iface.funcs.append(Func(index, iface.name, name,
                                        tuple((n, Ty.from_json(t)) for n, t in params),
                                        Ty.from_json(result) if result is not None else None,
                                        group, untraced, deny))
                index += 1
            interfaces.append(iface)
        exports = [(n, k) for n, k in data["exports"]]
        return Plan(interfaces, exports, data["untraced"])


def plan_imports(imports: dict[str, Any], exports: list[tuple[str, str]], engine: Any) -> Plan:
    """The plan for a guest whose `Component.type.imports(engine)` are `imports`."""
    from wasmtime import component as wc

    interfaces: list[Interface] = []
    resources: list[tuple[str, Any]] = []
    for name, extern in imports.items():
        why = _unforwardable(name)
        ty = extern.ty
        if not why and not isinstance(ty, wc.ComponentInstanceType):
            why = "it is not an interface instance"
        if why:
            return Plan([], exports, f"this component runs untraced: its import {name} cannot be "
                                     f"forwarded by the trace interposer ({why})")
        try:
            interfaces.append(_interface(name, ty.exports(engine), resources, len(
                [f for i in interfaces for f in i.funcs])))
        except Unsupported as e:
            return Plan([], exports, f"this component runs untraced: its import {name} uses a type the "
                                     f"trace interposer cannot forward ({e})")
    return Plan(interfaces, exports)


def _unforwardable(name: str) -> str:
    if not name.startswith(HOST_P2_PACKAGES):
        return "not one of the WASI 0.2 interfaces wasmtime provides here"
    if HOST_VERSION not in name:
        return "a WASI version other than 0.2, which wasmtime here does not provide"
    return ""


def _interface(name: str, items: dict[str, Any], resources: list[tuple[str, Any]], first: int) -> Interface:
    from wasmtime import component as wc

    iface = Interface(name)
    for item_name, extern in items.items():
        ty = extern.ty
        if isinstance(ty, wc.ResourceType):
            key = next((k for k, known in resources if _same(known, ty)), None)
            if key is None:
                key = f"{name}#{item_name}"
                resources.append((key, ty))
            iface.resources.append((item_name, key))
    for item_name, extern in items.items():
        ty = extern.ty
        if isinstance(ty, wc.FuncType):
            iface.funcs.append(_func(first + len(iface.funcs), name, item_name, ty, resources))
        elif not isinstance(ty, wc.ResourceType | wc.ComponentInstanceType | wc.ComponentType):
            iface.types.append((item_name, from_wasmtime(ty, resources)))
    return iface


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _func(index: int, interface: str, name: str, ty: Any, resources: list[tuple[str, Any]]) -> Func:
    params = tuple((n, from_wasmtime(t, resources)) for n, t in ty.params)
    result = from_wasmtime(ty.result, resources) if ty.result is not None else None
    func = Func(index, interface, name, params, result, group_of(interface, name))
    func.untraced = _untraceable(params)
    func.deny = "" if interface.startswith(NEVER_DENIED) else denial_kind(result)
    return func


PACKAGE_GROUPS = {"wasi:sockets/": "sockets", "wasi:http/": "sockets", "wasi:clocks/": "clocks",
                  "wasi:random/": "random", "wasi:filesystem/": "filesystem", "wasi:io/": "stdio",
                  "wasi:cli/": "stdio"}


def group_of(interface: str, func: str) -> str:
    """The capability group of a function: by interface where the knowledge table names it, else by
    package (`wasi:sockets/udp-create-socket` is sockets)."""
    if interface.startswith("wasi:cli/environment"):
        return "args" if func == "get-arguments" else "environment"
    groups = P2_INTERFACE_GROUPS.get(interface.split("@")[0])
    if groups:
        return groups[0]
    return next((g for prefix, g in PACKAGE_GROUPS.items() if interface.startswith(prefix)), "stdio")


def _untraceable(params: tuple[tuple[str, Ty], ...]) -> str:
    """Borrows the generated wrapper cannot find to drop: anywhere but a top-level parameter, a record
    or tuple parameter, or a list of borrows."""
    for _, ty in params:
        if ty.kind == "list" and ty.element.kind == "borrow":
            continue
        if _nested_borrow(ty, top=True):
            return "a parameter holds a borrowed handle inside a list or variant"
    return ""


def _nested_borrow(ty: Ty, top: bool) -> bool:
    if ty.kind == "borrow":
        return not top
    if ty.kind in ("record", "tuple"):
        return any(t is not None and _nested_borrow(t, top) for _, t in ty.items)
    return any(t is not None and _nested_borrow(t, False) for _, t in ty.items)


def denial_kind(result: Ty | None) -> str:
    if result is None:
        return "skip"
    if result.kind == "result":
        err = result.items[1][1]
        if err is not None and err.kind in ("enum", "variant"):
            for case, payload in err.items:
                if case in DENIAL_ERROR_CASES and payload is None:
                    return f"error {case}"
        return ""
    return "empty" if zero_is_valid(result) else ""


def zero_is_valid(ty: Ty) -> bool:
    """Whether all-zero bytes are a value of `ty` that hands out no handle: numbers, empty strings and
    lists (whatever their elements), `none`, first enum and variant cases."""
    if ty.kind in ("own", "borrow"):
        return False
    if ty.kind in ("list", "string"):
        return True
    if ty.kind in ("record", "tuple"):
        return all(t is not None and zero_is_valid(t) for _, t in ty.items)
    if ty.kind in ("variant", "option", "result"):
        first = ty.items[0][1]
        return first is None or zero_is_valid(first)
    return True


def denial_bytes(func: Func) -> bytes:
    """The denied answer in the canonical ABI's memory layout of the result."""
    result = func.result
    assert result is not None
    out = bytearray(flat.size(result))
    if func.deny.startswith("error "):
        err = result.items[1][1]
        assert err is not None
        out[0] = 1
        case = [n for n, _ in err.items].index(func.deny.split(" ", 1)[1])
        at = flat.payload_offset(result)
        out[at:at + flat.discriminant_size(len(err.items))] = case.to_bytes(
            flat.discriminant_size(len(err.items)), "little")
    return bytes(out)
