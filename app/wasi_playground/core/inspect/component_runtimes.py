"""Runtime verdicts for a component, from its top-level interface names (see `runtimes` for modules).

wasmtime runs WASI 0.2 commands (`wasmtime run`) and wasi:http/proxy components (`wasmtime serve`); Spin runs
HTTP components and Spin's own interfaces; Docker+Wasm runs what wasmtime runs through runwasi's shim;
wasmer and WasmEdge run core modules only.
"""

from __future__ import annotations

from collections.abc import Sequence

from wasi_playground.core.inspect.runtimes import (
    DOCKER_RUN,
    DOCKER_SHIMS,
    SPIN_COMPONENT_IMPORTS,
    RuntimeVerdict,
    image_name,
)
from wasi_playground.core.wasi.families import SPIN_PREFIXES, component_families
from wasi_playground.core.wasi.knowledge import host_provides_p2


def component_runtimes(
    imports: Sequence[str], exports: Sequence[str], func_exports: Sequence[str], file: str
) -> list[RuntimeVerdict]:
    """Verdicts for a component, from its top-level interface names and exported functions."""
    families = component_families(imports, exports)
    serve = "wasi-http-proxy" in families
    command = "wasi-command" in families
    wasmtime = _component_wasmtime(list(imports), families, list(func_exports), file)
    not_core = "runs core modules, not components"
    verdicts = [
        wasmtime,
        RuntimeVerdict("wasmer", False, f"wasmer {not_core}"),
        RuntimeVerdict("wasmedge", False, f"WasmEdge {not_core} (its component support is partial)"),
        _component_spin(list(imports), families, serve),
    ]
    if wasmtime.runs and (serve or command) and "wasi-nn" not in families:
        shim = DOCKER_SHIMS[0][1]
        what = "serves it on port 8080 in the container" if serve else "runs it"
        verdicts.append(
            RuntimeVerdict(
                "docker",
                True,
                f"Docker+Wasm {what} through runwasi's wasmtime shim ({shim})",
                wasmtime.evidence,
                DOCKER_RUN + (f"--runtime={shim}", "--platform=wasi/wasm"),
                (image_name(file),),
                "serve" if serve else "container",
            )
        )
    elif "spin" in families:
        verdicts.append(
            RuntimeVerdict(
                "docker",
                False,
                "a Spin app reaches containers as a Spin OCI artifact "
                "(spin registry push), run by containerd-shim-spin or SpinKube",
                tuple(families["spin"]),
            )
        )
    else:
        verdicts.append(
            RuntimeVerdict(
                "docker",
                False,
                wasmtime.why
                if not wasmtime.runs
                else "a container runs a command (wasi:cli/run) or an HTTP handler, and "
                "this component exports neither",
                wasmtime.evidence,
            )
        )
    return verdicts


def _wasmtime_provides(name: str) -> bool:
    return host_provides_p2(name) or name.startswith(("wasi:http/", "wasi:nn/"))


def _component_wasmtime(
    imports: list[str], families: dict[str, list[str]], func_exports: list[str], file: str
) -> RuntimeVerdict:
    missing = [n for n in imports if not _wasmtime_provides(n)]
    if missing:
        what = (
            "Spin's interfaces" if any(n.startswith(SPIN_PREFIXES) for n in missing) else "these interfaces"
        )
        return RuntimeVerdict("wasmtime", False, f"wasmtime does not provide {what}", tuple(missing[:8]))
    flags: tuple[str, ...] = ()
    if any(n.startswith("wasi:nn/") for n in imports):
        flags += ("-S", "nn")
    if "wasi-http-proxy" in families:
        return RuntimeVerdict(
            "wasmtime",
            True,
            "wasmtime serve runs a wasi:http/proxy component as an HTTP server, one instance per request",
            tuple(families["wasi-http-proxy"]),
            ("wasmtime", "serve", "-S", "cli") + flags,
            (file,),
            "serve",
        )
    if any(n.startswith("wasi:http/") for n in imports):
        flags += ("-S", "http")
    if "wasi-command" in families:
        return RuntimeVerdict(
            "wasmtime",
            True,
            "wasmtime run provides every interface it imports (WASI 0.2)",
            tuple(families["wasi-command"]),
            ("wasmtime", "run") + flags,
            (file,),
            "command",
        )
    if func_exports:
        call = f"{func_exports[0]}()"
        return RuntimeVerdict(
            "wasmtime",
            True,
            f"wasmtime run can call one of its functions, such as {call}",
            (func_exports[0],),
            ("wasmtime", "run") + flags + ("--invoke", call),
            (file,),
            "invoke",
        )
    return RuntimeVerdict(
        "wasmtime",
        False,
        "it exports no wasi:cli/run, HTTP handler or top-level function for a command line to start",
    )


def _component_spin(imports: list[str], families: dict[str, list[str]], serve: bool) -> RuntimeVerdict:
    inbound = [n for n in families.get("spin", []) if n.startswith("fermyon:spin/inbound-")]
    if not serve and not inbound:
        return RuntimeVerdict(
            "spin",
            False,
            "Spin runs HTTP (wasi:http/incoming-handler) and Redis triggers; this component exports neither",
        )
    missing = [n for n in imports if not (host_provides_p2(n) or n.startswith(SPIN_COMPONENT_IMPORTS))]
    if missing:
        return RuntimeVerdict("spin", False, "Spin does not provide these interfaces", tuple(missing[:8]))
    evidence = tuple(families.get("wasi-http-proxy", []) + families.get("spin", []))
    return RuntimeVerdict(
        "spin",
        True,
        "Spin runs it as an HTTP component (trigger.http)",
        evidence,
        ("spin", "up", "--from", "spin.toml"),
        (),
        "http",
    )
