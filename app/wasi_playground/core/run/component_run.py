"""Running a WASI 0.2 command component: the `run` function of its `wasi:cli/run` export.

Kept apart from the core-module path in `runner.py` because components differ in every step: their own
linker with `add_wasip2`, export lookup by interface name, traps arriving as `WasmtimeError`, and an exit
code that is only ok/err (`exit(42)` comes back as 1, a WASI 0.2 limitation).
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.engine.config import ConfigError
from wasi_playground.core.engine.engines import load_component
from wasi_playground.core.engine.limits import new_store

if TYPE_CHECKING:
    from wasi_playground.core.run.runner import _RunJob

RUN_INTERFACE = "wasi:cli/run@"


def find_run_export(engine: wasmtime.Engine, component: wcomponent.Component) -> str | None:
    """The full name of the component's `wasi:cli/run@x.y.z` export, if it has one."""
    for name in component.type.exports(engine):
        if name.startswith(RUN_INTERFACE):
            return name
    return None


def run_component(job: _RunJob, engine: wasmtime.Engine, data: bytes, name: str) -> None:
    config, result = job.config, job.result
    if config.trace or config.denied:
        result.notes.append("tracing and capability switches apply to core modules only; "
                            "this component ran untraced with the configured grants")
    job.phase("compile")
    try:
        component, result.cache_hit = load_component(engine, data, result.notes)
    except wasmtime.WasmtimeError as e:
        raise ConfigError(f"{name} does not compile: {str(e).strip().splitlines()[0]}") from None
    run_name = find_run_export(engine, component)
    if config.invoke is None and run_name is None:
        exports = ", ".join(component.type.exports(engine)) or "nothing"
        raise ConfigError(f"the component exports no wasi:cli/run (it exports {exports}); use --invoke NAME")
    with tempfile.TemporaryDirectory(prefix="wasi-playground-run-") as scratch:
        store = new_store(engine, config.limits)
        wasi = job.make_wasi(scratch, name)
        store.set_wasi(wasi)
        linker = wcomponent.Linker(engine)
        linker.add_wasip2()
        if job.interruptible:
            job.interrupter.attach(engine, store)
        instance = None
        try:
            job.phase("instantiate")
            if config.invoke is not None:
                _invoke(job, engine, store, linker, component)  # it instantiates the component itself
                return
            try:
                instance = linker.instantiate(store, component)
            except wasmtime.ExitTrap as e:
                e.__traceback__ = None  # see _record_error
                result.exit_code = e.code
                return
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                if job.interrupter.stop_reason:
                    job._mark_stopped(e)
                    return
                raise ConfigError(
                    f"{name} cannot be instantiated: {str(e).strip().splitlines()[0]}"
                ) from None
            interface = instance.get_export_index(store, run_name)
            func_index = instance.get_export_index(store, "run", interface) if interface else None
            func = instance.get_func(store, func_index) if func_index else None
            if func is None:
                raise ConfigError(f"{run_name} has no run function")
            job.phase("run")
            try:
                outcome = func(store)
                result.exit_code = 1 if _is_err(outcome) else 0
            except wasmtime.ExitTrap as e:
                e.__traceback__ = None  # see _record_error
                result.exit_code = e.code
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                job._record_error(e, (0, 0))
            if result.exit_code not in (None, 0):
                result.notes.append("a WASI 0.2 component can only exit ok or err: any failure reads as 1")
        finally:
            if config.limits.fuel is not None:
                try:
                    result.fuel_consumed = config.limits.fuel - store.get_fuel()
                except wasmtime.WasmtimeError:
                    pass
            del instance, linker, wasi, store


def _is_err(outcome: object) -> bool:
    """`run` returns `result` without payloads; wasmtime-py 50 gives it as Variant(tag='ok'|'err')."""
    tag = getattr(outcome, "tag", None)
    if tag is not None:
        return tag == "err"
    return outcome is not None


def _invoke(job: _RunJob, engine, store, linker, component) -> None:
    try:
        from wasi_playground.core.components.invoke import call_component_export
    except ImportError:
        raise ConfigError(
            "calling a component export needs wasi_playground.core.components, "
            "which is not available in this build"
        ) from None
    job.phase("run")
    try:
        job.result.results = call_component_export(
            engine, store, linker, component, job.config.invoke, list(job.config.invoke_args)
        )
        job.result.exit_code = 0
    except ValueError as e:
        raise ConfigError(str(e)) from None
    except wasmtime.ExitTrap as e:
        e.__traceback__ = None  # see _record_error
        job.result.exit_code = e.code
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        job._record_error(e, (0, 0))
