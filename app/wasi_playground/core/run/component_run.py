"""Running a WASI 0.2 command component: the `run` function of its `wasi:cli/run` export, or the export
named by `invoke` with WAVE arguments.

Components differ from core modules in every step: a linker with `add_wasip2`, export lookup by
interface name, traps arriving as `WasmtimeError`, and an exit code that is only ok/err (`exit(42)` comes
back as 1, a WASI 0.2 limitation).
"""

from __future__ import annotations

import tempfile

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.components.invoke import call_component_export
from wasi_playground.core.engine.config import ConfigError
from wasi_playground.core.engine.engines import load_component
from wasi_playground.core.engine.outcome import compile_error
from wasi_playground.core.engine.sandbox import Sandbox
from wasi_playground.core.engine.source import ModuleSource
from wasi_playground.core.run.context import RunContext

RUN_INTERFACE = "wasi:cli/run@"
EXIT_CODE_NOTE = ("a WASI 0.2 component that does not use exit-with-code can only exit ok or err: any "
                  "failure reads as 1")
_OUTCOMES = (wasmtime.ExitTrap, wasmtime.Trap, wasmtime.WasmtimeError)


def find_run_export(engine: wasmtime.Engine, component: wcomponent.Component) -> str | None:
    """The full name of the component's `wasi:cli/run@x.y.z` export, if it has one."""
    for name in component.type.exports(engine):
        if name.startswith(RUN_INTERFACE):
            return name
    return None


def run_component(ctx: RunContext, engine: wasmtime.Engine, source: ModuleSource) -> None:
    config, result = ctx.config, ctx.result
    data = ctx.interposer.prepare(source.data) if ctx.interposer is not None else source.data
    ctx.phase("compile")
    try:
        component, result.cache_hit = load_component(engine, data, result.notes)
    except wasmtime.WasmtimeError as e:
        raise ConfigError(compile_error(source.name, e)) from None
    run_name = find_run_export(engine, component)
    if config.invoke is None and run_name is None:
        exports = ", ".join(component.type.exports(engine)) or "nothing"
        raise ConfigError(f"the component exports no wasi:cli/run (it exports {exports}); use --invoke NAME")
    with tempfile.TemporaryDirectory(prefix="wasi-playground-run-") as scratch:
        sandbox = ctx.open_sandbox(engine, "component", scratch, source.name)
        try:
            if ctx.interposer is not None:
                ctx.interposer.link(engine, sandbox.store, sandbox.linker)
            ctx.phase("instantiate")
            if config.invoke is not None:
                _invoke(ctx, sandbox, component, config.invoke)  # it instantiates the component itself
            elif run_name is not None:
                _run(ctx, sandbox, component, run_name)
        finally:
            if config.limits.fuel is not None:
                result.fuel_consumed = sandbox.fuel_consumed(config.limits.fuel)
            if ctx.interposer is not None:
                ctx.interposer.finish(result)
            sandbox.close()


def _run(ctx: RunContext, sandbox: Sandbox, component: wcomponent.Component, run_name: str) -> None:
    result = ctx.result
    try:
        instance = sandbox.instantiate(component)
    except _OUTCOMES as e:
        if isinstance(e, wasmtime.ExitTrap) or sandbox.stop_reason is not None:
            sandbox.classify(e, result)
            return
        raise sandbox.link_error(e) from None
    interface = instance.get_export_index(sandbox.store, run_name)
    func_index = instance.get_export_index(sandbox.store, "run", interface) if interface else None
    func = instance.get_func(sandbox.store, func_index) if func_index else None
    if func is None:
        raise ConfigError(f"{run_name} has no run function")
    ctx.phase("run")
    try:
        outcome = func(sandbox.store)
        result.exit_code = 1 if _is_err(outcome) else 0
    except _OUTCOMES as e:
        sandbox.classify(e, result)
    if result.exit_code == 1:  # exit-with-code(n) comes back as n; exit(err) and a failed run as 1
        result.notes.append(EXIT_CODE_NOTE)


def _is_err(outcome: object) -> bool:
    """`run` returns `result` without payloads; wasmtime-py 50 gives it as Variant(tag='ok'|'err')."""
    tag = getattr(outcome, "tag", None)
    if tag is not None:
        return tag == "err"
    return outcome is not None


def _invoke(ctx: RunContext, sandbox: Sandbox, component: wcomponent.Component, name: str) -> None:
    ctx.phase("run")
    linker = sandbox.linker
    assert isinstance(linker, wcomponent.Linker)
    try:
        ctx.result.results = call_component_export(
            sandbox.engine, sandbox.store, linker, component, name, list(ctx.config.invoke_args)
        )
        ctx.result.exit_code = 0
    except ValueError as e:
        raise ConfigError(str(e)) from None
    except _OUTCOMES as e:
        sandbox.classify(e, ctx.result)
