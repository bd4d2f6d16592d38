"""Inspect a WebAssembly file without compiling it: what it is, what it needs, whether it runs here.

`inspect_path` / `inspect_bytes` return a `Report`; `Report.to_json_dict()` is the `inspect --json`
contract of DESIGN.md. Every malformed input raises `WasmFormatError` (or its subclass `InputError`) with
the byte offset where reading failed; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wasi_playground.core.binary.module_info import ModuleInfo, parse_module
from wasi_playground.core.binary.names import (
    NameSection,
    parse_name_section,
    parse_producers,
    parse_target_features,
)
from wasi_playground.core.binary.reader import Section, WasmFormatError, read_sections
from wasi_playground.core.components.contents import ComponentContents, contents_json, read_contents
from wasi_playground.core.components.info import ComponentInfo, parse_component
from wasi_playground.core.engine.source import looks_like_wat
from wasi_playground.core.engine.source import wat_to_binary as compile_wat
from wasi_playground.core.inspect.digest import cached_digest, remember_digest
from wasi_playground.core.inspect.input import InputError, check_wat_size, open_binary
from wasi_playground.core.inspect.toolchain import Toolchain, guess_toolchain
from wasi_playground.core.wasi.knowledge import (
    ImportRef,
    Runnable,
    WasiSummary,
    component_summary,
    module_summary,
)

PARALLEL_HASH_BYTES = 4 << 20

__all__ = ["InputError", "Report", "WasmFormatError", "inspect_bytes", "inspect_path"]


@dataclass
class Report:
    path: str | None
    size: int
    sha256: str
    kind: str
    """"module" or "component"."""
    format: str
    """"binary" or "wat" (text compiled for inspection)."""
    sections: list[Section]
    wasi: WasiSummary
    toolchain: Toolchain
    module: ModuleInfo | None = None
    component: ComponentInfo | None = None
    names: NameSection | None = None
    producers: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    target_features: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    wasm: bytes | None = None
    """The binary, kept only when it was compiled from WAT (the file on disk is text)."""
    contents: ComponentContents | None = None
    """A component's nested modules, components and instances, and its canonical functions."""

    @property
    def custom_sections(self) -> list[Section]:
        return [s for s in self.sections if s.id == 0]

    @property
    def runnable(self) -> Runnable:
        return self.wasi.runnable

    def import_rows(self) -> list[dict[str, str]]:
        if self.module is not None:
            return [
                {"module": i.module, "name": i.name, "kind": i.kind, "type": i.type}
                for i in self.module.imports
            ]
        assert self.component is not None
        return [
            {"module": "", "name": i.name, "kind": i.kind, "type": f"({i.kind})"}
            for i in self.component.imports
        ]

    def export_rows(self) -> list[dict[str, str]]:
        if self.module is not None:
            return [{"name": e.name, "kind": e.kind, "type": e.type} for e in self.module.exports]
        assert self.component is not None
        return [{"name": e.name, "kind": e.kind, "type": f"({e.kind})"} for e in self.component.exports]

    def to_json_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "kind": self.kind,
            "format": self.format,
            "sections": [
                {
                    "id": s.id,
                    "name": s.custom_name if s.id == 0 else s.name,
                    "offset": s.offset,
                    "size": s.size,
                }
                for s in self.sections
            ],
            "imports": self.import_rows(),
            "exports": self.export_rows(),
            "custom_sections": [{"name": s.custom_name, "size": s.size} for s in self.custom_sections],
            "producers": self.producers,
            "target_features": self.target_features,
            "wasi": self.wasi.to_json_dict(),
            "runnable": self.wasi.runnable.to_json_dict(),
            "toolchain": self.toolchain.to_json_dict(),
            "warnings": self.warnings,
        }
        if self.names is not None:
            d["names"] = {"module": self.names.module_name, "function_count": self.names.function_name_count}
        if self.module is not None:
            d["module"] = _module_json(self.module)
        if self.component is not None:
            c = self.component
            d["component"] = {
                "worlds": c.worlds,
                "wasi_version": c.wasi_version,
                "core_modules": len(c.core_modules),
                "nested_components": c.nested_components,
            }
            if self.contents is not None:
                d["contents"] = contents_json(self.contents)
                d["component"]["canonical"] = [f.to_json_dict() for f in self.contents.canonical]
        return d


