"""The canonical lifts and lowers of one component level: which core function implements which WIT function.

A component wires its parts together through index spaces (functions, core functions, instances, core
instances...). `IndexSpaces` records where each index came from while the sections are read in order;
`describe_canonicals` then follows those origins to name both ends of every `canon` definition. What cannot
be followed statically (an index from an outer component, a canonical built-in this reader does not decode)
is said in the text rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.binary.reader import Reader

CANON_KINDS = {0x02: "resource.new", 0x03: "resource.drop", 0x04: "resource.rep", 0x07: "resource.drop async"}
STRING_ENCODINGS = {0x00: "string-encoding=utf8", 0x01: "string-encoding=utf16",
                    0x02: "string-encoding=latin1+utf16"}
INDEXED_OPTIONS = {0x03: "memory", 0x04: "realloc", 0x05: "post-return", 0x07: "callback"}
MAX_DEPTH = 32

Origin = tuple[Any, ...]
"""Where an index came from: ("import", name), ("export", name, index), ("alias", instance, name),
("core alias", core instance, name), ("outer", count, index), ("defined", item position),
("instantiate", target, args), ("exports", entries), ("canon", position), ("type",)."""


@dataclass(frozen=True, slots=True)
class CanonDef:
    kind: str
    """"lift", "lower", "resource.new", "resource.drop", "resource.rep", "resource.drop async"."""
    index: int
    """The function it defines: a component function for a lift, a core function otherwise."""
    target: int
    """The core function lifted, the component function lowered, or the resource type."""
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CanonicalFunction:
    """One canonical definition, both ends named: `wit` (the WIT side) and `core` (the core side)."""

    kind: str
    index: int
    wit: str
    core: str
    options: tuple[str, ...] = ()
    resolved: bool = True
    """False when either end could not be followed (the text says why)."""

    def to_json_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "index": self.index, "wit": self.wit, "core": self.core,
                "options": list(self.options), "resolved": self.resolved}


@dataclass
class IndexSpaces:
    """The index spaces of one component, each index with its origin, in definition order."""

    spaces: dict[str, list[Origin]] = field(default_factory=lambda: defaultdict(list))
    canon: list[CanonDef] = field(default_factory=list)
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    """Sort -> index -> name, from the `component-name` custom section."""
    module_exports: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """Core module index -> its exports, `name` and `kind` (modules defined in this component)."""
    component_exports: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    component_reexports: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    """Nested component index -> its import name -> the export names that pass that import straight on."""
    unread: str | None = None
    """Why some definitions were not decoded (indices after them are unknown), or None."""

    def add(self, sort: str, origin: Origin) -> int:
        space = self.spaces[sort]
        space.append(origin)
        return len(space) - 1

    def origin(self, sort: str, index: int) -> Origin | None:
        space = self.spaces.get(sort, [])
        return space[index] if 0 <= index < len(space) else None

    def label(self, sort: str, index: int) -> str:
        name = self.names.get(sort, {}).get(index)
        return f"{sort} {index}" + (f" ({name})" if name else "")


def read_canon(r: Reader, spaces: IndexSpaces) -> bool:
    """Read one canonical definition into `spaces`; False (with `spaces.unread` set) for one not decoded."""
    at = r.pos
    code = r.u8()
    if code in (0x00, 0x01):
        if r.u8() != 0x00:
            raise r.fail("canonical lift/lower expects the func sort", at + 1)
        target = r.u32()
        options = _options(r)
        if code == 0x00:
            r.u32()
            canon = CanonDef("lift", len(spaces.spaces["func"]), target, options)
            spaces.add("func", ("canon", len(spaces.canon)))
        else:
            canon = CanonDef("lower", len(spaces.spaces["core func"]), target, options)
            spaces.add("core func", ("canon", len(spaces.canon)))
    elif code in CANON_KINDS:
        canon = CanonDef(CANON_KINDS[code], len(spaces.spaces["core func"]), r.u32())
        spaces.add("core func", ("canon", len(spaces.canon)))
    else:
        spaces.unread = (f"canonical built-in 0x{code:02x} at byte offset {at} (async or threads) is not "
                         "decoded here; core function indices after it are unknown")
        return False
    spaces.canon.append(canon)
    return True


def _options(r: Reader) -> tuple[str, ...]:
    out = []
    for _ in range(r.count()):
        at = r.pos
        code = r.u8()
        if code in STRING_ENCODINGS:
            out.append(STRING_ENCODINGS[code])
        elif code in INDEXED_OPTIONS:
            out.append(f"{INDEXED_OPTIONS[code]} {r.u32()}")
        elif code == 0x06:
            out.append("async")
        else:
            raise r.fail(f"unknown canonical option 0x{code:02x}", at)
    return tuple(out)


class _Describer:
    """Follows origins through one component's index spaces to readable names."""

    def __init__(self, spaces: IndexSpaces) -> None:
        self.s = spaces
        self.unresolved = False

    def _unknown(self, text: str) -> str:
        self.unresolved = True
        return text

    def func(self, index: int, depth: int = 0) -> str:
        origin = self.s.origin("func", index)
        if origin is None or depth > MAX_DEPTH:
            return self._unknown(f"func {index} (unknown)")
        tag = origin[0]
        if tag == "import":
            return origin[1]
        if tag == "alias":
            return f"{self.instance(origin[1], depth + 1)}#{origin[2]}"
        if tag == "export":
            return self.func(origin[2], depth + 1)
        if tag == "canon":
            lifted = self.s.canon[origin[1]]
            return f"func {index}, lifted from {self.core_func(lifted.target, depth + 1)}"
        return self._unknown(f"func {index} ({tag} alias, not followed)")

    def instance(self, index: int, depth: int = 0) -> str:
        origin = self.s.origin("instance", index)
        if origin is None or depth > MAX_DEPTH:
            return self._unknown(f"instance {index} (unknown)")
        tag = origin[0]
        if tag == "import":
            return origin[1]
        if tag == "export":
            return self.instance(origin[2], depth + 1)
        if tag == "instantiate":
            return f"{self.s.label('instance', index)} of {self.s.label('component', origin[1])}"
        if tag == "alias":
            return f"{self.instance(origin[1], depth + 1)}#{origin[2]}"
        return self.s.label("instance", index)

    def core_func(self, index: int, depth: int = 0) -> str:
        origin = self.s.origin("core func", index)
        if origin is None or depth > MAX_DEPTH:
            return self._unknown(f"core func {index} (unknown)")
        tag = origin[0]
        if tag == "core alias":
            return self.core_export(origin[1], origin[2], depth + 1)
        if tag == "canon":
            canon = self.s.canon[origin[1]]
            if canon.kind == "lower":
                return f"core func {index}, lowered from {self.func(canon.target, depth + 1)}"
            return f"core func {index}, {canon.kind} of {self.type(canon.target)}"
        return self._unknown(f"core func {index} ({tag} alias, not followed)")

    def core_export(self, instance: int, name: str, depth: int) -> str:
        origin = self.s.origin("core instance", instance)
        if origin is None or depth > MAX_DEPTH:
            return self._unknown(f"core instance {instance} (unknown) export {name!r}")
        if origin[0] == "instantiate":
            return f"{self.s.label('core module', origin[1])} export {name!r}"
        if origin[0] == "exports":
            for entry_name, sort, entry_index in origin[1]:
                if entry_name == name and sort == "core func":
                    return self.core_func(entry_index, depth + 1)
        return self._unknown(f"{self.s.label('core instance', instance)} export {name!r}")

    def type(self, index: int) -> str:
        origin = self.s.origin("type", index)
        if origin is not None and origin[0] == "alias":
            return f"{self.instance(origin[1])}#{origin[2]}"
        if origin is not None and origin[0] in ("import", "export"):
            return origin[1]
        return self.s.label("type", index)


