"""The one way anything runs: `start_run` (background, stoppable) and `run` (blocking).

A run is a job on its own thread that goes through the phases read, compile, instantiate, run, done,
reporting each to the optional sink, streaming output as the guest writes it, and ending in a `RunResult`
that says everything a curious person wants to know. Nothing escapes as an exception: bad input or bad
configuration becomes `result.error`, a trap becomes `result.trap`, `proc_exit` becomes `exit_code`.
"""

from __future__ import annotations

import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol

import wasmtime

from wasi_playground.core.binary.reader import WasmFormatError, header_kind
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import get_engine, load_module
from wasi_playground.core.engine.interrupts import Interrupter
from wasi_playground.core.engine.invoke_args import parse_args, results_list
from wasi_playground.core.engine.limits import (
    add_probe_exports,
    describe_limits,
    new_store,
    probe_sizes,
    uses_table_grow,
)
from wasi_playground.core.engine.output import FifoTap, OutputCapture
from wasi_playground.core.engine.result import RunResult, TrapInfo
from wasi_playground.core.engine.traps import trap_info
from wasi_playground.core.engine.wasi_config import make_wasi_config, validate_config

PHASES = ("read", "compile", "instantiate", "run", "done")


class RunSink(Protocol):
    """Where a run reports as it goes. Every method is optional and is called from worker threads."""

    def on_stdout(self, data: bytes) -> None: ...
    def on_stderr(self, data: bytes) -> None: ...
    def on_trace(self, event: Any) -> None: ...
    def on_phase(self, name: str) -> None: ...


class RunStopped(Exception):
    """Raised between phases when the run was cancelled or timed out before its code started."""