def _module_json(m: ModuleInfo) -> dict[str, Any]:
    return {
        "types": [t.wat for t in m.types],
        "functions": {"imported": m.imported_func_count, "defined": len(m.func_type_indices)},
        "memories": [{"wat": x.wat, **x.limits.to_json_dict()} for x in m.memories],
        "tables": [{"wat": x.wat, "element": x.element, **x.limits.to_json_dict()} for x in m.tables],
        "globals": [{"type": g.type.value, "mutable": g.type.mutable, "init": g.init} for g in m.globals],
        "start": m.start,
        "element_segments": m.element_count,
        "data_segments": m.data_count,
        "code_size": m.code_section.size if m.code_section else 0,
    }


def inspect_path(path: str | Path) -> Report:
    """Inspect a file; large binaries are memory-mapped and hashed in place."""
    p = Path(path)
    content, st = open_binary(p)
    try:
        head = bytes(content[:64])
        if looks_like_wat(head, p):
            check_wat_size(st.st_size)
            text = bytes(content)
            report = _inspect_wasm(compile_wat(text), str(p), "wat")
            report.size = st.st_size
            report.sha256 = hashlib.sha256(text).hexdigest()
            return report
        if len(content) < PARALLEL_HASH_BYTES:
            return _inspect_wasm(content, str(p), "binary")
        known = cached_digest(p, st)
        report = _inspect_wasm(content, str(p), "binary", known)
        if known is None:
            remember_digest(p, st, report.sha256)
        return report
    finally:
        if isinstance(content, mmap.mmap):
            content.close()


def inspect_bytes(data: bytes, path: str | None = None) -> Report:
    """Inspect in-memory content: a binary module or component, or WAT text."""
    if not data:
        raise InputError("empty input: no WebAssembly header", 0)
    if looks_like_wat(bytes(data[:64]), Path(path) if path else None):
        report = _inspect_wasm(compile_wat(bytes(data)), path, "wat")
        report.size = len(data)
        report.sha256 = hashlib.sha256(data).hexdigest()
        return report
    return _inspect_wasm(data, path, "binary")


def _inspect_wasm(
    data: bytes | mmap.mmap, path: str | None, fmt: str, known_digest: str | None = None
) -> Report:
    """Hash on a second thread while parsing: hashlib releases the GIL, and on a big module the hash
    costs as much as everything else together."""
    kind, sections = read_sections(data)
    if known_digest is not None:
        return _inspect_sections(data, path, fmt, kind, sections, known_digest)
    if len(data) < PARALLEL_HASH_BYTES:
        return _inspect_sections(data, path, fmt, kind, sections, hashlib.sha256(data).hexdigest())
    digest: list[str] = []
    hasher = threading.Thread(
        target=lambda: digest.append(hashlib.sha256(data).hexdigest()), name="inspect-sha256", daemon=True
    )
    hasher.start()
    try:
        report = _inspect_sections(data, path, fmt, kind, sections, "")
    finally:
        hasher.join()
    report.sha256 = digest[0] if digest else hashlib.sha256(data).hexdigest()
    return report


