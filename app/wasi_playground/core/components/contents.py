"""What is inside a component: nested components, core modules and instances, and the canonical functions.

Read from the binary without wasmtime, in one pass over the sections (a nested module is never decoded beyond
the names of its imports and exports, so a 40 MB component's tree takes a fraction of a second).
`nested_bytes` gives the exact bytes of a nested core module or component, so the look-inside views can work
on it as on a file.

A nested item is named by its `NestedPath`: the (kind, index) steps from the outer component, e.g.
`(("component", 0), ("core module", 1))`; indices are those of the component's own index spaces (the
`(;N;)` numbers of `wasm-tools print`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from wasi_playground.core.binary.component_reader import (
    CORE_SORTS,
    module_surface,
    read_extern_name,
    read_sort,
    skip_extern_desc,
)
from wasi_playground.core.binary.reader import ModuleBytes, Reader, Section, WasmFormatError, read_sections
from wasi_playground.core.components.canonical import (
    CanonicalFunction,
    IndexSpaces,
    describe_canonicals,
    read_canon,
)

NestedPath = tuple[tuple[str, int], ...]
CORE_EXPORT_KINDS = {0x00: "core func", 0x01: "core table", 0x02: "core memory", 0x03: "core global",
                     0x04: "core tag"}
NAMED_SORTS: dict[tuple[int, ...], str] = {
    **{(0x00, k): v for k, v in CORE_SORTS.items()}, (0x00, 0x04): "core tag",
    (0x01,): "func", (0x02,): "value", (0x03,): "type", (0x04,): "component", (0x05,): "instance"}
MAX_NESTING = 64
"""Deeper nesting is refused (as a format error), not followed until Python's recursion limit."""
SHIM_MODULE = "wit-component-shim-module"
SHIM_NOTE = ("Built by wit-component with a shim: a lowered function given to the fixup module as N fills "
             "slot N of the shim's table, and a core module that imports shim export N calls it there.")


@dataclass
class ContentsItem:
    """A nested core module or component (with `offset`/`size` of its whole binary), or an instance
    (with `offset`/`size` of its definition)."""

    kind: str
    """"core module", "component", "core instance" or "instance"."""
    index: int
    offset: int
    size: int
    path: NestedPath
    name: str | None = None
    imports: list[dict[str, Any]] = field(default_factory=list)
    exports: list[dict[str, Any]] = field(default_factory=list)
    instantiates: int | None = None
    """For an instance: the module (or component) index it instantiates; None when built from exports."""
    children: list[ContentsItem] = field(default_factory=list)
    canonical: list[CanonicalFunction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.kind} {self.index}" + (f" {self.name}" if self.name else "")

    def to_json_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "index": self.index, "name": self.name, "offset": self.offset,
                             "size": self.size, "imports": self.imports, "exports": self.exports}
        if self.kind.endswith("instance"):
            d["instantiates"] = self.instantiates
        else:
            d["path"] = path_text(self.path)
        if self.kind == "component":
            d["children"] = [c.to_json_dict() for c in self.children]
            d["canonical"] = [c.to_json_dict() for c in self.canonical]
        if self.notes:
            d["notes"] = self.notes
        return d


@dataclass
class ComponentContents:
    """The outer component's nested items, its own canonical functions, and what could not be read."""

    items: list[ContentsItem]
    canonical: list[CanonicalFunction]
    notes: list[str]

    def walk(self) -> list[ContentsItem]:
        """Every item, depth first."""
        out: list[ContentsItem] = []
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            out.append(item)
            stack.extend(reversed(item.children))
        return out

    def find(self, path: NestedPath) -> ContentsItem | None:
        return next((i for i in self.walk() if i.path == path and not i.kind.endswith("instance")), None)

    @property
    def core_modules(self) -> list[ContentsItem]:
        return [i for i in self.walk() if i.kind == "core module"]


def path_text(path: NestedPath) -> str:
    """`component 0/core module 1`."""
    return "/".join(f"{kind} {index}" for kind, index in path)


def parse_path_text(text: str) -> NestedPath:
    """The inverse of `path_text`; raises ValueError on anything else."""
    steps = []
    for part in text.strip().strip("/").split("/"):
        kind, _, index = part.strip().rpartition(" ")
        if kind not in ("component", "core module") or not index.isdigit():
            raise ValueError(f"{part!r} is not 'component N' or 'core module N'")
        steps.append((kind, int(index)))
    return tuple(steps)