class RunHandle:
    """A run in progress. `cancel()` is thread-safe and stops even a tight loop within ~10 ms."""

    def __init__(self, job: _RunJob) -> None:
        self._job = job
        self._thread = threading.Thread(target=job.execute, name="wasm-run", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._job.interrupter.cancel()

    @property
    def done(self) -> bool:
        return self._job.finished.is_set()

    def wait(self, timeout: float | None = None) -> RunResult:
        """The result once the run has ended. Raises TimeoutError if it is still going after `timeout`."""
        if not self._job.finished.wait(timeout):
            raise TimeoutError("the run is still going")
        return self._job.result


def start_run(module: str | Path | bytes, config: RunConfig, sink: RunSink | None = None, *,
              spill: bool = True, stoppable: bool = True) -> RunHandle:
    """Run `module` (a path or the bytes of a core module or component) on its own thread.

    With `spill=False` output beyond the in-memory tail is not written to a temporary file: for callers
    that already stream it somewhere (the CLI writing to a terminal or pipe). With `stoppable=False` and
    no timeout, the code runs without epoch checks (faster on tight loops) and `cancel()` only takes
    effect between phases: for a caller that ends its whole process to stop a run."""
    return RunHandle(_RunJob(module, config, sink, spill, stoppable))


def run(module: str | Path | bytes, config: RunConfig, sink: RunSink | None = None, *,
        spill: bool = True, stoppable: bool = True) -> RunResult:
    """Run and wait. Ctrl-C while waiting stops the module and still returns its result (when
    `stoppable`; otherwise KeyboardInterrupt propagates)."""
    handle = start_run(module, config, sink, spill=spill, stoppable=stoppable)
    try:
        return handle.wait()
    except KeyboardInterrupt:
        handle.cancel()
        if not stoppable:
            raise
        return handle.wait()


def _sink_method(sink: object, name: str):
    return getattr(sink, name, None) if sink is not None else None


class _RunJob:
    def __init__(self, module: str | Path | bytes, config: RunConfig, sink: RunSink | None,
                 spill: bool = True, stoppable: bool = True) -> None:
        self.interruptible = stoppable or config.limits.timeout_s is not None
        self.module = module
        self.config = config
        self.sink = sink
        self.interrupter = Interrupter(config.limits.timeout_s)
        self.finished = threading.Event()
        self.result = RunResult()
        self.stdout = OutputCapture("stdout", _sink_method(sink, "on_stdout"), spill=spill)
        self.stderr = OutputCapture("stderr", _sink_method(sink, "on_stderr"), spill=spill)
        self._taps: list[FifoTap] = []
        self._phase_started = 0.0
        self._current_phase: str | None = None

    def phase(self, name: str) -> None:
        now = time.perf_counter()
        if self._current_phase is not None:
            self.result.timings_ms[self._current_phase] = round((now - self._phase_started) * 1000, 3)
        self._current_phase = None if name == "done" else name
        self._phase_started = now
        notify = _sink_method(self.sink, "on_phase")
        if notify is not None:
            try:
                notify(name)
            except Exception:
                pass
        if name not in ("read", "done") and self.interrupter.check_deadline():
            raise RunStopped()

    def execute(self) -> None:
        started = time.perf_counter()
        try:
            self._execute()
        except RunStopped:
            self._mark_stopped(None)
        except ConfigError as e:
            self.result.error = str(e)
        except Exception as e:  # last line of defence: a result, never a traceback in the caller
            self.result.error = f"internal error while running: {type(e).__name__}: {e}"
        finally:
            self.interrupter.detach()
            self.phase("done")
            self._finish_outputs()
            for key in ("read", "compile", "instantiate", "run"):
                self.result.timings_ms.setdefault(key, 0.0)
            self.result.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 3)
            self.finished.set()

    def make_wasi(self, scratch: str, name: str) -> wasmtime.WasiConfig:
        """The run's WasiConfig, its output going through FIFOs where the platform has them (fast), else
        through wasmtime's per-chunk callbacks."""
        if FifoTap.supported():
            try:
                self._taps = [FifoTap(scratch, self.stdout), FifoTap(scratch, self.stderr)]
            except OSError:
                self._taps = []
        paths = [tap.path for tap in self._taps] or [None, None]
        wasi = make_wasi_config(self.config, self.stdout.write, self.stderr.write, scratch, name,
                                stdout_file=paths[0], stderr_file=paths[1])
        for tap in self._taps:
            tap.start()
        return wasi

    def _finish_outputs(self) -> None:
        for tap in self._taps:
            tap.finish()
        for capture, prefix in ((self.stdout, "stdout"), (self.stderr, "stderr")):
            capture.close()
            setattr(self.result, prefix, capture.text())
            setattr(self.result, f"{prefix}_bytes", capture.total_bytes)
            setattr(self.result, f"{prefix}_truncated", capture.truncated)
            setattr(self.result, f"{prefix}_file", capture.spill_path)

    def _mark_stopped(self, error: BaseException | None, shift: tuple[int, int] = (0, 0)) -> None:
        reason = self.interrupter.stop_reason
        self.result.cancelled = reason == "cancelled"
        self.result.timed_out = reason == "timeout"
        if reason == "timeout":
            message = f"timed out after {self.config.limits.timeout_s:g} s"
        else:
            message = "stopped by user"
        self.result.trap = trap_info(error, *shift) if error is not None else TrapInfo(message=message)
        self.result.trap.message = message
        self.result.trap.code = "interrupt"

    def _read(self) -> tuple[bytes, str]:
        if isinstance(self.module, bytes | bytearray | memoryview):
            return bytes(self.module), "module.wasm"
        path = Path(self.module)
        try:
            if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
                raise ConfigError(f"{path} is not a regular file (a pipe or a device): refusing to read it")
            return path.read_bytes(), path.name
        except FileNotFoundError:
            raise ConfigError(f"module not found: {path}") from None
        except IsADirectoryError:
            raise ConfigError(f"{path} is a directory, not a module") from None
        except OSError as e:
            raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None

    def _execute(self) -> None:
        self.phase("read")
        data, name = self._read()
        try:
            kind = header_kind(data)
        except WasmFormatError as e:
            raise ConfigError(f"{name} is not a WebAssembly module: {e}") from None
        validate_config(self.config)
        engine = get_engine(fuel=self.config.limits.fuel is not None, interruptible=self.interruptible)
        if kind == "component":
            from wasi_playground.core.run.component_run import run_component

            run_component(self, engine, data, name)
        else:
            self._run_core(engine, data, name)

    def _run_core(self, engine: wasmtime.Engine, data: bytes, name: str) -> None:
        config, result = self.config, self.result
        session = None
        if config.trace or config.denied:
            session = self._trace_session(data)
            data = session.user_module_bytes
        self.phase("compile")
        probed = add_probe_exports(data)
        shift = (probed.offset_shift, probed.shift_after)
        try:
            module, result.cache_hit = load_module(engine, probed.data, result.notes)
        except wasmtime.WasmtimeError as e:
            raise ConfigError(f"{name} does not compile: {_first_line(e)}") from None
        entry, call_args, call_types = self._entry(module, probed.data)
        if probed.memory_exported_for_wasi and any(i.module.startswith("wasi") for i in module.imports):
            result.notes.append("the module does not export its memory; the playground exported it as "
                                "\"memory\" so WASI calls work (wasmtime run would refuse it)")
        with tempfile.TemporaryDirectory(prefix="wasi-playground-run-") as scratch:
            store = new_store(engine, config.limits)
            wasi = self.make_wasi(scratch, name)
            store.set_wasi(wasi)
            linker = wasmtime.Linker(engine)
            linker.define_wasi()
            if session is not None:
                session.link(engine, store, linker)
            if self.interruptible:
                self.interrupter.attach(engine, store)
            instance = None
            try:
                self.phase("instantiate")
                try:
                    instance = linker.instantiate(store, module)
                except wasmtime.ExitTrap as e:
                    e.__traceback__ = None  # see _record_error
                    result.exit_code = e.code
                    return
                except wasmtime.Trap as e:
                    self._record_error(e, shift)
                    return
                except wasmtime.WasmtimeError as e:
                    if self.interrupter.stop_reason:
                        self._mark_stopped(e, shift)
                        return
                    raise ConfigError(f"{name} cannot be instantiated: {_first_line(e)}") from None
                func = instance.exports(store)[entry]
                self.phase("run")
                try:
                    if config.invoke:
                        from wasi_playground.core.engine.v128 import call_via_adapter

                        params, results = call_types
                        values = call_via_adapter(engine, store, func, params, results, call_args)
                        result.results = results_list(values, results)
                    else:
                        func(store)
                    result.exit_code = 0
                except wasmtime.ExitTrap as e:
                    e.__traceback__ = None  # see _record_error
                    result.exit_code = e.code
                except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                    self._record_error(e, shift)
            finally:
                self._after_core(store, instance, probed.data, engine)
                if session is not None:
                    session.finish(result)
                del instance, linker, wasi, store

    def _record_error(self, error: BaseException, shift: tuple[int, int]) -> None:
        # wasmtime-py keeps the exception in a local of the frame that raised it: a reference cycle
        # (exception -> traceback -> frame -> exception) that would keep the store, and so the output
        # pipes, alive until the next garbage collection. Cut it.
        error.__traceback__ = None
        if self.interrupter.stop_reason:
            self._mark_stopped(error, shift)
            return
        self.result.trap = trap_info(error, *shift)
        if self.result.trap.code == "out_of_fuel":
            self.result.limit_message = f"fuel exhausted: the budget of {self.config.limits.fuel:,} ran out"

    def _after_core(self, store: wasmtime.Store, instance: wasmtime.Instance | None, data: bytes,
                    engine: wasmtime.Engine) -> None:
        result, limits = self.result, self.config.limits
        if limits.fuel is not None:
            try:
                result.fuel_consumed = limits.fuel - store.get_fuel()
            except wasmtime.WasmtimeError:
                result.fuel_consumed = None
            if result.trap is not None and result.trap.code != "out_of_fuel":
                result.notes.append("fuel consumed may under-report after a trap (a known wasmtime limitation)")
        if instance is not None:
            memory_bytes, table_elements = probe_sizes(store, instance)
            result.memory_bytes = memory_bytes
            if result.limit_message is None:
                result.limit_message = describe_limits(
                    limits,
                    memory_bytes,
                    table_elements,
                    limits.max_table_elements is not None and uses_table_grow(data),
                )

    def _entry(
        self, module: wasmtime.Module, data: bytes
    ) -> tuple[str, list[object], tuple[list[str], list[str]]]:
        exports = {e.name: e.type for e in module.exports}
        name = self.config.invoke
        if name is None:
            if self.config.invoke_args:
                raise ConfigError("typed arguments need --invoke NAME (they are for an exported function)")
            if "_start" not in exports:
                funcs = sorted(n for n, t in exports.items() if isinstance(t, wasmtime.FuncType))
                hint = f"; exported functions: {', '.join(funcs[:10])}" if funcs else ""
                raise ConfigError(f"the module has no _start (it is not a command); use --invoke NAME{hint}")
            return "_start", [], ([], [])
        functype = exports.get(name)
        if functype is None:
            funcs = sorted(n for n, t in exports.items() if isinstance(t, wasmtime.FuncType))
            raise ConfigError(
                f"the module exports no function named {name!r}"
                + (f"; it exports: {', '.join(funcs[:10])}" if funcs else "")
            )
        if not isinstance(functype, wasmtime.FuncType):
            raise ConfigError(f"export {name!r} is not a function")
        params, results = _export_func_types(data, name)
        return name, parse_args(params, results, name, self.config.invoke_args), (params, results)

    def _trace_session(self, data: bytes):
        try:
            from wasi_playground.core.trace import TraceSession
        except ImportError:
            raise ConfigError(
                "tracing and capability switches are not available in this build "
                "(wasi_playground.core.trace is missing)"
            ) from None
        on_trace = _sink_method(self.sink, "on_trace")

        def on_event(event: Any) -> None:
            if on_trace is not None:
                on_trace(event)

        return TraceSession(data, self.config, on_event)


def _export_func_types(data: bytes, name: str) -> tuple[list[str], list[str]]:
    """Parameter and result type names of an exported function, read from the binary."""
    from wasi_playground.core.binary.module_info import parse_module

    try:
        info = parse_module(data)
    except WasmFormatError as e:
        raise ConfigError(f"cannot read the type of {name!r}: {e}") from None
    export = next((e for e in info.exports if e.name == name and e.kind == "func"), None)
    functype = info.func_type_of(export.index) if export is not None else None
    if functype is None:
        raise ConfigError(f"cannot read the type of {name!r} from the module")
    return list(functype.params), list(functype.results)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
