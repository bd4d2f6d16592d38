"""Where one instance lives: a store with limits and fuel, its WASI configuration, a linker that provides
WASI (preview 1 for core modules, 0.2 for components) and, when stopping matters, an interrupter.

The runner, both call sessions and the WAGI executors each make a `Sandbox`, instantiate into it, let
it classify what running code raised, read the fuel it used and `close` it. Nothing else in the
application constructs a wasmtime store, WASI configuration, linker or interrupter (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.interrupts import Interrupter
from wasi_playground.core.engine.limits import new_store
from wasi_playground.core.engine.messages import first_line
from wasi_playground.core.engine.outcome import (
    NO_SHIFT,
    classify,
    describe_trap,
    forget_traceback,
    link_error,
)
from wasi_playground.core.engine.result import RunResult, TrapInfo
from wasi_playground.core.engine.source import Kind
from wasi_playground.core.engine.wasi_config import make_wasi_config

AnyLinker = wasmtime.Linker | wcomponent.Linker
Compiled = wasmtime.Module | wcomponent.Component | wasmtime.InstancePre


@dataclass
class Outputs:
    """Where the guest's stdout and stderr go: callbacks (None discards), or files wasmtime writes itself
    (the runner's FIFOs, much faster for floods)."""

    stdout: Callable[[bytes], None] | None = None
    stderr: Callable[[bytes], None] | None = None
    stdout_file: str | None = None
    stderr_file: str | None = None


class Sandbox:
    """One store, its WASI configuration and linker, with the run configuration's grants and limits."""

    def __init__(self, engine: wasmtime.Engine, config: RunConfig, kind: Kind, outputs: Outputs,
                 scratch_dir: str | Path, module_name: str, *, interruptible: bool = False,
                 fuel: int | None = None) -> None:
        """`fuel` replaces the configured budget (a call session measures calls without a limit).
        `interruptible` attaches an interrupter for the sandbox's whole life, its timeout counted from
        now (a run); a call session instead uses `interruptible()` around each call."""
        self.engine = engine
        self.config = config
        self.kind = kind
        self.module_name = module_name
        self.wasi = make_wasi_config(config, outputs.stdout, outputs.stderr, scratch_dir, module_name,
                                     stdout_file=outputs.stdout_file, stderr_file=outputs.stderr_file)
        self.store = new_store(engine, config.limits)
        if fuel is not None:
            self.store.set_fuel(fuel)
        self.store.set_wasi(self.wasi)
        self._linker: AnyLinker | None = None
        self.interrupter: Interrupter | None = None
        if interruptible:
            self._attach(Interrupter(config.limits.timeout_s))

    @property
    def linker(self) -> AnyLinker:
        """The linker with WASI defined (made on first use: a precompiled handler does not need one)."""
        if self._linker is None:
            if self.kind == "component":
                component_linker = wcomponent.Linker(self.engine)
                component_linker.add_wasip2()
                self._linker = component_linker
            else:
                module_linker = wasmtime.Linker(self.engine)
                module_linker.define_wasi()
                self._linker = module_linker
        return self._linker

    # --- stopping -----------------------------------------------------------------------------------

    def _attach(self, interrupter: Interrupter) -> None:
        interrupter.attach(self.engine, self.store)
        self.interrupter = interrupter

    def detach(self) -> None:
        if self.interrupter is not None:
            self.interrupter.detach()

    @contextmanager
    def interruptible(self) -> Iterator[Interrupter]:
        """A fresh interrupter (the configured timeout counted from now) for the code run inside."""
        interrupter = Interrupter(self.config.limits.timeout_s)
        self._attach(interrupter)
        try:
            yield interrupter
        finally:
            interrupter.detach()

    def cancel(self) -> None:
        """Stop the code running in this sandbox (thread-safe); no effect when it is not interruptible."""
        if self.interrupter is not None:
            self.interrupter.cancel()

    @property
    def stop_reason(self) -> str | None:
        """ "cancelled", "timeout", or None while the code may run."""
        return self.interrupter.stop_reason if self.interrupter is not None else None

    def check_stop(self) -> str | None:
        """The stop reason, with the timeout checked now (between phases, when no code runs)."""
        if self.interrupter is not None:
            self.interrupter.check_deadline()
        return self.stop_reason

    # --- instantiating and classifying ----------------------------------------------------------------

    def instantiate(self, compiled: Compiled, *, trap_unknown_imports: bool = False) -> Any:
        """An instance of `compiled` in this store. `trap_unknown_imports` links imports this host cannot
        provide as functions that trap, so the rest of a library stays callable."""
        if isinstance(compiled, wasmtime.InstancePre):
            return compiled.instantiate(self.store)
        linker = self.linker
        if trap_unknown_imports:
            linker.define_unknown_imports_as_traps(compiled)  # type: ignore[arg-type]
        return linker.instantiate(self.store, compiled)  # type: ignore[arg-type]

    def classify(self, error: BaseException, result: RunResult, shift: tuple[int, int] = NO_SHIFT) -> None:
        """Write what `error` (ExitTrap, Trap or WasmtimeError) means into `result`'s outcome fields."""
        classify(error, result, self.stop_reason, self.config.limits, shift)

    def trap(self, error: BaseException, shift: tuple[int, int] = NO_SHIFT) -> TrapInfo:
        """The trap `error` describes, or the stop (user, timeout) that caused it."""
        forget_traceback(error)
        return describe_trap(error, self.stop_reason, self.config.limits, shift)

    def link_error(self, error: BaseException) -> ConfigError:
        forget_traceback(error)
        return ConfigError(link_error(self.module_name, error))

    # --- fuel and the end -----------------------------------------------------------------------------

    def refuel(self, budget: int) -> None:
        self.store.set_fuel(budget)

    def fuel_consumed(self, budget: int) -> int | None:
        """How much of `budget` the code used, or None when the store cannot say."""
        try:
            return budget - self.store.get_fuel()
        except wasmtime.WasmtimeError:
            return None

    def close(self) -> None:
        """Stop ticking and drop the store first (closing the guest's output files), then the rest."""
        self.detach()
        self.interrupter = None
        self._linker = None
        del self.store, self.wasi


def prelink(engine: wasmtime.Engine, module: wasmtime.Module, name: str) -> wasmtime.InstancePre:
    """`module` with WASI preview 1 resolved once, instantiated per request by `Sandbox.instantiate`."""
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        return linker.instantiate_pre(module)
    except wasmtime.WasmtimeError as e:
        raise ConfigError(f"{name} cannot be linked as a WASI handler: {first_line(e)}") from None
