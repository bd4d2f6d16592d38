"""Every function of a core module — imported and defined — with names, signatures and body positions.

Built for modules of 100,000 functions: the code section is walked reading only each body's size (never
its instructions), names are decoded once, and demangling and WAT printing happen per function, on demand.
`FunctionTable.wat(i)` decodes just that function's body.
"""

from __future__ import annotations

import bisect
import heapq
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from wasi_playground.core.binary.module_info import ModuleInfo, parse_module
from wasi_playground.core.binary.names import NameSection, parse_name_section
from wasi_playground.core.binary.reader import WasmFormatError, read_sections
from wasi_playground.core.components.contents import NestedPath
from wasi_playground.core.lookinside.demangle import demangle
from wasi_playground.core.lookinside.disasm import FunctionText, WatContext, function_wat
from wasi_playground.core.lookinside.disasm.decode import uleb
from wasi_playground.core.lookinside.module_ref import PathOrRef, as_ref, read_module_bytes
from wasi_playground.core.yielding import STEP, give_way


def code_bodies(data: bytes, payload_start: int, payload_end: int) -> tuple[array, array]:
    """Start (after the size) and size of every body in a code section, reading only the sizes."""
    count, pos = uleb(data, payload_start)
    starts = array("I")
    sizes = array("I")
    append_start = starts.append
    append_size = sizes.append
    try:
        for i in range(count):
            if not i % STEP:
                give_way()
            b = data[pos]
            if b < 0x80:
                size = b
                pos += 1
            else:
                size, pos = uleb(data, pos)
            append_start(pos)
            append_size(size)
            pos += size
    except IndexError:
        raise WasmFormatError("code section ends before its last function body", pos) from None
    if pos > payload_end:
        raise WasmFormatError("a function body runs past the end of the code section", payload_end)
    return starts, sizes