class _Level:
    """Reads one component's sections, recording index spaces and nested items."""

    def __init__(self, data: ModuleBytes, path: NestedPath, details: bool) -> None:
        self.data = data
        self.path = path
        self.details = details
        self.spaces = IndexSpaces()
        self.items: list[ContentsItem] = []
        self.notes: list[str] = []
        self.imports: list[dict[str, Any]] = []
        self.exports: list[dict[str, Any]] = []
        """This component's own imports (`name`, `kind`) and exports (also `index`), in definition order."""

    def read(self, sections: list[Section]) -> None:
        handlers = {1: self._core_module, 2: self._core_instances, 3: self._count("core type"),
                    4: self._component, 5: self._instances, 6: self._aliases, 7: self._count("type"),
                    8: self._canon, 10: self._imports, 11: self._exports}
        for s in sections:
            if s.id == 0 and s.custom_name == "component-name":
                self._names(s)
            elif s.id in handlers:
                handlers[s.id](s)

    def _item(self, kind: str, index: int, s: Section | tuple[int, int]) -> ContentsItem:
        offset, size = (s.payload_offset, s.size) if isinstance(s, Section) else s
        path = self.path + ((kind, index),) if kind in ("core module", "component") else self.path
        item = ContentsItem(kind, index, offset, size, path)
        self.items.append(item)
        return item

    def _core_module(self, s: Section) -> None:
        index = self.spaces.add("core module", ("defined", len(self.items)))
        item = self._item("core module", index, s)
        if not self.details:
            return
        try:
            with memoryview(self.data)[s.payload_offset:s.end] as inner:
                item.imports, item.exports = module_surface(inner)
        except WasmFormatError as e:
            item.notes.append(f"unreadable: {e.message} at byte offset {item.offset + e.offset}")
            return
        self.spaces.module_exports[index] = item.exports

    def _component(self, s: Section) -> None:
        index = self.spaces.add("component", ("defined", len(self.items)))
        item = self._item("component", index, s)
        nested = read_level(self.data, s.payload_offset, s.end, item.path, self.details)
        item.children, item.notes = nested.items, nested.notes
        item.imports = nested.imports
        item.exports = [{"name": e["name"], "kind": e["kind"]} for e in nested.exports]
        self.spaces.component_exports[index] = item.exports
        self.spaces.component_reexports[index] = nested.reexports()
        if self.details:
            item.canonical = describe_canonicals(nested.spaces)

    def _count(self, sort: str) -> Callable[[Section], None]:
        def read(s: Section) -> None:
            for _ in range(s.reader(self.data).count()):
                self.spaces.add(sort, ("type",))
        return read

    def _core_instances(self, s: Section) -> None:
        r = s.reader(self.data)
        for _ in range(r.count(2)):
            at = r.pos
            form = r.u8()
            if form == 0x00:
                module = r.u32()
                args = []
                for _ in range(r.count(3)):
                    name = r.name()
                    if r.u8() != 0x12:
                        raise r.fail("core instantiation argument must be an instance", r.pos - 1)
                    args.append((name, "core instance", r.u32()))
                origin: tuple[Any, ...] = ("instantiate", module, args)
            elif form == 0x01:
                origin = ("exports", [(r.name(), _core_export_kind(r), r.u32()) for _ in range(r.count(3))])
            else:
                raise r.fail(f"unknown core instance form 0x{form:02x}", at)
            self._instance_item("core instance", origin, (at, r.pos - at))

    def _instances(self, s: Section) -> None:
        r = s.reader(self.data)
        for _ in range(r.count(2)):
            at = r.pos
            form = r.u8()
            if form == 0x00:
                component = r.u32()
                args = [(r.name(), read_sort(r), r.u32()) for _ in range(r.count(3))]
                origin: tuple[Any, ...] = ("instantiate", component, args)
            elif form == 0x01:
                origin = ("exports", [(read_extern_name(r)[0], read_sort(r), r.u32())
                                      for _ in range(r.count(3))])
            else:
                raise r.fail(f"unknown instance form 0x{form:02x}", at)
            self._instance_item("instance", origin, (at, r.pos - at))

    def _instance_item(self, kind: str, origin: tuple[Any, ...], span: tuple[int, int]) -> None:
        index = self.spaces.add(kind, origin)
        item = self._item(kind, index, span)
        if origin[0] == "instantiate":
            item.instantiates = origin[1]
            item.imports = [{"name": n, "kind": sort, "index": i} for n, sort, i in origin[2]]
            target = self.spaces.module_exports if kind == "core instance" else self.spaces.component_exports
            item.exports = list(target.get(origin[1], []))
        else:
            item.exports = [{"name": n, "kind": sort, "index": i} for n, sort, i in origin[1]]

    def _aliases(self, s: Section) -> None:
        r = s.reader(self.data)
        for _ in range(r.count(3)):
            sort = read_sort(r)
            at = r.pos
            target = r.u8()
            if target == 0x00:
                origin: tuple[Any, ...] = ("alias", r.u32(), r.name())
            elif target == 0x01:
                origin = ("core alias", r.u32(), r.name())
            elif target == 0x02:
                origin = ("outer", r.u32(), r.u32())
            else:
                raise r.fail(f"unknown alias target 0x{target:02x}", at)
            self.spaces.add(sort, origin)

    def _canon(self, s: Section) -> None:
        if self.spaces.unread is not None:
            return
        r = s.reader(self.data)
        for _ in range(r.count()):
            if not read_canon(r, self.spaces):
                self.notes.append(self.spaces.unread or "")
                return

    def _imports(self, s: Section) -> None:
        r = s.reader(self.data)
        for _ in range(r.count(3)):
            name, _ = read_extern_name(r)
            sort = skip_extern_desc(r)
            self.spaces.add(sort, ("import", name))
            self.imports.append({"name": name, "kind": sort})

    def _exports(self, s: Section) -> None:
        r = s.reader(self.data)
        for _ in range(r.count(4)):
            name, _ = read_extern_name(r)
            sort = read_sort(r)
            index = r.u32()
            flag = r.u8()
            if flag == 0x01:
                skip_extern_desc(r)
            elif flag != 0x00:
                raise r.fail(f"invalid export type-ascription flag 0x{flag:02x}", r.pos - 1)
            self.spaces.add(sort, ("export", name, index))
            self.exports.append({"name": name, "kind": sort, "index": index})

    def _names(self, s: Section) -> None:
        """Names are advisory: a broken subsection is a note, never an error."""
        r = s.reader(self.data)
        try:
            r.name()
            while not r.at_end:
                sub_id = r.u8()
                sub = r.sub(r.u32())
                if sub_id != 1:
                    continue
                first = sub.u8()
                key = (first, sub.u8()) if first == 0x00 else (first,)
                sort = NAMED_SORTS.get(key)
                if sort is not None:
                    self.spaces.names[sort] = {sub.u32(): sub.name() for _ in range(sub.count(2))}
        except WasmFormatError as e:
            self.notes.append(f"component-name section unreadable: {e.message} at byte offset "
                              f"{e.offset}")

    def name_items(self) -> None:
        for item in self.items:
            item.name = self.spaces.names.get(item.kind, {}).get(item.index)
        if any(i.kind == "core module" and i.name == SHIM_MODULE for i in self.items):
            self.notes.append(SHIM_NOTE)

    def reexports(self) -> dict[str, list[str]]:
        """Import name -> export names that are that very import (a shim component passing it on)."""
        out: dict[str, list[str]] = {}
        for export in self.exports:
            source = self.spaces.origin(export["kind"], export["index"])
            if source is not None and source[0] == "import":
                out.setdefault(source[1], []).append(export["name"])
        return out


