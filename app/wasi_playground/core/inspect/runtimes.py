"""Which runtimes can run a module, why, on what evidence, and what to type there.

A verdict per runtime (wasmtime, wasmer, WasmEdge, Spin, Docker+Wasm; a browser, Node.js or slight when the
imports point there) built from the host families of `core.wasi.families`: a runtime runs a module when it
provides a family for every import. Components get theirs in `component_runtimes`. Each verdict keeps the
words of its command before any per-run option (`invocation`), so `core.export` renders the full command
from a run configuration the one way.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from wasi_playground.core.wasi import preview1 as wasi_p1
from wasi_playground.core.wasi.families import (
    SPIN_PREFIXES,
    ImportRef,
    import_families,
    module_families,
)

RUNTIMES = ("wasmtime", "wasmer", "wasmedge", "spin", "docker")
DISPLAY = {
    "wasmtime": "wasmtime",
    "wasmer": "wasmer",
    "wasmedge": "WasmEdge",
    "spin": "Spin",
    "docker": "Docker+Wasm",
    "browser": "A browser",
    "node": "Node.js",
    "slight": "slight",
}
PROVIDES: dict[str, frozenset[str]] = {
    "wasmtime": frozenset({"wasi-preview1", "wasi-preview0", "wasi-nn"}),
    "wasmer": frozenset({"wasi-preview1", "wasi-preview0", "wasix"}),
    "wasmedge": frozenset(
        {
            "wasi-preview1",
            "wasmedge-sockets",
            "wasmedge-process",
            "wasmedge-httpsreq",
            "wasmedge-plugin",
            "wasi-nn",
            "wasi-threads",
        }
    ),
    "spin": frozenset({"wasi-preview1"}),
    "slight": frozenset({"wasi-preview1", "slight"}),
}
"""Runtime -> the import families it provides to a core module."""
DOCKER_SHIMS = (
    ("wasmtime", "io.containerd.wasmtime.v1"),
    ("wasmedge", "io.containerd.wasmedge.v1"),
    ("wasmer", "io.containerd.wasmer.v1"),
)
"""runwasi's containerd shims, each embedding one runtime; the first that can run the module is used."""
SHIM_LACKS = frozenset({"wasi-nn", "wasi-threads", "wasi-preview0"})
JS_FAMILIES = ("emscripten", "wasm-bindgen", "go-js", "assemblyscript")
FAMILY_TEXT = {
    "wasi-preview1": "WASI preview 1",
    "wasi-preview0": "the old wasi_unstable (preview 0)",
    "wasix": "WASIX",
    "wasi-threads": "wasi-threads (thread-spawn)",
    "wasi-nn": "wasi-nn (inference)",
    "wasmedge-sockets": "WasmEdge's socket extension",
    "wasmedge-process": "WasmEdge's process extension",
    "wasmedge-httpsreq": "WasmEdge's HTTPS request plugin",
    "wasmedge-plugin": "a WasmEdge plugin",
    "emscripten": "Emscripten's JavaScript glue",
    "wasm-bindgen": "wasm-bindgen's JavaScript glue",
    "go-js": "Go's JavaScript runtime (GOOS=js)",
    "assemblyscript": "AssemblyScript's JavaScript host",
    "node-api": "Node-API",
    "slight": "SpiderLightning's capabilities",
    "wasi-ephemeral": "an experimental WASI proposal",
    "component-core": "WASI 0.2 interfaces to a core module (it belongs inside a component)",
}
SPIN_COMPONENT_IMPORTS = SPIN_PREFIXES + ("wasi:http/", "wasi:keyvalue/", "wasi:config/")
DOCKER_RUN = ("docker", "run", "--rm")


@dataclass(frozen=True)
class RuntimeVerdict:
    name: str
    runs: bool
    why: str
    evidence: tuple[str, ...] = ()
    invocation: tuple[str, ...] = ()
    """The command's words before per-run options (`wasmer run --net`); empty when it does not run."""
    target: tuple[str, ...] = ()
    """What follows the options: the module file, a function to call, or a container image."""
    mode: str = ""
    """How it runs: "command", "invoke", "serve" (an HTTP server), "wagi", "container" or "glue"."""

    @property
    def command(self) -> str | None:
        if not self.runs or not self.invocation:
            return None
        return " ".join(_shell_word(w) for w in self.invocation + self.target)

    def to_json_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "runs": self.runs,
            "why": self.why,
            "evidence": list(self.evidence),
            "command": self.command,
        }


