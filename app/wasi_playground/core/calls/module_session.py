"""Calling exported functions of a core module by hand, on one instance kept alive between calls.

A library module is explored by calling it: a `CallSession` compiles the module once, instantiates it with
WASI wired up (an export that prints works, its output is captured per call) and keeps that instance, so
state persists (a counter export increments) until `reset()` or a call with `fresh=True` starts over.
Arguments are text checked against the function's type (`core.engine.invoke_args`: decimal or hex integers with
range checks, floats, v128 as hex). Each call reports its results, time and fuel; exported memory can be
read for a hex view and exported globals show their values. `open_session` picks this or a
`ComponentSession` (core.calls.component_session) from the file's header.

A session is used from one thread at a time (the GUI's task runner); `cancel()` may come from any thread.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wasmtime

from wasi_playground.core.binary.module_info import ModuleInfo, parse_module
from wasi_playground.core.binary.reader import WasmFormatError, header_kind
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import get_engine, load_module
from wasi_playground.core.engine.interrupts import Interrupter
from wasi_playground.core.engine.invoke_args import parse_arg, render_result
from wasi_playground.core.engine.limits import MEMORY_PROBE, TABLE_PROBE, add_probe_exports, new_store
from wasi_playground.core.engine.traps import cause_of
from wasi_playground.core.engine.v128 import call_via_adapter, read_v128_global
from wasi_playground.core.engine.wasi_config import make_wasi_config

UNLIMITED_FUEL = 1 << 62
"""Fuel given to a call when the configuration sets no limit: enough to measure, never enough to run out."""
MAX_MEMORY_READ = 1 << 20
_PROBES = {MEMORY_PROBE, TABLE_PROBE}


@dataclass
class ExportedFunction:
    name: str
    params: list[str]
    """Parameter types, e.g. ["i32", "i64"] (core) or WIT types (components)."""
    results: list[str]
    signature: str
    param_names: list[str] = field(default_factory=list)


@dataclass
class GlobalValue:
    name: str
    type: str
    mutable: bool
    value: Any


@dataclass
class CallOutcome:
    """What one call did. A trap or exit is reported here, not raised: the session stays usable."""

    function: str
    results: list[Any] = field(default_factory=list)
    """Core: numbers (v128 as 0x-hex text); components: WAVE text."""
    elapsed_ms: float = 0.0
    fuel_consumed: int | None = None
    stdout: str = ""
    stderr: str = ""
    trap: str | None = None
    exit_code: int | None = None
    """Set when the function called proc_exit / exit instead of returning."""
    fresh_instance: bool = False
    """True when this call ran on an instance made for it."""
    notes: list[str] = field(default_factory=list)


class OutputBuffer:
    """Collects bytes written by the guest from wasmtime's worker threads; each call takes what is new."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._chunks.append(bytes(data))

    def take(self) -> str:
        with self._lock:
            data, self._chunks = b"".join(self._chunks), []
        return data.decode("utf-8", errors="replace")