def _core_export_kind(r: Reader) -> str:
    at = r.pos
    code = r.u8()
    if code not in CORE_EXPORT_KINDS:
        raise r.fail(f"unknown core export kind 0x{code:02x}", at)
    return CORE_EXPORT_KINDS[code]


def read_level(data: ModuleBytes, start: int = 0, end: int | None = None, path: NestedPath = (),
               details: bool = True) -> _Level:
    """Read the component in `data[start:end]`; every offset (and error) is one of the whole file."""
    end = len(data) if end is None else end
    if len(path) > MAX_NESTING:
        raise WasmFormatError(f"components nested more than {MAX_NESTING} deep", start)
    try:
        with memoryview(data)[start:end] as view:
            kind, sections = read_sections(view)
    except WasmFormatError as e:
        raise WasmFormatError(e.message, start + e.offset) from None
    if kind != "component":
        raise WasmFormatError("this is a core module, not a component", start + 4)
    if start:
        sections = [replace(s, offset=s.offset + start, payload_offset=s.payload_offset + start)
                    for s in sections]
    level = _Level(data, path, details)
    level.read(sections)
    level.name_items()
    return level


def read_contents(data: ModuleBytes, details: bool = True) -> ComponentContents:
    """The tree inside a component. Raises WasmFormatError (with the file offset) on a malformed one.

    Without `details`, only positions are read (what `nested_bytes` needs): no module declarations, no
    canonical functions.
    """
    level = read_level(data, details=details)
    canonical = describe_canonicals(level.spaces) if details else []
    return ComponentContents(level.items, canonical, level.notes)


def nested_bytes(data: ModuleBytes, path: NestedPath) -> bytes:
    """The exact bytes of the nested core module or component at `path` (a copy, ready to parse alone)."""
    if not path:
        raise ValueError("an empty path names the outer component itself")
    item = read_contents(data, details=False).find(path)
    if item is None:
        raise KeyError(f"nothing defined at {path_text(path)} (an imported or aliased item has no bytes)")
    with memoryview(data)[item.offset:item.offset + item.size] as view:
        return bytes(view)


def contents_json(contents: ComponentContents) -> list[dict[str, Any]]:
    return [item.to_json_dict() for item in contents.items]