def _inspect_sections(
    data: bytes | mmap.mmap, path: str | None, fmt: str, kind: str, sections: list[Section], digest: str
) -> Report:
    warnings: list[str] = []
    producers: dict[str, list[dict[str, str]]] = {}
    features: list[str] = []
    names: NameSection | None = None
    for s in sections:
        if s.id != 0:
            continue
        if s.custom_name == "name" and names is None and kind == "module":
            names = _names_of(data, s, path)
        elif s.custom_name == "producers":
            found, warn = parse_producers(data, s)
            _merge(producers, found)
            warnings += [warn] if warn else []
        elif s.custom_name == "target_features":
            features, warn = parse_target_features(data, s)
            warnings += [warn] if warn else []
    module: ModuleInfo | None = None
    component: ComponentInfo | None = None
    if kind == "module":
        module = parse_module(data, sections)
        refs = [ImportRef(i.module, i.name, i.type) for i in module.imports]
        exports = [e.name for e in module.exports]
        wasi = module_summary(refs, [e.name for e in module.exports if e.kind == "func"])
    else:
        component = parse_component(data, sections)
        _merge_embedded_producers(data, component, producers, warnings)
        refs = []
        exports = [e.name for e in component.exports]
        wasi = component_summary([i.name for i in component.imports], exports)
    if names is not None:
        warnings += names.warnings
    toolchain = guess_toolchain(
        producers,
        refs,
        exports,
        [s.custom_name or "" for s in sections if s.id == 0],
        names.iter_function_names if names is not None else None,
    )
    return Report(
        path,
        len(data),
        digest,
        kind,
        fmt,
        sections,
        wasi,
        toolchain,
        module,
        component,
        names,
        producers,
        features,
        warnings,
        bytes(data) if fmt == "wat" else None,
        _contents_of(data, warnings) if component is not None else None,
    )


def _contents_of(data: bytes | mmap.mmap, warnings: list[str]) -> ComponentContents | None:
    """The tree inside a component; a malformed inside is a warning (the outer layer was readable)."""
    try:
        return read_contents(data)
    except WasmFormatError as e:
        warnings.append(f"the inside of this component is unreadable: {e}")
        return None


def _names_of(data: bytes | mmap.mmap, s: Section, path: str | None) -> NameSection:
    """From a mapped file, keep only the name section's layout; its content is re-read when asked for."""
    ns = parse_name_section(data, s)
    if isinstance(data, mmap.mmap) and path is not None:
        ns.detach(s.payload_offset, _section_loader(Path(path), s.payload_offset, s.size))
    return ns


def _section_loader(path: Path, offset: int, size: int) -> Callable[[], bytes]:
    """Re-read a section later, refusing (OSError) if the file was rewritten since it was inspected."""
    seen = os.stat(path)

    def load() -> bytes:
        with open(path, "rb") as f:
            now = os.fstat(f.fileno())
            if (now.st_size, now.st_mtime_ns, now.st_ino) != (seen.st_size, seen.st_mtime_ns, seen.st_ino):
                raise OSError(f"{path} changed since it was inspected; reopen it to see its names")
            f.seek(offset)
            return f.read(size)

    return load


def _merge(into: dict[str, list[dict[str, str]]], found: dict[str, list[dict[str, str]]]) -> None:
    for key, values in found.items():
        bucket = into.setdefault(key, [])
        bucket.extend(v for v in values if v not in bucket)


def _merge_embedded_producers(
    data: bytes | mmap.mmap,
    component: ComponentInfo,
    producers: dict[str, list[dict[str, str]]],
    warnings: list[str],
) -> None:
    """A component's language lives in its core modules' producers; read them from the largest few.

    The WASI preview-1 adapter (a core module importing `wasi:` interfaces itself) is skipped: it is
    Rust whatever the program was written in.
    """
    for s in sorted(component.core_modules, key=lambda m: -m.size)[:4]:
        inner = data[s.payload_offset : s.end]
        try:
            _, inner_sections = read_sections(inner)
        except WasmFormatError as e:
            warnings.append(f"embedded core module at byte offset {s.payload_offset} unreadable: {e}")
            continue
        imports = next((cs for cs in inner_sections if cs.id == 2), None)
        if imports is not None and inner.find(b"wasi:", imports.payload_offset, imports.end) >= 0:
            continue
        for cs in inner_sections:
            if cs.id == 0 and cs.custom_name == "producers":
                found, warn = parse_producers(inner, cs)
                _merge(producers, found)
                warnings += [warn] if warn else []