class ScratchDir:
    """A session's temporary folder, only made when the configuration needs one (text stdin is written
    there as a file), and removed by `remove()` or, for a session nobody closed (a result dropped as
    stale, an application that quit mid-call), when the session is garbage-collected or Python exits."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._finalizer: weakref.finalize | None = None

    def for_config(self, config: RunConfig) -> str:
        if config.stdin.kind != "text":
            return tempfile.gettempdir()  # make_wasi_config writes nothing there for other stdin kinds
        if self._path is None:
            self._path = tempfile.mkdtemp(prefix="wasi-playground-call-")
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._path, True)
        return self._path

    def remove(self) -> None:
        if self._finalizer is not None:
            self._finalizer()


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def trap_message(error: BaseException) -> str:
    """The cause of a trap in one line, e.g. "wasm trap: wasm `unreachable` instruction executed"."""
    return cause_of(str(error)) or first_line(error)


class CallSession:
    """One core module, one live instance, many calls."""

    kind = "module"

    def __init__(self, module: str | Path | bytes, config: RunConfig | None = None) -> None:
        self.config = config or RunConfig()
        data = Path(module).read_bytes() if isinstance(module, str | Path) else bytes(module)
        self.module_name = Path(module).name if isinstance(module, str | Path) else "module.wasm"
        self.engine = get_engine(fuel=True)
        probed = add_probe_exports(data)
        try:
            self.module, _ = load_module(self.engine, probed.data)
        except wasmtime.WasmtimeError as e:
            raise ConfigError(f"{self.module_name} does not compile: {first_line(e)}") from None
        self.memory_added = probed.memory_exported_for_wasi
        try:
            self.info = parse_module(probed.data)
        except WasmFormatError as e:
            raise ConfigError(f"{self.module_name}: {e}") from None
        self._signatures = function_signatures(self.info)
        self._scratch = ScratchDir()
        self._stdout = OutputBuffer()
        self._stderr = OutputBuffer()
        self._interrupter: Interrupter | None = None
        self.store: wasmtime.Store | None = None
        self.instance: wasmtime.Instance | None = None
        self.calls_on_instance = 0
        self._adapters: dict[str, wasmtime.Module] = {}

    # --- what the module offers -------------------------------------------------------------------------

    def _exports(self) -> list[tuple[str, Any]]:
        return [(e.name, e.type) for e in self.module.exports if e.name not in _PROBES]

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

    def _instantiate(self) -> None:
        self._drop_instance()
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
        linker = wasmtime.Linker(self.engine)
        linker.define_wasi()
        linker.define_unknown_imports_as_traps(self.module)
        self.store = store
        with self._interrupted():
            self.instance = linker.instantiate(store, self.module)
        self.calls_on_instance = 0

    def _drop_instance(self) -> None:
        self.instance = None
        self.store = None

    def reset(self) -> None:
        """Start over on a fresh instance (memory, globals and tables back to their initial values)."""
        self._instantiate()

    def _ensure_instance(self, fresh: bool) -> bool:
        if fresh or self.instance is None:
            try:
                self._instantiate()
            except wasmtime.ExitTrap as e:
                raise ConfigError(f"the module exited with {e.code} while starting") from None
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                self._drop_instance()
                raise ConfigError(f"{self.module_name} cannot be instantiated: {trap_message(e)}") from None
            return True
        return False

    class _Interruption:
        def __init__(self, session: CallSession) -> None:
            self.session = session

        def __enter__(self) -> Interrupter:
            interrupter = Interrupter(self.session.config.limits.timeout_s)
            interrupter.attach(self.session.engine, self.session.store)
            self.session._interrupter = interrupter
            return interrupter

        def __exit__(self, *exc: object) -> None:
            if self.session._interrupter is not None:
                self.session._interrupter.detach()

    def _interrupted(self) -> CallSession._Interruption:
        return CallSession._Interruption(self)

    def cancel(self) -> None:
        """Stop the running call (thread-safe); it ends with a trap saying it was stopped."""
        if self._interrupter is not None:
            self._interrupter.cancel()

    # --- calls ------------------------------------------------------------------------------------------

    def call(self, name: str, args: list[str], fresh: bool = False) -> CallOutcome:
        """Call export `name` with text arguments. Raises ConfigError for an unknown function or bad
        argument (before anything runs); a trap or exit ends up in the outcome."""
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
        values = [parse_arg(text, ty, i + 1) for i, (text, ty) in enumerate(zip(args, params, strict=True))]
        outcome = CallOutcome(function=name)
        outcome.fresh_instance = self._ensure_instance(fresh)
        func = self.instance.exports(self.store)[name]
        budget = self.config.limits.fuel if self.config.limits.fuel is not None else UNLIMITED_FUEL
        self.store.set_fuel(budget)
        self._stdout.take(), self._stderr.take()
        started = time.perf_counter()
        with self._interrupted() as interrupter:
            try:
                if "v128" in (*params, *types):
                    values_out = call_via_adapter(
                        self.engine, self.store, func, list(params), list(types), values, self._adapters
                    )
                else:
                    raw = func(self.store, *values)
                    values_out = [] if not types else (list(raw) if len(types) > 1 else [raw])
                outcome.results = [render_result(v, t) for v, t in zip(values_out, types, strict=False)]
            except wasmtime.ExitTrap as e:
                outcome.exit_code = e.code
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                outcome.trap = trap_message(e)
                if interrupter.stop_reason == "timeout":
                    outcome.trap = f"timed out after {self.config.limits.timeout_s} s"
                elif interrupter.stop_reason == "cancelled":
                    outcome.trap = "stopped by user"
                outcome.notes.append("fuel may under-report after a trap")
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        outcome.fuel_consumed = budget - self.store.get_fuel()
        self.calls_on_instance += 1
        outcome.stdout, outcome.stderr = self._stdout.take(), self._stderr.take()
        return outcome

    # --- looking inside ---------------------------------------------------------------------------------

    def _memory(self, name: str | None) -> wasmtime.Memory:
        self._ensure_instance(False)
        exports = self.instance.exports(self.store)
        names = [name] if name else [*self.memories(), MEMORY_PROBE]
        for candidate in names:
            memory = exports.get(candidate)
            if isinstance(memory, wasmtime.Memory):
                return memory
        raise ConfigError(
            "the module exports no memory" if not name else f"no exported memory named {name!r}"
        )

    def memory_size(self, name: str | None = None) -> int:
        return self._memory(name).data_len(self.store)

    def read_memory(self, address: int, length: int, name: str | None = None) -> bytes:
        """Bytes of exported memory `name` (default: the first) from `address`; checked against its size."""
        memory = self._memory(name)
        size = memory.data_len(self.store)
        if address < 0 or length < 0:
            raise ConfigError("address and length must not be negative")
        if length > MAX_MEMORY_READ:
            raise ConfigError(f"read at most {MAX_MEMORY_READ} bytes at a time")
        if address > size or address + length > size:
            raise ConfigError(f"0x{address:x}+{length} is past the end of memory ({size} bytes)")
        return bytes(memory.read(self.store, address, address + length))

    def globals(self) -> list[GlobalValue]:
        self._ensure_instance(False)
        exports = self.instance.exports(self.store)
        found = []
        for name, (valtype, mutable) in global_types(self.info).items():
            if valtype == "v128":
                value = read_v128_global(self.engine, self.store, exports[name], mutable)
            elif valtype in ("i32", "i64", "f32", "f64"):
                value = exports[name].value(self.store)
            else:
                value = f"({valtype})"
            found.append(GlobalValue(name, valtype, mutable, render_result(value, valtype)))
        return found

    def close(self) -> None:
        """Drop the instance and store now (not at interpreter exit, where wasmtime's output threads can
        panic) and remove the scratch folder."""
        self._drop_instance()
        gc.collect()
        self._scratch.remove()

    def __enter__(self) -> CallSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def open_session(path: str | Path, config: RunConfig | None = None) -> Any:
    """A CallSession for a core module, a ComponentSession for a component (ConfigError if neither)."""
    data = Path(path).read_bytes()
    try:
        kind = header_kind(data)
    except WasmFormatError as e:
        raise ConfigError(f"{Path(path).name} is not WebAssembly: {e}") from None
    if kind == "component":
        from wasi_playground.core.calls.component_session import ComponentSession

        return ComponentSession(path, config)
    return CallSession(path, config)