def _exported_as(spaces: IndexSpaces) -> dict[int, list[str]]:
    """Component function -> the WIT names it is exported or passed on as."""
    out: dict[int, list[str]] = defaultdict(list)
    for origin in spaces.spaces.get("func", []):
        if origin[0] == "export":
            out[origin[2]].append(origin[1])
    instance_names = _instance_names(spaces, out)
    for index, origin in enumerate(spaces.spaces.get("instance", [])):
        if origin[0] == "exports":
            for name, sort, func in origin[1]:
                if sort == "func":
                    out[func] += [f"{outer}#{name}" for outer in instance_names.get(index, [])]
    return out


def _instance_names(spaces: IndexSpaces, funcs: dict[int, list[str]]) -> dict[int, list[str]]:
    """Instance -> the names it is exported as; also what instantiation arguments pass on (into `funcs`).

    An argument that a nested component re-exports unchanged (wit-component's shim does) is named by the
    outer export of that instantiation, e.g. `wasi:cli/run@0.2.0#run`.
    """
    names: dict[int, list[str]] = defaultdict(list)
    for origin in spaces.spaces.get("instance", []):
        if origin[0] == "export":
            names[origin[2]].append(origin[1])
    for instance, origin in enumerate(spaces.spaces.get("instance", [])):
        if origin[0] != "instantiate":
            continue
        passed_on = spaces.component_reexports.get(origin[1], {})
        for name, sort, index in origin[2]:
            outers = names.get(instance, [])
            given = [f"{outer}#{export}" for export in passed_on.get(name, []) for outer in outers]
            given = given or [f"{name} (given to {spaces.label('component', origin[1])})"]
            if sort in ("instance", "func"):
                (names if sort == "instance" else funcs)[index] += given
    return names


def _core_users(spaces: IndexSpaces) -> dict[int, list[str]]:
    """Core function -> the core module imports it is given to."""
    given: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for origin in spaces.spaces.get("core instance", []):
        if origin[0] == "instantiate":
            for name, _sort, index in origin[2]:
                given[index].append((origin[1], name))
    out: dict[int, list[str]] = defaultdict(list)
    for index, origin in enumerate(spaces.spaces.get("core instance", [])):
        if origin[0] == "exports":
            for name, sort, func in origin[1]:
                if sort == "core func":
                    out[func] += [f"{spaces.label('core module', m)} import {module!r} {name!r}"
                                  for m, module in given.get(index, [])]
    return out


def describe_canonicals(spaces: IndexSpaces) -> list[CanonicalFunction]:
    exported = _exported_as(spaces)
    users = _core_users(spaces)
    out = []
    for canon in spaces.canon:
        d = _Describer(spaces)
        if canon.kind == "lift":
            names = exported.get(canon.index)
            wit = ", ".join(names) if names else f"func {canon.index} (not exported)"
            core = d.core_func(canon.target)
        else:
            wit = d.func(canon.target) if canon.kind == "lower" else d.type(canon.target)
            given = users.get(canon.index)
            core = spaces.label("core func", canon.index) + (
                f", given to {'; '.join(given)}" if given else ", used inside this component")
        out.append(CanonicalFunction(canon.kind, canon.index, wit, core, canon.options, not d.unresolved))
    return out
