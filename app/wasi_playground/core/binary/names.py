"""The `name`, `producers` and `target_features` custom sections.

Custom sections are advisory: an engine ignores a broken one, so we do too — a garbage subsection becomes
a warning, never an error. Function names are decoded only when first asked for, because a debug build's
name section can be tens of megabytes and most inspections only need the module's name and the count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from wasi_playground.core.binary.reader import ModuleBytes, Reader, Section, WasmFormatError

NAME_SUBSECTIONS = {
    0: "module", 1: "function", 2: "local", 3: "label", 4: "type", 5: "table", 6: "memory", 7: "global",
    8: "elem", 9: "data", 10: "field", 11: "tag",
}


def _name_map(r: Reader) -> dict[int, str]:
    out: dict[int, str] = {}
    for _ in range(r.count(2)):
        idx = r.u32()
        out[idx] = r.name()
    return out


@dataclass
class NameSection:
    data: ModuleBytes | None = field(repr=False)
    """The buffer the subsection spans point into; None until `source` has loaded it."""
    module_name: str | None = None
    function_name_count: int = 0
    subsections: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Subsection name -> (payload offset, size)."""
    warnings: list[str] = field(default_factory=list)
    _functions: dict[int, str] | None = field(default=None, repr=False)
    source: Callable[[], bytes] | None = field(default=None, repr=False)

    def detach(self, base: int, source: Callable[[], bytes]) -> None:
        """Forget the (mapped) buffer; `source()` will return the section's payload when names are asked for.

        Keeps a 16 MB name section out of memory until someone wants a function name, and keeps lazy
        lookups off a file mapping that is closed (or a file truncated under it) by then.
        """
        self.subsections = {k: (off - base, size) for k, (off, size) in self.subsections.items()}
        self.data = None
        self.source = source

    def _reader(self, span: tuple[int, int]) -> Reader:
        if self.data is None:
            loaded = b""
            if self.source is not None:
                try:
                    loaded = self.source()
                except OSError as e:
                    self.warnings.append(f"name section could not be re-read: {e}")
            self.data = loaded
        if span[0] + span[1] > len(self.data):
            return Reader(b"")
        return Reader(self.data, span[0], span[0] + span[1])

    def function_names(self) -> dict[int, str]:
        """Function index -> name, decoded on first use (tolerating a broken map)."""
        if self._functions is None:
            self._functions = self._decode_map("function")
        return self._functions

    def iter_function_names(self) -> Iterator[str]:
        """Function names in order, decoded as consumed: a caller that wants a sample pays for a sample."""
        if self._functions is not None:
            yield from self._functions.values()
            return
        span = self.subsections.get("function")
        if span is None:
            return
        r = self._reader(span)
        try:
            for _ in range(r.count(2)):
                r.u32()
                yield r.name()
        except WasmFormatError:
            return

    def function_name(self, index: int) -> str | None:
        return self.function_names().get(index)

    def local_names(self, func_index: int) -> dict[int, str]:
        span = self.subsections.get("local")
        if span is None:
            return {}
        r = self._reader(span)
        try:
            for _ in range(r.count(2)):
                idx = r.u32()
                if idx == func_index:
                    return _name_map(r)
                for _ in range(r.count(2)):
                    r.u32()
                    r.skip(r.u32())
        except WasmFormatError as e:
            self.warnings.append(f"local names unreadable: {e}")
        return {}

    def names_of(self, kind: str) -> dict[int, str]:
        """Names of globals, memories, tables, types, data or elem segments, tags (extended name section)."""
        return self._decode_map(kind)

    def _decode_map(self, kind: str) -> dict[int, str]:
        span = self.subsections.get(kind)
        if span is None:
            return {}
        out: dict[int, str] = {}
        r = self._reader(span)
        try:
            for _ in range(r.count(2)):
                idx = r.u32()
                out[idx] = r.name()
        except WasmFormatError as e:
            self.warnings.append(f"{kind} names cut short: {e}")
        return out


def parse_name_section(data: ModuleBytes, section: Section) -> NameSection:
    """Locate the subsections and read the module name; function names wait until asked for."""
    ns = NameSection(data)
    r = section.reader(data)
    r.name()
    try:
        while not r.at_end:
            at = r.pos
            sid = r.u8()
            size = r.u32()
            body = r.sub(size)
            label = NAME_SUBSECTIONS.get(sid, f"unknown({sid})")
            if label in ns.subsections:
                ns.warnings.append(f"duplicate {label} names subsection at byte offset {at}")
                continue
            ns.subsections[label] = (body.pos, size)
            if sid == 0:
                ns.module_name = body.name()
            elif sid == 1:
                ns.function_name_count = body.u32()
    except WasmFormatError as e:
        ns.warnings.append(f"name section partly unreadable: {e}")
    return ns


def parse_producers(
    data: ModuleBytes, section: Section
) -> tuple[dict[str, list[dict[str, str]]], str | None]:
    """Field ("language", "processed-by", "sdk") -> [{name, version}], and a warning if it was malformed."""
    r = section.reader(data)
    r.name()
    out: dict[str, list[dict[str, str]]] = {}
    try:
        for _ in range(r.count(2)):
            field_name = r.name()
            values = []
            for _ in range(r.count(2)):
                values.append({"name": r.name(), "version": r.name()})
            out.setdefault(field_name, []).extend(values)
    except WasmFormatError as e:
        return out, f"producers section unreadable: {e}"
    return out, None


def parse_target_features(data: ModuleBytes, section: Section) -> tuple[list[str], str | None]:
    """Features as written by the linker: "+simd128" (used), "-atomics" (must not be used), "=..."
    (required)."""
    r = section.reader(data)
    r.name()
    out: list[str] = []
    try:
        for _ in range(r.count(2)):
            prefix = chr(r.u8())
            out.append(prefix + r.name())
    except WasmFormatError as e:
        return out, f"target_features section unreadable: {e}"
    return out, None
