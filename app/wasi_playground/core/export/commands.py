"""Command lines for the standalone runtimes: wasmtime, wasmer and WasmEdge.

Each starts from the runtime verdict's words (`wasmer run --net`), adds the configuration the way that
runtime spells it, and lists what it cannot spell.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace

from wasi_playground.core.engine.config import RunConfig, Stdin, with_stdin
from wasi_playground.core.export.common import read_only_dirs, unsaid
from wasi_playground.core.inspect.runtimes import RuntimeVerdict

WASM_PAGE = 65536
SERVE_ADDRESS = "127.0.0.1:8080"


@dataclass(frozen=True)
class Target:
    verdict: RuntimeVerdict
    config: RunConfig
    path: str
    flavours: list[str]
    imports: tuple[str, ...] = ()
    """What the module imports: `module.name`, or a component's interface names."""

    def head(self) -> list[str]:
        """The verdict's words, less the function it would call when the configuration names its own."""
        words = list(self.verdict.invocation)
        if self.config.invoke and "--invoke" in words:
            at = words.index("--invoke")
            del words[at : at + 2]
        return words

    @property
    def call(self) -> str | None:
        """The export to call instead of `_start`: the configuration's, else the verdict's choice."""
        if self.config.invoke:
            return self.config.invoke
        return self.verdict.target[1] if len(self.verdict.target) > 1 else None

    @property
    def rest(self) -> list[str]:
        return self.config.invoke_args if self.config.invoke else self.config.args


Rendered = tuple[str, dict[str, str], list[str]]


def wasmtime_export(t: Target) -> Rendered:
    config = t.config
    warnings: list[str] = []
    head = tuple(t.head())
    if t.verdict.mode == "serve":
        head += ("--addr", SERVE_ADDRESS)
        warnings += _request_driven(config, "wasmtime serve")
        config = replace(config, args=[], stdin=Stdin(kind="inherit"), invoke=None, invoke_args=[])
    line, notes = config.wasmtime_parts(t.path, head)
    return (
        line,
        {},
        warnings + notes + unsaid(config, "wasmtime", ("memory", "table", "fuel", "timeout", "argv0")),
    )


def _request_driven(config: RunConfig, where: str) -> list[str]:
    out = []
    if config.args or config.invoke:
        out.append(f"{where} runs the module per HTTP request: its arguments and --invoke are not used")
    if config.stdin.kind in ("text", "file"):
        out.append(f"{where} gives each request's body as input: the configured stdin is not used")
    return out


def wasmer_export(t: Target) -> Rendered:
    config = t.config
    cmd = t.head()
    for p in config.preopens:
        cmd += ["--dir", p.host] if p.host == p.guest else ["--mapdir", f"{p.guest}:{p.host}"]
    for k, v in config.env:
        cmd += ["--env", f"{k}={v}"]
    if config.invoke:
        cmd += ["--invoke", config.invoke]
    cmd.append(t.path)
    if t.rest:
        cmd += ["--", *t.rest]
    warnings = []
    if read_only_dirs(config):
        warnings.append(
            f"wasmer cannot map a directory read-only: writable there: {', '.join(read_only_dirs(config))}"
        )
    return with_stdin(shlex.join(cmd), config.stdin), {}, warnings + unsaid(config, "wasmer")


def wasmedge_export(t: Target) -> Rendered:
    config = t.config
    cmd = [w for w in t.head() if w != "--reactor"]
    for p in config.preopens:
        cmd += ["--dir", f"{p.guest}:{p.host}" + (":readonly" if p.read_only else "")]
    for k, v in config.env:
        cmd += ["--env", f"{k}={v}"]
    warnings = _wasmedge_limits(config, cmd) + _wasmedge_extensions(t.flavours)
    call = t.call
    cmd += ["--reactor", t.path, call] if call else [t.path]
    cmd += t.rest
    return (
        with_stdin(shlex.join(cmd), config.stdin),
        {},
        warnings + unsaid(config, "WasmEdge", ("memory", "timeout", "fuel")),
    )


def _wasmedge_limits(config: RunConfig, cmd: list[str]) -> list[str]:
    lim = config.limits
    warnings = []
    if lim.max_memory_bytes is not None:
        pages = lim.max_memory_bytes // WASM_PAGE
        cmd += ["--memory-page-limit", str(pages)]
        if lim.max_memory_bytes % WASM_PAGE:
            warnings.append(
                f"WasmEdge limits memory in 64 KiB pages: {lim.max_memory_bytes} bytes rounded "
                f"down to {pages} pages"
            )
    if lim.timeout_s is not None:
        cmd += ["--time-limit", str(max(1, round(lim.timeout_s * 1000)))]
    if lim.fuel is not None:
        cmd += ["--gas-limit", str(lim.fuel)]
        warnings.append(
            "WasmEdge counts gas, not wasmtime's fuel: the same number stops at a different point"
        )
    return warnings


def _wasmedge_extensions(flavours: list[str]) -> list[str]:
    out = []
    if "wasmedge-process" in flavours:
        out.append(
            "WasmEdge runs no host program unless allowed: add --allow-command NAME for each one "
            "(needs the wasmedge_process plugin)"
        )
    if "wasi-nn" in flavours:
        out.append(
            "wasi-nn needs WasmEdge's wasi-nn plugin and a model: add --nn-preload "
            "NAME:ENCODING:TARGET:MODEL_FILE"
        )
    if "wasmedge-httpsreq" in flavours or "wasmedge-plugin" in flavours:
        out.append("needs the WasmEdge plugin it imports installed beside WasmEdge")
    return out