@dataclass
class FunctionTable:
    """The function index space of one module (imports first), ready for a list of 100k rows."""

    data: bytes = field(repr=False)
    module: ModuleInfo
    names: NameSection | None
    body_starts: array
    body_sizes: array

    @classmethod
    def from_bytes(cls, data: bytes) -> FunctionTable:
        kind, sections = read_sections(data)
        if kind != "module":
            raise WasmFormatError("this is a component: its functions live in its core modules", 4)
        module = parse_module(data, sections)
        names = None
        for s in sections:
            if s.id == 0 and s.custom_name == "name":
                names = parse_name_section(data, s)
                break
        code = module.code_section
        if code is not None:
            starts, sizes = code_bodies(data, code.payload_offset, code.end)
        else:
            starts, sizes = array("I"), array("I")
        return cls(data, module, names, starts, sizes)

    @classmethod
    def from_path(cls, source: PathOrRef) -> FunctionTable:
        return cls.from_bytes(read_module_bytes(source))

    def __len__(self) -> int:
        return self.module.function_count

    @property
    def imported_count(self) -> int:
        return self.module.imported_func_count

    @cached_property
    def raw_names(self) -> Mapping[int, str]:
        return self.names.function_names() if self.names is not None else {}

    @cached_property
    def export_names(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for e in self.module.exports:
            if e.kind == "func":
                out.setdefault(e.index, []).append(e.name)
        return out

    def is_imported(self, index: int) -> bool:
        return index < self.imported_count

    def name(self, index: int) -> str:
        """The name section's name, else an export or import name, else `func[N]`."""
        name = self.raw_names.get(index)
        if name:
            return name
        exported = self.export_names.get(index)
        if exported:
            return exported[0]
        if index < self.imported_count:
            imp = self.module.imports_by_kind["func"][index]
            return f"{imp.module}.{imp.name}"
        return f"func[{index}]"

    def display_name(self, index: int) -> str:
        return demangle(self.name(index))

    def signature(self, index: int) -> str:
        ftype = self.module.func_type_of(index)
        if ftype is None:
            return "(?)"
        params = ", ".join(ftype.params)
        results = ", ".join(ftype.results)
        return f"({params}) -> ({results})" if results else f"({params})"

    def body_range(self, index: int) -> tuple[int, int] | None:
        """[start, end) of the body's bytes (locals and instructions) in the module, None for imports."""
        local = index - self.imported_count
        if local < 0 or local >= len(self.body_starts):
            return None
        start = self.body_starts[local]
        return start, start + self.body_sizes[local]

    def body_size(self, index: int) -> int:
        local = index - self.imported_count
        return self.body_sizes[local] if 0 <= local < len(self.body_sizes) else 0

    def function_at(self, offset: int) -> int | None:
        """The defined function whose body contains module byte `offset`, if any."""
        i = bisect.bisect_right(self.body_starts, offset) - 1
        if i < 0:
            return None
        if offset < self.body_starts[i] + self.body_sizes[i]:
            return i + self.imported_count
        return None

    def largest(self, n: int = 20) -> list[int]:
        """Indices of the `n` largest defined functions, biggest first (ties in index order). Not `sorted`:
        one C call over 100k functions would hold the interpreter, and stop the window, for 30 ms."""
        order = heapq.nlargest(n, range(len(self.body_sizes)), key=self.body_sizes.__getitem__)
        return [i + self.imported_count for i in order]

    @cached_property
    def wat_context(self) -> WatContext:
        names = self.names
        return WatContext(
            types=self.module.types,
            func_type_index=self.module.func_type_index,
            func_names=self.raw_names,
            local_names=self._local_names,
            global_names=names.names_of("global") if names is not None else {},
            tag_names=names.names_of("tag") if names is not None else {},
        )

    @cached_property
    def _local_name_offsets(self) -> dict[int, int]:
        """Where each function's local-name map starts, found in one pass (skipping the names themselves)."""
        span = self.names.subsections.get("local") if self.names is not None else None
        if span is None:
            return {}
        data = self.data
        out: dict[int, int] = {}
        pos, end = span
        end += pos
        try:
            count, pos = uleb(data, pos)
            for _ in range(count):
                func, pos = uleb(data, pos)
                out[func] = pos
                n, pos = uleb(data, pos)
                for _ in range(n):
                    _, pos = uleb(data, pos)
                    length, pos = uleb(data, pos)
                    pos += length
                if pos > end:
                    break
        except (IndexError, WasmFormatError):
            pass
        return out

    def _local_names(self, index: int) -> dict[int, str]:
        at = self._local_name_offsets.get(index)
        if at is None:
            return {}
        names: dict[int, str] = {}
        try:
            n, pos = uleb(self.data, at)
            for _ in range(n):
                local, pos = uleb(self.data, pos)
                length, pos = uleb(self.data, pos)
                names[local] = bytes(self.data[pos:pos + length]).decode("utf-8", "replace")
                pos += length
        except (IndexError, WasmFormatError):
            pass
        return names

    def wat(self, index: int) -> FunctionText:
        """WAT of one function; an import gets its one-line declaration."""
        body = self.body_range(index)
        if body is None:
            if 0 <= index < self.imported_count:
                imp = self.module.imports_by_kind["func"][index]
                text = f'(import "{imp.module}" "{imp.name}" {imp.type})\n'
                return FunctionText(index, text, [], [-1])
            raise IndexError(f"no function {index}: the module has {len(self)}")
        return function_wat(self.data, index, body[0], body[1], self.wat_context)


_CACHE: OrderedDict[tuple[str, int, int, NestedPath], FunctionTable] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 2


def load_cached(source: PathOrRef) -> FunctionTable:
    """One table per file version (and nested module), shared by the panels of a document (each would
    otherwise hold its own copy of a 100 MB module). Keyed by path, size and modification time, so a
    rebuilt file is re-read. The table comes back with its function names decoded, so showing the first
    row costs nothing."""
    ref = as_ref(source)
    p = ref.path
    try:
        st = os.stat(p)
    except OSError as e:
        raise WasmFormatError(f"{p}: cannot read: {e.strerror or e}", 0) from None
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns, ref.nested)
    with _CACHE_LOCK:
        table = _CACHE.get(key)
        if table is not None:
            _CACHE.move_to_end(key)
            return table
    table = FunctionTable.from_path(ref)
    _ = table.raw_names  # decoded on the caller's worker thread: 89,000 names take a second or more
    with _CACHE_LOCK:
        _CACHE[key] = table
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return table
