"""What a module's imports say about the system it expects: WASI flavours, capabilities, runnability here.

The host is wasmtime-py: WASI preview 1 for core modules and the WASI 0.2 command interfaces (cli, clocks,
filesystem, io, random, sockets) for components. Everything else — preview 0, WASIX, wasi-threads, browser or
Node.js glue — is named, and the reason it cannot run is said in words the user can act on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wasi_playground.core.wasi import preview1 as wasi_p1

WASIX_MODULES = ("wasix_32v1", "wasix_64v1")
BINDGEN_MODULES = ("__wbindgen_placeholder__", "__wbindgen_externref_xform__", "wbg")
HOST_P2_PACKAGES = ("wasi:cli/", "wasi:clocks/", "wasi:filesystem/", "wasi:io/", "wasi:random/", "wasi:sockets/")

P2_INTERFACE_GROUPS = {
    "wasi:cli/environment": ("args", "environment"), "wasi:cli/exit": ("process",),
    "wasi:cli/stdin": ("stdio",), "wasi:cli/stdout": ("stdio",), "wasi:cli/stderr": ("stdio",),
    "wasi:cli/terminal-input": ("stdio",), "wasi:cli/terminal-output": ("stdio",),
    "wasi:cli/terminal-stdin": ("stdio",), "wasi:cli/terminal-stdout": ("stdio",),
    "wasi:cli/terminal-stderr": ("stdio",), "wasi:io/streams": ("stdio",), "wasi:io/error": ("stdio",),
    "wasi:io/poll": ("polling",), "wasi:clocks/wall-clock": ("clocks",), "wasi:clocks/monotonic-clock": ("clocks",),
    "wasi:random/random": ("random",), "wasi:random/insecure": ("random",),
    "wasi:random/insecure-seed": ("random",), "wasi:filesystem/types": ("filesystem",),
    "wasi:filesystem/preopens": ("filesystem",), "wasi:http/outgoing-handler": ("sockets",),
    "wasi:http/types": ("sockets",),
}
WASIX_PREFIX_GROUPS = (
    ("sock_", "sockets"), ("port_", "sockets"), ("resolve", "sockets"), ("http_", "sockets"),
    ("thread_", "threads"), ("futex_", "threads"), ("proc_signal", "signals"), ("proc_raise", "signals"),
    ("proc_", "process"), ("tty_", "stdio"), ("getcwd", "filesystem"), ("chdir", "filesystem"),
    ("callback_", "process"), ("stack_", "process"), ("epoll_", "polling"), ("fd_pipe", "stdio"),
    ("fd_dup", "stdio"), ("fd_event", "polling"), ("clock_", "clocks"),
)


@dataclass(frozen=True, slots=True)
class ImportRef:
    module: str
    name: str
    type: str = ""


@dataclass
class Runnable:
    ok: bool
    missing: list[str] = field(default_factory=list)
    reason: str = ""

    def to_json_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "missing": list(self.missing), "reason": self.reason}


@dataclass
class WasiSummary:
    flavours: list[str]
    capabilities: dict[str, list[str]]
    runnable: Runnable

    def to_json_dict(self) -> dict[str, object]:
        return {"flavours": self.flavours, "capabilities": self.capabilities}


def _is_emscripten(imp: ImportRef) -> bool:
    n = imp.name
    return imp.module in ("env", "wasi_snapshot_preview1") and (
        n.startswith(("emscripten_", "_emscripten_", "__syscall_", "invoke_", "_embind_", "__cxa_throw"))
        or n in ("_abort_js", "_tzset_js", "_mmap_js"))


def _is_bindgen(imp: ImportRef) -> bool:
    return imp.module in BINDGEN_MODULES or imp.name.startswith(("__wbindgen_", "__wbg_"))


def _is_napi(imp: ImportRef) -> bool:
    return imp.module == "napi" or imp.name.startswith(("napi_", "node_api_"))


def _is_go_js(imp: ImportRef) -> bool:
    return imp.module in ("go", "gojs") or imp.name.startswith(("runtime.", "syscall/js."))


def module_flavours(imports: Iterable[ImportRef]) -> list[str]:
    found: list[str] = []

    def add(flavour: str) -> None:
        if flavour not in found:
            found.append(flavour)

    for imp in imports:
        if imp.module == wasi_p1.MODULE:
            add("wasi-preview1")
        elif imp.module == wasi_p1.PREVIEW0_MODULE:
            add("wasi-preview0")
        elif imp.module in WASIX_MODULES:
            add("wasix")
        elif imp.module == "wasi" and imp.name == "thread-spawn":
            add("wasi-threads")
        elif imp.module.startswith("wasi_ephemeral_"):
            add("wasi-ephemeral")
        if _is_emscripten(imp):
            add("emscripten")
        if _is_bindgen(imp):
            add("wasm-bindgen")
        if _is_napi(imp):
            add("node-api")
        if _is_go_js(imp):
            add("go-js")
    return found


def _wasix_group(name: str) -> str:
    fn = wasi_p1.FUNCTIONS.get(name)
    if fn is not None:
        return fn.group
    for prefix, group in WASIX_PREFIX_GROUPS:
        if name.startswith(prefix):
            return group
    return "filesystem" if name.startswith(("fd_", "path_")) else "process"


def module_capabilities(imports: Iterable[ImportRef]) -> dict[str, list[str]]:
    """Capability group -> "module.name" of each system import that needs it."""
    caps: dict[str, list[str]] = {}
    for imp in imports:
        fn = wasi_p1.lookup(imp.module, imp.name)
        if fn is not None:
            group = fn.group
        elif imp.module in WASIX_MODULES:
            group = _wasix_group(imp.name)
        elif imp.module == "wasi" and imp.name == "thread-spawn":
            group = "threads"
        else:
            continue
        caps.setdefault(group, []).append(f"{imp.module}.{imp.name}")
    return caps


def _reason_for(flavours: list[str], missing: list[ImportRef]) -> str:
    modules = {m.module for m in missing}
    names = {m.name for m in missing}
    if "wasm-bindgen" in flavours:
        return ("expects a browser: it imports JavaScript glue generated by wasm-bindgen; run it with its "
                "generated JS in a browser or Node.js, or rebuild for wasm32-wasip1")
    if "node-api" in flavours:
        return "expects Node-API from a Node.js host (napi_* imports); load it from Node.js instead"
    if "go-js" in flavours:
        return "built for GOOS=js (browser); rebuild with GOOS=wasip1 GOARCH=wasm to run it here"
    if modules & set(WASIX_MODULES):
        if any(n.startswith(("sock_", "port_", "resolve")) for n in names):
            return "needs WASIX socket calls, which only the wasmer runtime provides"
        return "needs WASIX calls, which only the wasmer runtime provides"
    if "emscripten" in flavours:
        return ("expects Emscripten's JavaScript runtime (env.* glue imports); rebuild with "
                "-sSTANDALONE_WASM or with wasi-sdk to run it here")
    if wasi_p1.PREVIEW0_MODULE in modules:
        return ("targets the old wasi_unstable (preview 0) interface, which this host no longer provides; "
                "rebuild with a current toolchain")
    if "wasi" in modules:
        return "needs wasi-threads (thread-spawn), which this host does not enable"
    if wasi_p1.MODULE in modules:
        return "imports WASI preview-1 names or signatures that do not exist in the standard"
    first = missing[0]
    return (f"imports from \"{first.module}\" that nothing provides: probably a library meant to be linked "
            "into a program, or built for a host with its own functions")


def module_runnable(imports: list[ImportRef], flavours: list[str], exports: list[str] | None = None) -> Runnable:
    """`exports` (when known) lets the reason say how to start it: `_start`, or an export to call."""
    missing: list[ImportRef] = []
    for imp in imports:
        fn = wasi_p1.FUNCTIONS.get(imp.name) if imp.module == wasi_p1.MODULE else None
        if fn is None or (imp.type and imp.type != fn.core_signature):
            missing.append(imp)
    if missing:
        return Runnable(False, [f"{m.module}.{m.name}" for m in missing], _reason_for(flavours, missing))
    reason = "wasmtime provides every import (WASI preview 1)" if imports else "it imports nothing"
    if exports is not None and "_start" not in exports:
        reason += ("; it has no _start (a library or reactor): call one of its exports" if exports
                   else "; it exports nothing, so there is nothing to call")
    return Runnable(True, [], reason)


def module_summary(imports: list[ImportRef], exports: list[str] | None = None) -> WasiSummary:
    flavours = module_flavours(imports)
    return WasiSummary(flavours, module_capabilities(imports), module_runnable(imports, flavours, exports))


def component_summary(imports: list[str], exports: list[str]) -> WasiSummary:
    """WASI 0.2 knowledge from a component's top-level interface names (e.g. `wasi:cli/run@0.2.0`)."""
    uses_wasi = any(n.startswith("wasi:") for n in imports + exports)
    flavours = ["wasi-0.2"] if uses_wasi else []
    caps: dict[str, list[str]] = {}
    for name in imports:
        for group in P2_INTERFACE_GROUPS.get(name.split("@", 1)[0], ()):
            caps.setdefault(group, []).append(name)
    missing = [n for n in imports if not _host_provides_p2(n)]
    if not missing:
        has_run = any(n.split("@", 1)[0] == "wasi:cli/run" for n in exports)
        reason = ("wasmtime provides every import (WASI 0.2)" if has_run
                  else "every import is provided, but it exports no wasi:cli/run: call one of its exports")
        return WasiSummary(flavours, caps, Runnable(True, [], reason))
    if any(n.startswith("wasi:http/") for n in missing):
        reason = "needs the wasi:http interfaces (an HTTP proxy component); serve it with `wasmtime serve`"
    elif any(n.startswith("wasi:") for n in missing):
        reason = "needs WASI interfaces or versions this host does not provide: " + ", ".join(missing[:3])
    else:
        reason = "imports interfaces that only a custom host provides: " + ", ".join(missing[:3])
    return WasiSummary(flavours, caps, Runnable(False, missing, reason))


def _host_provides_p2(name: str) -> bool:
    if not name.startswith(HOST_P2_PACKAGES):
        return False
    version = name.split("@", 1)[1] if "@" in name else ""
    return version == "" or version.startswith("0.2.")