def _shell_word(word: str) -> str:
    """Quoted for a POSIX shell, except that a leading `$(...)` is left for the shell to expand."""
    return f'"{word}"' if word.startswith("$(") and '"' not in word else shlex.quote(word)


def image_name(file_name: str) -> str:
    """A container image reference from a module's file name (`Hello World.wasm` -> `hello-world-wasm`)."""
    stem = re.sub(r"\.(wasm|wat)$", "", file_name.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "module"
    return f"{slug}-wasm:latest"


def _families_text(families: Sequence[str]) -> str:
    texts = [FAMILY_TEXT.get(f, f) for f in families]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def _effective(imp: ImportRef) -> set[str]:
    """An import's families, less preview 1 when its name or signature is not the standard one."""
    found = set(import_families(imp))
    fn = wasi_p1.lookup(imp.module, imp.name)
    standard = fn is not None and (
        imp.module != wasi_p1.MODULE or not imp.type or imp.type == fn.core_signature
    )
    if not standard:
        found -= {"wasi-preview1", "wasi-preview0"}
    return found


@dataclass(frozen=True)
class _Module:
    file: str
    imports: list[tuple[ImportRef, set[str]]]
    families: dict[str, list[str]]
    func_exports: list[str]

    @property
    def has_start(self) -> bool:
        return "_start" in self.func_exports

    def uncovered(self, provided: frozenset[str]) -> list[ImportRef]:
        return [imp for imp, fams in self.imports if not fams & provided]

    def evidence(self, provided: frozenset[str]) -> tuple[str, ...]:
        special = [f for f in self.families if f in provided and f != "wasi-preview1"]
        shown = special or [f for f in self.families if f in provided]
        return tuple(label for f in shown for label in self.families[f])

    def why_runs(self, name: str, provided: frozenset[str]) -> str:
        used = [f for f in self.families if f in provided]
        if not used:
            return f"it imports nothing, so {DISPLAY[name]} runs it as it is"
        return f"{DISPLAY[name]} provides {_families_text(used)}"


def module_runtimes(
    imports: Sequence[ImportRef], func_exports: Sequence[str], file: str
) -> list[RuntimeVerdict]:
    m = _Module(
        file, [(imp, _effective(imp)) for imp in imports], module_families(imports), list(func_exports)
    )
    verdicts = [
        _standalone(m, "wasmtime"),
        _standalone(m, "wasmer"),
        _standalone(m, "wasmedge"),
        _spin_wagi(m),
        _docker(m),
    ]
    if any(f in m.families for f in JS_FAMILIES + ("node-api",)):
        verdicts += _javascript(m)
    if "slight" in m.families:
        verdicts.append(_slight(m))
    return verdicts


REFUSAL_NOTES = {
    (
        "wasmtime",
        "wasi-threads",
    ): ': its command line dropped it (wasmtime 49: "-Sthreads is no longer supported")',
}
"""Why a runtime known for a family no longer provides it (checked on the real command line)."""


def _refusal(m: _Module, name: str, provided: frozenset[str]) -> RuntimeVerdict | None:
    missing = m.uncovered(provided)
    if not missing:
        return None
    telling = next((i for i in missing if _effective(i)), missing[0])
    fams = [f for f in import_families(telling) if f in m.families and f not in provided]
    what = FAMILY_TEXT.get(fams[0], fams[0]) if fams else f"{telling.module}.{telling.name}"
    what += REFUSAL_NOTES.get((name, fams[0]), "") if fams else ""
    if not fams and telling.module == wasi_p1.MODULE:
        what += " (not a WASI preview-1 call, or not its signature)"
    return RuntimeVerdict(
        name,
        False,
        f"{DISPLAY[name]} does not provide {what}",
        tuple(f"{i.module}.{i.name}" for i in missing[:8]),
    )


STANDALONE_FLAGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("wasmtime", "wasi-nn"): ("-S", "nn"),
    ("wasmedge", "wasi-threads"): ("--enable-threads",),
}
"""Flags a runtime needs before it provides a family."""


