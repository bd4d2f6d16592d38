"""A traced (and possibly capability-restricted) run of one core module: the runner's side of tracing.

The runner compiles what `prepare` returns instead of the original, calls `link` after `define_wasi`,
runs, and calls `finish` (the `core.engine.interpose.Interposer` protocol). In between, the generated
wrapper (see `wrapper`) records every WASI call into its ring and hands full batches to `_flush`, which
decodes them on the run's thread and passes each event on.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.wasi_config import normalise_guest_path
from wasi_playground.core.trace import fsdiff
from wasi_playground.core.trace import layout as L
from wasi_playground.core.trace.decoder import RecordDecoder
from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.trace.explain import Explainer
from wasi_playground.core.trace.rewrite import MEMORY_MODULE, MEMORY_NAME, rewrite_memory_as_import
from wasi_playground.core.trace.wrapper import TRACE, WASI, traced_names, wrapper_module


class TraceSession:
    """The `core.engine.interpose.Interposer` that traces (and may restrict) a core module's WASI calls."""

    def __init__(self, config: RunConfig, on_event: Callable[[TraceEvent], None]) -> None:
        self._config = config
        self._denied = frozenset(config.denied)
        self._on_event = on_event
        self._guests = [normalise_guest_path(p.guest) for p in config.preopens]
        self._dirs = [(p.host, normalise_guest_path(p.guest)) for p in config.preopens]
        self._names: tuple[str, ...] = ()
        self._memory_limits: Any = None
        self._explainer = Explainer(bool(config.preopens), list(config.denied), [], opens_files=False)
        self._decoder = RecordDecoder(self._guests, self._emit)
        self._before: Any = None
        self._store: wasmtime.Store | None = None
        self._count_global: wasmtime.Global | None = None
        self._ring_address = 0
        self.error: str | None = None
        self._fuel_limited = config.limits.fuel is not None

    def prepare(self, data: bytes) -> bytes:
        """The module with its memory turned into an import, so the recorder shares it."""
        rewritten = rewrite_memory_as_import(data)
        self._memory_limits = rewritten.memory
        self._names = traced_names(rewritten.wasi_imports)
        config = self._config
        read_only = [normalise_guest_path(p.guest) for p in config.preopens if p.read_only]
        self._explainer = Explainer(bool(config.preopens), list(config.denied), read_only,
                                    opens_files="path_open" in self._names)
        self._before = fsdiff.snapshot(self._dirs)
        return rewritten.data

    def _emit(self, event: TraceEvent) -> None:
        if event.errno or event.denied or event.func == "proc_exit":
            self._explainer.add(event)
        try:
            self._on_event(event)
        except Exception as e:  # a broken consumer must not change the program's behaviour
            self.error = f"trace consumer failed: {e}"

    def link(self, engine: wasmtime.Engine, store: wasmtime.Store,
             linker: wasmtime.Linker | wcomponent.Linker) -> None:
        assert isinstance(linker, wasmtime.Linker), "TraceSession interposes core modules only"
        self._store = store
        limits = self._memory_limits
        has_memory = limits is not None
        module = wrapper_module(engine, self._names, self._denied, has_memory)
        flush = wasmtime.Func(store, wasmtime.FuncType([wasmtime.ValType.i32()], []), self._flush)
        linker.allow_shadowing = True
        linker.define(store, TRACE, "flush", flush)
        if limits is not None:
            memory = wasmtime.Memory(
                store, wasmtime.MemoryType(wasmtime.Limits(limits.minimum, limits.maximum))
            )
            linker.define(store, TRACE, "memory", memory)
            linker.define(store, MEMORY_MODULE, MEMORY_NAME, memory)
        wrapper = linker.instantiate(store, module)
        exports = wrapper.exports(store)
        for name in self._names:
            linker.define(store, WASI, name, exports[name])
        ring = exports["trace_ring"]
        assert isinstance(ring, wasmtime.Memory)
        self._ring_address = ctypes.addressof(ring.data_ptr(store).contents)
        count = exports["trace_count"]
        assert isinstance(count, wasmtime.Global)
        self._count_global = count

    def _flush(self, count: int) -> None:
        if 0 < count <= L.RING_RECORDS and self._ring_address:
            self._decoder.decode(ctypes.string_at(self._ring_address, count * L.RECORD_SIZE))

    def finish(self, result: RunResult) -> None:
        if self._count_global is not None and self._store is not None:
            try:
                remaining = int(self._count_global.value(self._store))
                self._count_global.set_value(self._store, 0)
            except wasmtime.WasmtimeError:
                remaining = 0
            self._flush(remaining)
        result.trace_calls = self._decoder.seq
        result.explanations = self._explainer.lines()
        if self.error:
            result.notes.append(self.error)
        if self._fuel_limited:
            result.notes.append(
                "fuel consumed includes the trace recorder's own instructions (about 100 per WASI call)"
            )
        if self._dirs and self._before is not None:
            result.fs_changes = fsdiff.diff(self._before, fsdiff.snapshot(self._dirs))
        self._store = None
        self._count_global = None
