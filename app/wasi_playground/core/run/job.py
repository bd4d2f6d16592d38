"""A run as a job object: `RunJob(module, config, sink).execute()` runs it on the calling thread, and
`cancel()` (any thread) stops it. `runner.start_run` gives a job a thread of its own; the window runs
jobs on its own background pool.

A job goes through the phases read, compile, instantiate, run, done, reporting each to the sink,
streaming output as the guest writes it, and ends in a `RunResult`. Nothing escapes as an exception:
bad input or configuration becomes `result.error`, a trap `result.trap`, `proc_exit` `exit_code`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import wasmtime

from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import get_engine
from wasi_playground.core.engine.interpose import Interposer
from wasi_playground.core.engine.outcome import mark_stopped
from wasi_playground.core.engine.output import FifoTap, OutputCapture
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.sandbox import Outputs, Sandbox
from wasi_playground.core.engine.source import Kind, read_source
from wasi_playground.core.engine.wasi_config import validate_config
from wasi_playground.core.run.component_run import run_component
from wasi_playground.core.run.context import RunSink
from wasi_playground.core.run.interposers import interposer_for
from wasi_playground.core.run.module_run import run_module

PHASES = ("read", "compile", "instantiate", "run", "done")
TIMED_PHASES = ("read", "compile", "instantiate", "run")


class RunStopped(Exception):
    """Raised between phases when the run was cancelled or timed out before its code started."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _sink_method(sink: object, name: str) -> Any:
    return getattr(sink, name, None) if sink is not None else None


def _ignore(_event: Any) -> None:
    return None


class RunJob:
    """One run of a module or command component. `execute()` once; `cancel()` any time, from any thread.

    With `spill=False` output beyond the in-memory tail is not written to a temporary file (for a caller
    that streams it elsewhere). With `stoppable=False` and no timeout the code runs without epoch checks
    (faster on tight loops) and `cancel()` only takes effect between phases."""

    def __init__(self, module: str | Path | bytes, config: RunConfig, sink: RunSink | None = None, *,
                 spill: bool = True, stoppable: bool = True) -> None:
        self.module = module
        self.config = config
        self.sink = sink
        self.interruptible = stoppable or config.limits.timeout_s is not None
        self._cancelled = False
        self._sandbox: Sandbox | None = None
        self.finished = threading.Event()
        self.result = RunResult()
        self.interposer: Interposer | None = None
        self.stdout = OutputCapture("stdout", _sink_method(sink, "on_stdout"), spill=spill)
        self.stderr = OutputCapture("stderr", _sink_method(sink, "on_stderr"), spill=spill)
        self._taps: list[FifoTap] = []
        self._phase_started = 0.0
        self._current_phase: str | None = None

    def cancel(self) -> None:
        """Stop the run (thread-safe): running code within ~10 ms, otherwise before its next phase."""
        self._cancelled = True
        sandbox = self._sandbox
        if sandbox is not None:
            sandbox.cancel()

    def execute(self) -> RunResult:
        """Run to the end on this thread and return the result (also kept as `self.result`)."""
        started = time.perf_counter()
        try:
            self._execute()
        except RunStopped as stop:
            mark_stopped(self.result, stop.reason, self.config.limits)
        except ConfigError as e:
            self.result.error = str(e)
        except Exception as e:  # last line of defence: a result, never a traceback in the caller
            self.result.error = f"internal error while running: {type(e).__name__}: {e}"
        finally:
            self._sandbox = None
            self.phase("done")
            self._finish_outputs()
            for key in TIMED_PHASES:
                self.result.timings_ms.setdefault(key, 0.0)
            self.result.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 3)
            self.finished.set()
        return self.result

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
        if name not in ("read", "done"):
            reason = self._sandbox.check_stop() if self._sandbox is not None else None
            if reason is not None or self._cancelled:
                raise RunStopped(reason or "cancelled")

    def open_sandbox(self, engine: wasmtime.Engine, kind: Kind, scratch: str, name: str) -> Sandbox:
        """The run's sandbox, its output going through FIFOs where the platform has them (fast), else
        through wasmtime's per-chunk callbacks."""
        if FifoTap.supported():
            try:
                self._taps = [FifoTap(scratch, self.stdout), FifoTap(scratch, self.stderr)]
            except OSError:
                self._taps = []
        files: list[str | None] = [tap.path for tap in self._taps] or [None, None]
        outputs = Outputs(self.stdout.write, self.stderr.write, stdout_file=files[0], stderr_file=files[1])
        sandbox = Sandbox(engine, self.config, kind, outputs, scratch, name, interruptible=self.interruptible)
        for tap in self._taps:
            tap.start()
        self._sandbox = sandbox
        if self._cancelled:
            sandbox.cancel()
        return sandbox

    def _execute(self) -> None:
        self.phase("read")
        source = read_source(self.module)
        validate_config(self.config)
        engine = get_engine(fuel=self.config.limits.fuel is not None, interruptible=self.interruptible)
        on_trace = _sink_method(self.sink, "on_trace") or _ignore  # looked up once: called per WASI call
        self.interposer = interposer_for(source.kind, self.config, on_trace)
        if source.kind == "component":
            run_component(self, engine, source)
        else:
            run_module(self, engine, source)

    def _finish_outputs(self) -> None:
        for tap in self._taps:
            tap.finish()
        for capture, prefix in ((self.stdout, "stdout"), (self.stderr, "stderr")):
            capture.close()
            setattr(self.result, prefix, capture.text())
            setattr(self.result, f"{prefix}_bytes", capture.total_bytes)
            setattr(self.result, f"{prefix}_truncated", capture.truncated)
            setattr(self.result, f"{prefix}_file", capture.spill_path)