def _standalone(m: _Module, name: str) -> RuntimeVerdict:
    provided = PROVIDES[name]
    refusal = _refusal(m, name, provided)
    if refusal is not None:
        return refusal
    words = {"wasmtime": ("wasmtime", "run"), "wasmer": ("wasmer", "run"), "wasmedge": ("wasmedge",)}[name]
    for family in m.families:
        words += STANDALONE_FLAGS.get((name, family), ())
    if name == "wasmer" and any(
        label.split(".", 1)[1].startswith(("sock_", "port_", "resolve"))
        for label in m.families.get("wasix", [])
    ):
        words += ("--net",)
    why = m.why_runs(name, provided)
    if m.has_start or not m.func_exports:
        return RuntimeVerdict(name, True, why, m.evidence(provided), words, (m.file,), "command")
    func = m.func_exports[0]
    why += f"; it has no _start, so call an export such as {func}"
    if name == "wasmedge":
        return RuntimeVerdict(
            name, True, why, m.evidence(provided), words + ("--reactor",), (m.file, func), "invoke"
        )
    return RuntimeVerdict(
        name, True, why, m.evidence(provided), words + ("--invoke", func), (m.file,), "invoke"
    )


def _spin_wagi(m: _Module) -> RuntimeVerdict:
    refusal = _refusal(m, "spin", PROVIDES["spin"])
    if refusal is not None:
        return refusal
    if not m.has_start:
        return RuntimeVerdict(
            "spin", False, "Spin's WAGI executor runs a module's _start, and this one has none"
        )
    why = (
        "Spin's WAGI executor runs it as an HTTP handler: each request runs _start with the request in its "
        "environment and stdin, and its stdout (headers, blank line, body) is the response"
    )
    return RuntimeVerdict(
        "spin",
        True,
        why,
        m.evidence(PROVIDES["spin"]) + ("export _start",),
        ("spin", "up", "--from", "spin.toml"),
        (),
        "wagi",
    )


def _docker(m: _Module) -> RuntimeVerdict:
    for runtime, shim in DOCKER_SHIMS:
        provided = PROVIDES[runtime] - SHIM_LACKS
        if m.uncovered(provided):
            continue
        if not m.has_start:
            return RuntimeVerdict(
                "docker", False, "a container runs the module's _start, and this one has none"
            )
        why = f"Docker+Wasm runs it as a wasi/wasm image through runwasi's {runtime} shim ({shim})"
        return RuntimeVerdict(
            "docker",
            True,
            why,
            m.evidence(provided),
            DOCKER_RUN + (f"--runtime={shim}", "--platform=wasi/wasm"),
            (image_name(m.file),),
            "container",
        )
    refusal = _refusal(m, "docker", PROVIDES["wasmtime"] - SHIM_LACKS)
    assert refusal is not None
    return refusal


def _javascript(m: _Module) -> list[RuntimeVerdict]:
    js = [f for f in JS_FAMILIES if f in m.families]
    evidence = tuple(label for f in js for label in m.families[f])
    out: list[RuntimeVerdict] = []
    if js:
        out.append(
            RuntimeVerdict(
                "browser",
                True,
                f"built for a JavaScript host: {_families_text(js)} loads "
                "and runs it, from the JavaScript its toolchain generated",
                evidence,
                mode="glue",
            )
        )
    node = js + (["node-api"] if "node-api" in m.families else [])
    node_evidence = evidence + tuple(m.families.get("node-api", []))
    if "go-js" in node:
        return out + [
            RuntimeVerdict(
                "node",
                True,
                "Go's wasm_exec_node.js runs a GOOS=js module in Node.js",
                node_evidence,
                ("node", "$(go env GOROOT)/lib/wasm/wasm_exec_node.js"),
                (m.file,),
                "glue",
            )
        ]
    return out + [
        RuntimeVerdict(
            "node",
            True,
            f"Node.js runs it through {_families_text(node)}, from the JavaScript its toolchain generated",
            node_evidence,
            mode="glue",
        )
    ]


def _slight(m: _Module) -> RuntimeVerdict:
    refusal = _refusal(m, "slight", PROVIDES["slight"])
    if refusal is not None:
        return refusal
    why = (
        "SpiderLightning's slight provides its capabilities; the project is archived (no new releases), "
        "so treat this as a port to wasi:keyvalue / wasi:messaging waiting to happen"
    )
    return RuntimeVerdict(
        "slight",
        True,
        why,
        tuple(m.families["slight"]),
        ("slight", "-c", "slightfile.toml", "run"),
        (m.file,),
        "command",
    )
