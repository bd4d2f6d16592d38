"""Calling a component's exported functions on one instance kept alive between calls.

The component counterpart of `core.calls.module_session.CallSession`: WAVE text in, WAVE text out,
WASI 0.2 wired up with output captured per call, time and fuel per call, and a fresh instance on request.
Resources that a call returns (`own<counter>`) stay in the session under a name such as `counter#1`, which
later calls accept as an argument (`counter.increment` with `counter#1`), because a resource handle has no
text form.
Imports this host cannot provide are listed in `missing` and linked as traps, so the rest still works.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as wc

from wasi_playground.core.calls.outcome import CallOutcome, ExportedFunction
from wasi_playground.core.calls.session_io import LiveSession, SessionIO, call_budget
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
from wasi_playground.core.engine.outcome import compile_error
from wasi_playground.core.engine.sandbox import Sandbox
from wasi_playground.core.engine.source import ModuleSource, read_source

TRAPPED_NOTE = "after a trap the instance cannot be called again; the next call starts fresh"


class ComponentSession(LiveSession):
    kind = "component"

    def __init__(self, component: str | Path | bytes | ModuleSource, config: RunConfig | None = None) -> None:
        self.config = config or RunConfig()
        source = component if isinstance(component, ModuleSource) else read_source(component)
        self.module_name = "component.wasm" if isinstance(component, bytes) else source.name
        self.engine = get_engine(fuel=True)
        try:
            self.component, _ = load_component(self.engine, source.data)
        except wasmtime.WasmtimeError as e:
            raise ConfigError(compile_error(self.module_name, e)) from None
        self.world = describe_world(self.engine, self.component)
        self.missing = missing_imports(self.engine, self.component)
        self._io = SessionIO()
        self.sandbox: Sandbox | None = None
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

    def _instantiate(self) -> tuple[Sandbox, wc.Instance]:
        self._drop_instance()
        sandbox = self.sandbox = self._io.sandbox(self.engine, self.config, "component", self.module_name)
        try:
            with sandbox.interruptible():
                instance = sandbox.instantiate(self.component, trap_unknown_imports=bool(self.missing))
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            error = sandbox.link_error(e)
            self._drop_instance()
            raise error from None
        self.instance = instance
        return sandbox, instance

    def _drop_instance(self) -> None:
        self.resources.clear()
        super()._drop_instance()

    def reset(self) -> None:
        self._instantiate()

    def cancel(self) -> None:
        if self.sandbox is not None:
            self.sandbox.cancel()

    def _resolve_resource(self, token: str, _ty: Any) -> Any:
        if token not in self.resources:
            held = ", ".join(self.resources) or "none yet"
            raise LookupError(f"no resource {token} in this session (held: {held})")
        return self.resources[token]

    def _name_resource(self, names: TypeNames, info: FunctionInfo) -> Callable[[Any], str]:
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
        """Call export `name` with WAVE `args`. ConfigError for a bad name or argument; traps end up in
        the outcome."""
        info = self.function_info(name)
        outcome = CallOutcome(function=info.qualified_name)
        if fresh or self.sandbox is None or self.instance is None:
            sandbox, instance = self._instantiate()
            outcome.fresh_instance = True
        else:
            sandbox, instance = self.sandbox, self.instance
        try:
            values = parse_arguments(info, args, self.world, self._resolve_resource)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        func = lookup_func(sandbox.store, instance, info)
        budget = call_budget(self.config)
        sandbox.refuel(budget)
        self._io.take()
        started = time.perf_counter()
        with sandbox.interruptible():
            try:
                value = call_func(func, sandbox.store, values)
                outcome.results = format_result(value, info, self._name_resource(self.names_for(info), info))
            except ValueError as e:
                raise ConfigError(str(e)) from None
            except wasmtime.ExitTrap as e:
                outcome.exit_code = e.code
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                outcome.trap = sandbox.trap(e).message
                outcome.notes.append(TRAPPED_NOTE)
                self.instance = None
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        outcome.fuel_consumed = sandbox.fuel_consumed(budget)
        outcome.stdout, outcome.stderr = self._io.take()
        return outcome
