"""Which toolchain most likely produced a module, with the evidence that says so.

A guess, not a verdict: each rule names what it saw (a producers entry, an import pattern, a custom
section, function names), so a person can judge it. Producers come first because compilers write them on
purpose; import and name patterns catch stripped or non-LLVM builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wasi_playground.core.wasi.knowledge import ImportRef

ZIG_STD_PREFIXES = ("debug.", "start.", "std.", "heap.", "fmt.", "Io.", "posix.", "process.")


@dataclass
class Toolchain:
    name: str
    evidence: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, object]:
        return {"name": self.name, "evidence": list(self.evidence)}


def _entries(producers: dict[str, list[dict[str, str]]], field_name: str) -> list[str]:
    return [f"{v['name']} {v['version']}".strip() for v in producers.get(field_name, [])]


def guess_toolchain(
    producers: dict[str, list[dict[str, str]]],
    imports: Iterable[ImportRef] = (),
    exports: Iterable[str] = (),
    custom_sections: Iterable[str] = (),
    function_names: Callable[[], Iterable[str]] | None = None,
) -> Toolchain:
    """`function_names` is called only when cheaper evidence is inconclusive (it may decode names)."""
    imports = list(imports)
    exports = set(exports)
    customs = set(custom_sections)
    languages = _entries(producers, "language")
    processed = _entries(producers, "processed-by")
    sdks = _entries(producers, "sdk")
    lang_names = {v["name"] for v in producers.get("language", [])}
    tool_names = {v["name"] for v in producers.get("processed-by", [])}
    ev: list[str] = []

    def said(what: str, items: list[str]) -> None:
        if items:
            ev.append(f"producers {what}: {', '.join(items)}")

    said("language", languages)
    said("processed-by", processed)
    said("sdk", sdks)

    if "componentize-py" in tool_names:
        return Toolchain("Python (componentize-py)", ev)
    if "Rust" in lang_names or "rustc" in tool_names:
        if "wasm-bindgen" in tool_names or any(i.module == "__wbindgen_placeholder__" for i in imports):
            return Toolchain("Rust (wasm-bindgen)", ev)
        return Toolchain("Rust", ev)
    if "TinyGo" in tool_names or "TinyGo" in lang_names:
        return Toolchain("TinyGo", ev)
    if "go:buildid" in customs or any(i.module in ("gojs", "go") for i in imports):
        ev.append(
            "custom section go:buildid" if "go:buildid" in customs else "imports from the Go JS runtime"
        )
        return Toolchain("Go", ev)
    abort = [i for i in imports if i.module == "env" and i.name == "abort"]
    if abort and (abort[0].type == "(func (param i32 i32 i32 i32))" or {"__new", "__pin"} & exports):
        ev.append("imports env.abort(message, file, line, column) as AssemblyScript's runtime does")
        return Toolchain("AssemblyScript", ev)
    if any(e.startswith("mono_") for e in exports) or any("dotnet" in i.module for i in imports):
        ev.append("exports or imports of the Mono/.NET runtime")
        return Toolchain(".NET", ev)
    emscripten = sorted(
        exports
        & {
            "emscripten_stack_init",
            "stackSave",
            "stackRestore",
            "_emscripten_stack_restore",
            "emscripten_stack_get_end",
        }
    )
    if emscripten or any(i.name.startswith(("emscripten_", "__syscall_")) for i in imports):
        ev.append("Emscripten runtime exports/imports: " + ", ".join(emscripten or ["env.emscripten_*"]))
        return Toolchain("Emscripten (C/C++)", ev)

    if _wasi_sdk(processed + sdks):
        function_names = None
    names = _sample_names(function_names)
    zig_std = [n for n in names if n.startswith(ZIG_STD_PREFIXES)]
    zig_libc = [n for n in names if "|wasi_snapshot_preview1" in n or n.startswith("c.")]
    if len(zig_std) >= 3:
        ev.append(f"function names from Zig's standard library ({', '.join(zig_std[:3])}, ...)")
        return Toolchain("Zig", ev)
    if zig_libc:
        ev.append(f"linked against Zig's libc (function {zig_libc[0]}): built with zig cc")
    if any(n.startswith(("C++", "C_plus_plus")) for n in lang_names):
        return Toolchain("C++ (clang)" + (", wasi-sdk" if _wasi_sdk(processed + sdks) else ""), ev)
    if any(n.startswith("C") for n in lang_names) or "clang" in tool_names:
        return Toolchain("C (clang)" + (", wasi-sdk" if _wasi_sdk(processed + sdks) else ""), ev)
    if any(n.startswith("_ZN") or "core::" in n for n in names):
        ev.append("Rust-mangled function names")
        return Toolchain("Rust", ev)
    if any(n.startswith("runtime.") for n in names) and "main.main" in names:
        ev.append("Go runtime function names (runtime.*, main.main)")
        return Toolchain("Go", ev)
    if any(n.startswith("__imported_wasi_snapshot_preview1_") for n in names):
        ev.append("wasi-libc function names")
        return Toolchain("C (clang)", ev)
    if not ev:
        ev.append("no producers section, no telling names: stripped or hand-written")
    return Toolchain("unknown", ev)


def _wasi_sdk(entries: list[str]) -> bool:
    return any("wasi-sdk" in e for e in entries)


def _sample_names(function_names: Callable[[], Iterable[str]] | None, limit: int = 2000) -> list[str]:
    if function_names is None:
        return []
    out: list[str] = []
    for n in function_names():
        out.append(n)
        if len(out) >= limit:
            break
    return out
