"""Calling exported functions of a core module by hand, on one instance kept alive between calls.

A library module is explored by calling it: a `CallSession` compiles the module once, instantiates it with
WASI wired up (an export that prints works, its output is captured per call) and keeps that instance, so
state persists (a counter export increments) until `reset()` or a call with `fresh=True` starts over.
Arguments are text checked against the function's type (`core.engine.invoke_args`: decimal or hex integers
with range checks, floats, v128 as hex). Each call reports its results, time and fuel; exported memory can
be read for a hex view and exported globals show their values. `open_session` picks this or a
`ComponentSession` (core.calls.component_session) from the file's header.

A session is used from one thread at a time (the GUI's task runner); `cancel()` may come from any thread.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import wasmtime

from wasi_playground.core.binary.module_info import ModuleInfo, parse_module
from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.calls.component_session import ComponentSession
from wasi_playground.core.calls.outcome import CallOutcome, ExportedFunction, GlobalValue
from wasi_playground.core.calls.session_io import LiveSession, SessionIO, call_budget
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import get_engine, load_module
from wasi_playground.core.engine.invoke_args import parse_arg, render_result
from wasi_playground.core.engine.limits import MEMORY_PROBE, TABLE_PROBE, add_probe_exports
from wasi_playground.core.engine.outcome import compile_error
from wasi_playground.core.engine.sandbox import Sandbox
from wasi_playground.core.engine.source import ModuleSource, read_source
from wasi_playground.core.engine.v128 import call_via_adapter, read_v128_global

__all__ = ["CallOutcome", "CallSession", "ExportedFunction", "GlobalValue", "open_session"]

MAX_MEMORY_READ = 1 << 20
_PROBES = {MEMORY_PROBE, TABLE_PROBE}


class CallSession(LiveSession):
    """One core module, one live instance, many calls."""

    kind = "module"

    def __init__(self, module: str | Path | bytes | ModuleSource, config: RunConfig | None = None) -> None:
        self.config = config or RunConfig()
        source = module if isinstance(module, ModuleSource) else read_source(module)
        self.module_name = source.name
        self.engine = get_engine(fuel=True)
        probed = add_probe_exports(source.data)
        try:
            self.module, _ = load_module(self.engine, probed.data)
        except wasmtime.WasmtimeError as e:
            raise ConfigError(compile_error(self.module_name, e)) from None
        self.memory_added = probed.memory_exported_for_wasi
        try:
            self.info = parse_module(probed.data)
        except WasmFormatError as e:
            raise ConfigError(f"{self.module_name}: {e}") from None
        self._signatures = function_signatures(self.info)
        self._io = SessionIO()
        self.sandbox: Sandbox | None = None
        self.instance: wasmtime.Instance | None = None
        self.calls_on_instance = 0
        self._adapters: dict[str, wasmtime.Module] = {}

    # --- what the module offers -------------------------------------------------------------------------

    def functions(self) -> list[ExportedFunction]:
        return [
            ExportedFunction(name, list(params), list(results), _signature(params, results))
            for name, (params, results) in self._signatures.items()
        ]

    def memories(self) -> list[str]:
        return [
            e.name
            for e in self.module.exports
            if isinstance(e.type, wasmtime.MemoryType) and e.name != MEMORY_PROBE
        ]

    # --- the instance -----------------------------------------------------------------------------------

    def _instantiate(self) -> tuple[Sandbox, wasmtime.Instance]:
        self._drop_instance()
        sandbox = self.sandbox = self._io.sandbox(self.engine, self.config, "module", self.module_name)
        with sandbox.interruptible():
            instance = sandbox.instantiate(self.module, trap_unknown_imports=True)
        self.instance = instance
        self.calls_on_instance = 0
        return sandbox, instance

    def reset(self) -> None:
        """Start over on a fresh instance (memory, globals and tables back to their initial values)."""
        self._instantiate()

    def _live(self, fresh: bool = False) -> tuple[Sandbox, wasmtime.Instance, bool]:
        """The sandbox and instance to call into, and whether the instance was made now."""
        if not fresh and self.sandbox is not None and self.instance is not None:
            return self.sandbox, self.instance, False
        try:
            return (*self._instantiate(), True)
        except wasmtime.ExitTrap as e:
            self._drop_instance()
            raise ConfigError(f"the module exited with {e.code} while starting") from None
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            error = self.sandbox.link_error(e) if self.sandbox is not None else ConfigError(str(e))
            self._drop_instance()
            raise error from None

    def cancel(self) -> None:
        """Stop the running call (thread-safe); it ends with a trap saying it was stopped."""
        if self.sandbox is not None:
            self.sandbox.cancel()

    # --- calls ------------------------------------------------------------------------------------------

    def _arguments(self, name: str, args: list[str]) -> list[Any]:
        if name not in self._signatures:
            known = ", ".join(f.name for f in self.functions()) or "none"
            raise ConfigError(f"the module exports no function {name!r} (functions: {known})")
        params, types = self._signatures[name]
        if len(args) != len(params):
            raise ConfigError(
                f"{name} takes {len(params)} argument{'s' * (len(params) != 1)} "
                f"{_signature(params, types)}, but {len(args)} "
                f"{'was' if len(args) == 1 else 'were'} given"
            )
        return [parse_arg(text, ty, i + 1) for i, (text, ty) in enumerate(zip(args, params, strict=True))]

    def call(self, name: str, args: list[str], fresh: bool = False) -> CallOutcome:
        """Call export `name` with text arguments. Raises ConfigError for an unknown function or bad
        argument (before anything runs); a trap or exit ends up in the outcome."""
        values = self._arguments(name, args)
        params, types = self._signatures[name]
        outcome = CallOutcome(function=name)
        sandbox, instance, outcome.fresh_instance = self._live(fresh)
        func = instance.exports(sandbox.store)[name]
        assert isinstance(func, wasmtime.Func)
        budget = call_budget(self.config)
        sandbox.refuel(budget)
        self._io.take()
        started = time.perf_counter()
        with sandbox.interruptible():
            try:
                if "v128" in (*params, *types):
                    values_out = call_via_adapter(
                        self.engine, sandbox.store, func, list(params), list(types), values, self._adapters
                    )
                else:
                    raw = func(sandbox.store, *values)
                    values_out = [] if not types else (list(raw) if len(types) > 1 else [raw])
                outcome.results = [render_result(v, t) for v, t in zip(values_out, types, strict=False)]
            except wasmtime.ExitTrap as e:
                outcome.exit_code = e.code
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                outcome.trap = sandbox.trap(e).message
                outcome.notes.append("fuel may under-report after a trap")
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        outcome.fuel_consumed = sandbox.fuel_consumed(budget)
        self.calls_on_instance += 1
        outcome.stdout, outcome.stderr = self._io.take()
        return outcome

    # --- looking inside ---------------------------------------------------------------------------------

    def _memory(self, name: str | None) -> tuple[wasmtime.Memory, wasmtime.Store]:
        sandbox, instance, _ = self._live()
        exports = instance.exports(sandbox.store)
        names = [name] if name else [*self.memories(), MEMORY_PROBE]
        for candidate in names:
            memory = exports.get(candidate)
            if isinstance(memory, wasmtime.Memory):
                return memory, sandbox.store
        raise ConfigError(
            "the module exports no memory" if not name else f"no exported memory named {name!r}"
        )

    def memory_size(self, name: str | None = None) -> int:
        memory, store = self._memory(name)
        return memory.data_len(store)

    def read_memory(self, address: int, length: int, name: str | None = None) -> bytes:
        """Bytes of exported memory `name` (default: the first) from `address`; checked against its size."""
        memory, store = self._memory(name)
        size = memory.data_len(store)
        if address < 0 or length < 0:
            raise ConfigError("address and length must not be negative")
        if length > MAX_MEMORY_READ:
            raise ConfigError(f"read at most {MAX_MEMORY_READ} bytes at a time")
        if address > size or address + length > size:
            raise ConfigError(f"0x{address:x}+{length} is past the end of memory ({size} bytes)")
        return bytes(memory.read(store, address, address + length))

    def globals(self) -> list[GlobalValue]:
        sandbox, instance, _ = self._live()
        exports = instance.exports(sandbox.store)
        found = []
        for name, (valtype, mutable) in global_types(self.info).items():
            item = exports[name]
            assert isinstance(item, wasmtime.Global)
            value: Any
            if valtype == "v128":
                value = read_v128_global(self.engine, sandbox.store, item, mutable)
            elif valtype in ("i32", "i64", "f32", "f64"):
                value = item.value(sandbox.store)
            else:
                value = f"({valtype})"
            found.append(GlobalValue(name, valtype, mutable, render_result(value, valtype)))
        return found


def _signature(params: tuple[str, ...] | list[str], results: tuple[str, ...] | list[str]) -> str:
    return f"({', '.join(params)}) -> ({', '.join(results)})"


def function_signatures(info: ModuleInfo) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Exported functions' (params, results) from our own reader: wasmtime-py aborts the process when
    asked about a v128 value type, so its FuncType is never inspected."""
    found = {}
    for export in info.exports:
        if export.kind == "func" and export.name not in _PROBES:
            functype = info.func_type_of(export.index)
            if functype is not None:
                found[export.name] = (tuple(functype.params), tuple(functype.results))
    return found


def global_types(info: ModuleInfo) -> dict[str, tuple[str, bool]]:
    """Exported globals' (value type, mutable), imported globals included."""
    imported = info.imports_by_kind.get("global", [])
    found = {}
    for export in info.exports:
        if export.kind != "global":
            continue
        if export.index < len(imported):
            text = imported[export.index].type
            found[export.name] = (text.replace("(", " ").replace(")", " ").split()[-1], "mut" in text)
        elif export.index - len(imported) < len(info.globals):
            gtype = info.globals[export.index - len(imported)].type
            found[export.name] = (gtype.value, gtype.mutable)
    return found


def open_session(path: str | Path | bytes, config: RunConfig | None = None) -> CallSession | ComponentSession:
    """A CallSession for a core module, a ComponentSession for a component (binary or WAT); ConfigError
    says why neither."""
    source = read_source(path)
    if source.kind == "component":
        return ComponentSession(source, config)
    return CallSession(source, config)
