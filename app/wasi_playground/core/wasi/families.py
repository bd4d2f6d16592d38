"""Which host family a module's imports (or a component's interfaces) were built for, with the evidence.

A family is a set of host functions that one runtime or kind of host provides: WASI preview 1, WASIX
(wasmer), WasmEdge's extensions, wasi-threads, wasi-nn, a JavaScript host's glue, Spin's interfaces...
Each family found lists the imports that decided it, in the order they first appear, so every verdict
built on top of this can show its evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wasi_playground.core.wasi import preview1 as wasi_p1

WASIX_MODULES = ("wasix_32v1", "wasix_64v1")
BINDGEN_MODULES = ("__wbindgen_placeholder__", "__wbindgen_externref_xform__", "wbg")
WASI_NN_MODULES = ("wasi_ephemeral_nn", "wasi_nn")
SLIGHT_MODULES = (
    "keyvalue",
    "messaging",
    "configs",
    "distributed-locking",
    "http-server",
    "http-client",
    "sql",
)
"""SpiderLightning's capability interfaces, as its guests imported them."""
ASSEMBLYSCRIPT_ABORT = "(func (param i32 i32 i32 i32))"
SPIN_PREFIXES = ("fermyon:spin/", "spin:")


@dataclass(frozen=True, slots=True)
class ImportRef:
    module: str
    name: str
    type: str = ""


def _is_emscripten(imp: ImportRef) -> bool:
    n = imp.name
    return imp.module in ("env", wasi_p1.MODULE) and (
        n.startswith(("emscripten_", "_emscripten_", "__syscall_", "invoke_", "_embind_", "__cxa_throw"))
        or n in ("_abort_js", "_tzset_js", "_mmap_js")
    )


def _is_bindgen(imp: ImportRef) -> bool:
    return imp.module in BINDGEN_MODULES or imp.name.startswith(("__wbindgen_", "__wbg_"))


def _is_napi(imp: ImportRef) -> bool:
    return imp.module == "napi" or imp.name.startswith(("napi_", "node_api_"))


def _is_go_js(imp: ImportRef) -> bool:
    return imp.module in ("go", "gojs") or imp.name.startswith(("runtime.", "syscall/js."))


def _is_wasmedge_socket(imp: ImportRef) -> bool:
    """WasmEdge's socket extension adds `sock_*` calls to `wasi_snapshot_preview1` that WASI never had."""
    return imp.module == wasi_p1.MODULE and imp.name.startswith("sock_") and imp.name not in wasi_p1.FUNCTIONS


def _is_assemblyscript(imp: ImportRef) -> bool:
    return imp.module == "env" and imp.name == "abort" and imp.type == ASSEMBLYSCRIPT_ABORT


def _is_shared_memory(imp: ImportRef) -> bool:
    """A threaded module imports its shared memory, which a wasi-threads host creates."""
    return imp.type.startswith("(memory") and " shared" in imp.type


def _module_family(imp: ImportRef) -> str | None:
    """The family an import's module name alone decides (WASI itself and the runtime extensions)."""
    m = imp.module
    if m == wasi_p1.MODULE:
        return "wasi-preview1"
    if m == wasi_p1.PREVIEW0_MODULE:
        return "wasi-preview0"
    if m in WASIX_MODULES:
        return "wasix"
    if m == "wasi" and imp.name == "thread-spawn":
        return "wasi-threads"
    if m in WASI_NN_MODULES:
        return "wasi-nn"
    if m == "wasmedge_process":
        return "wasmedge-process"
    if m == "wasmedge_httpsreq":
        return "wasmedge-httpsreq"
    if m.startswith("wasmedge_"):
        return "wasmedge-plugin"
    if ":" in m and "/" in m:
        return "component-core"
    if m.startswith("wasi_ephemeral_"):
        return "wasi-ephemeral"
    if m in SLIGHT_MODULES or (m == "canonical_abi" and imp.name.startswith("resource_drop_")):
        return "slight"
    return None


NAME_FAMILIES: tuple[tuple[str, Callable[[ImportRef], bool]], ...] = (
    ("wasmedge-sockets", _is_wasmedge_socket),
    ("emscripten", _is_emscripten),
    ("wasm-bindgen", _is_bindgen),
    ("node-api", _is_napi),
    ("go-js", _is_go_js),
    ("assemblyscript", _is_assemblyscript),
    ("wasi-threads", _is_shared_memory),
)
"""Families told by an import's name or signature, whatever module it comes from."""


def import_families(imp: ImportRef) -> list[str]:
    """Every family one import belongs to (a WasmEdge `sock_open` is in preview 1's module and WasmEdge's)."""
    family = _module_family(imp)
    found = [family] if family is not None else []
    return found + [name for name, test in NAME_FAMILIES if test(imp)]


def module_families(imports: Iterable[ImportRef]) -> dict[str, list[str]]:
    """Family -> the imports ("module.name") that point at it, in order of first appearance."""
    found: dict[str, list[str]] = {}
    for imp in imports:
        for family in import_families(imp):
            found.setdefault(family, []).append(f"{imp.module}.{imp.name}")
    return found


def component_families(imports: Iterable[str], exports: Iterable[str]) -> dict[str, list[str]]:
    """The same for a component, from its top-level interface names (`wasi:http/incoming-handler@0.2.0`)."""
    found: dict[str, list[str]] = {}
    for name in list(imports) + list(exports):
        bare = name.split("@", 1)[0]
        family = _interface_family(bare)
        if family is not None:
            found.setdefault(family, []).append(name)
    for name in exports:
        if name.split("@", 1)[0] == "wasi:http/incoming-handler":
            found.setdefault("wasi-http-proxy", []).append(name)
        elif name.split("@", 1)[0] == "wasi:cli/run":
            found.setdefault("wasi-command", []).append(name)
    return found


def _interface_family(bare: str) -> str | None:
    if bare.startswith(SPIN_PREFIXES):
        return "spin"
    if bare.startswith("wasi:nn/"):
        return "wasi-nn"
    if ":" not in bare and bare.split("/", 1)[0] in SLIGHT_MODULES:
        return "slight"
    return None
