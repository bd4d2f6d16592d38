"""Calling a component's exported functions on one instance kept alive between calls.

The component counterpart of `core.calls.module_session.CallSession`: WAVE text in, WAVE text out, WASI 0.2 wired up
with output captured per call, time and fuel per call, and a fresh instance on request. Resources that a
call returns (`own<counter>`) stay in the session under a name such as `counter#1`, which later calls
accept as an argument (`counter.increment` with `counter#1`), because a resource handle has no text form.
Imports this host cannot provide are listed in `missing` and linked as traps, so the rest still works.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as wc

from wasi_playground.core.calls.module_session import (
    CallOutcome,
    ExportedFunction,
    OutputBuffer,
    ScratchDir,
    first_line,
    trap_message,
)
from wasi_playground.core.components.host_support import missing_imports
from wasi_playground.core.components.invoke import (
    call_func,
    format_result,
    lookup_func,
    parse_arguments,
    resolve_export,
)
from wasi_playground.core.components.types import TypeNames, render_type
from wasi_playground.core.components.world import FunctionInfo, describe_world
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import get_engine, load_component
from wasi_playground.core.engine.interrupts import Interrupter
from wasi_playground.core.engine.limits import new_store
from wasi_playground.core.engine.wasi_config import make_wasi_config

UNLIMITED_FUEL = 1 << 62


class ComponentSession:
    kind = "component"

    def __init__(self, component: str | Path | bytes, config: RunConfig | None = None) -> None:
        self.config = config or RunConfig()
        data = Path(component).read_bytes() if isinstance(component, str | Path) else bytes(component)
        self.module_name = Path(component).name if isinstance(component, str | Path) else "component.wasm"
        self.engine = get_engine(fuel=True)
        try:
            self.component, _ = load_component(self.engine, data)
        except wasmtime.WasmtimeError as e:
            raise ConfigError(f"{self.module_name} does not compile: {first_line(e)}") from None
        self.world = describe_world(self.engine, self.component)
        self.missing = missing_imports(self.engine, self.component)
        self._scratch = ScratchDir()
        self._stdout = OutputBuffer()
        self._stderr = OutputBuffer()
        self._interrupter: Interrupter | None = None
        self.store: wasmtime.Store | None = None
        self.instance: wc.Instance | None = None
        self.resources: dict[str, Any] = {}
        self._resource_counter = 0

    def names_for(self, info: FunctionInfo) -> TypeNames:
        iface = next((i for i in self.world.exports if i.name == info.interface), None)
        return self.world.names_for(iface) if iface is not None else TypeNames()

    def functions(self) -> list[ExportedFunction]:
        out = []
        for info in self.world.exported_functions():
            names = self.names_for(info)
            out.append(
                ExportedFunction(
                    info.qualified_name,
                    [render_type(t, names) for _, t in info.params],
                    [render_type(info.result, names)] if info.result is not None else [],
                    info.signature(names),
                    [n for n, _ in info.params],
                )
            )
        return out

    def function_info(self, name: str) -> FunctionInfo:
        try:
            return resolve_export(self.world, name)
        except ValueError as e:
            raise ConfigError(str(e)) from None

    def _instantiate(self) -> None:
        self.instance = None
        self.store = None
        self.resources.clear()
        store = new_store(self.engine, self.config.limits)
        store.set_fuel(UNLIMITED_FUEL)
        store.set_wasi(
            make_wasi_config(
                self.config,
                self._stdout.write,
                self._stderr.write,
                self._scratch.for_config(self.config),
                self.module_name,
            )
        )
        linker = wc.Linker(self.engine)
        linker.add_wasip2()
        if self.missing:
            linker.define_unknown_imports_as_traps(self.component)
        self.store = store
        interrupter = self._attach()
        try:
            self.instance = linker.instantiate(store, self.component)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            self.store = None
            raise ConfigError(f"{self.module_name} cannot be instantiated: {trap_message(e)}") from None
        finally:
            interrupter.detach()

    def _attach(self) -> Interrupter:
        interrupter = Interrupter(self.config.limits.timeout_s)
        interrupter.attach(self.engine, self.store)
        self._interrupter = interrupter
        return interrupter

    def reset(self) -> None:
        self._instantiate()

    def cancel(self) -> None:
        if self._interrupter is not None:
            self._interrupter.cancel()

    def _resolve_resource(self, token: str, _ty: Any) -> Any:
        if token not in self.resources:
            held = ", ".join(self.resources) or "none yet"
            raise LookupError(f"no resource {token} in this session (held: {held})")
        return self.resources[token]

    def _name_resource(self, names: TypeNames, info: FunctionInfo):
        result_ty = info.result
        fallback = names.resource_name(result_ty.ty) if isinstance(result_ty, wc.OwnType) else info.resource

        def name(resource: Any) -> str:
            try:
                label = names.resource_name(resource.type) or fallback
            except Exception:
                label = fallback
            self._resource_counter += 1
            token = f"{label or 'resource'}#{self._resource_counter}"
            self.resources[token] = resource
            return token

        return name

    def call(self, name: str, args: list[str], fresh: bool = False) -> CallOutcome:
        """Call export `name` with WAVE `args`. ConfigError for a bad name or argument; traps in the outcome."""
        info = self.function_info(name)
        outcome = CallOutcome(function=info.qualified_name)
        if fresh or self.instance is None:
            self._instantiate()
            outcome.fresh_instance = True
        try:
            values = parse_arguments(info, args, self.world, self._resolve_resource)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        func = lookup_func(self.store, self.instance, info)
        budget = self.config.limits.fuel if self.config.limits.fuel is not None else UNLIMITED_FUEL
        self.store.set_fuel(budget)
        self._stdout.take(), self._stderr.take()
        started = time.perf_counter()
        interrupter = self._attach()
        try:
            value = call_func(func, self.store, values)
            outcome.results = format_result(value, info, self._name_resource(self.names_for(info), info))
        except ValueError as e:
            raise ConfigError(str(e)) from None
        except wasmtime.ExitTrap as e:
            outcome.exit_code = e.code
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            outcome.trap = {
                "timeout": f"timed out after {self.config.limits.timeout_s} s",
                "cancelled": "stopped by user",
            }.get(interrupter.stop_reason or "", trap_message(e))
            outcome.notes.append(
                "after a trap the instance cannot be called again; the next call starts fresh"
            )
            self.instance = None
        finally:
            interrupter.detach()
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        if self.store is not None:
            outcome.fuel_consumed = budget - self.store.get_fuel()
        outcome.stdout, outcome.stderr = self._stdout.take(), self._stderr.take()
        return outcome

    def close(self) -> None:
        self.instance = None
        self.store = None
        self.resources.clear()
        gc.collect()
        self._scratch.remove()

    def __enter__(self) -> ComponentSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
