"""Bridges one core run to the GUI thread: output, trace events and phases flow back in capped batches.

The run job executes on the window's `Background` like any other work, and its `RunResult` comes back the
same way. While it runs, the job calls the sink from its worker threads (and wasmtime's own output threads);
the sink only appends to a deque. A QTimer on the GUI thread paces the output: it drains the deque every
tick with a budget, at most `DISPLAY_BYTES_PER_TICK` of each stream per tick, older bytes of a flood
skipped (the full output stays in the result's spill file). That keeps the window responsive during a
200 MB flood. The run is finished once its result has arrived and the deque is empty.
"""

from __future__ import annotations

import codecs
import logging
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.run.runner import RunJob
from wasi_playground.gui.background import Background

log = logging.getLogger(__name__)

TICK_MS = 25
DISPLAY_BYTES_PER_TICK = 16 * 1024
TRACE_EVENTS_PER_TICK = 5000
DRAIN_BUDGET_S = 0.005
RUN_THREAD_NAME = "wasm-run"


class QueueSink:
    """A RunSink (structurally: the runner's RunSink is a Protocol) whose methods are safe on any thread:
    they only append to a deque."""

    def __init__(self) -> None:
        self.queue: deque[tuple[str, Any]] = deque()

    def on_stdout(self, data: bytes) -> None:
        self.queue.append(("stdout", data))

    def on_stderr(self, data: bytes) -> None:
        self.queue.append(("stderr", data))

    def on_trace(self, event: Any) -> None:
        self.queue.append(("trace", event))

    def on_phase(self, name: str) -> None:
        self.queue.append(("phase", name))


class _Stream:
    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.skipped = 0

    def push(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        while self.size - len(self.chunks[0]) >= DISPLAY_BYTES_PER_TICK and len(self.chunks) > 1:
            dropped = self.chunks.popleft()
            self.size -= len(dropped)
            self.skipped += len(dropped)

    def take(self) -> tuple[str, int]:
        data = b"".join(self.chunks)
        if len(data) > DISPLAY_BYTES_PER_TICK:
            self.skipped += len(data) - DISPLAY_BYTES_PER_TICK
            data = data[-DISPLAY_BYTES_PER_TICK:]
        skipped, self.skipped = self.skipped, 0
        if skipped:
            self.decoder.reset()
        self.chunks.clear()
        self.size = 0
        return self.decoder.decode(data), skipped


def make_run_job(module: str | Path, config: RunConfig, sink: QueueSink) -> RunJob:
    """The one place a run job is built (the runner assembles WAT itself)."""
    return RunJob(str(module), config, sink)


class _Execution:
    """One run on a worker: its result is also kept here, so a document closing mid-run can wait for it
    (and delete its spill files) although the result's delivery is dropped."""

    def __init__(self, job: RunJob) -> None:
        self.job = job
        self.ended = threading.Event()
        self.result: RunResult | None = None

    def __call__(self) -> RunResult:
        worker = threading.current_thread()
        pool_name, worker.name = worker.name, RUN_THREAD_NAME  # thread dumps show which worker runs a module
        try:
            self.result = self.job.execute()
            return self.result
        finally:
            worker.name = pool_name
            self.ended.set()


class RunController(QObject):
    started = Signal(object)
    """The run job (it has `cancel()`)."""
    phaseChanged = Signal(str)
    output = Signal(str, str)
    """(stream, text) — stream is "stdout" or "stderr"."""
    skipped = Signal(str, int)
    """(stream, bytes) not shown because of a flood."""
    traceEvents = Signal(list)
    elapsed = Signal(float)
    """Seconds since the run started, a few times per second."""
    finished = Signal(object)
    """The RunResult."""

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.execution: _Execution | None = None
        self.result: RunResult | None = None
        self.sink: QueueSink | None = None
        self.phase = ""
        self.started_at = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._drain)
        self._streams = {"stdout": _Stream(), "stderr": _Stream()}
        self._last_elapsed_emit = 0

    @property
    def running(self) -> bool:
        return self.execution is not None

    def elapsed_s(self) -> float:
        """Seconds since the current (or last) run started."""
        return self._clock.elapsed() / 1000 if self._clock.isValid() else 0.0

    def start(self, module: str | Path, config: RunConfig) -> bool:
        """Start a run; False when one is already running. Failures to start arrive as a finished result."""
        if self.running:
            return False
        self.phase = "starting"
        self.started_at = time.time()
        self._clock.start()
        self._streams = {"stdout": _Stream(), "stderr": _Stream()}
        try:
            self.sink = QueueSink()
            execution = _Execution(make_run_job(module, config, self.sink))
        except Exception as e:  # the runner refused (bad config, missing runner): a result, not a crash
            log.info("run could not start: %s", e)
            self.finished.emit(RunResult(error=str(e) or type(e).__name__))
            return True
        self.execution, self.result = execution, None
        self.background.run(self, execution, self._on_result, self._on_failure)
        self.started.emit(execution.job)
        self.phaseChanged.emit(self.phase)
        self._timer.start()
        return True

    def stop(self) -> None:
        if self.execution is not None:
            self.execution.job.cancel()
            self.phase = "stopping"
            self.phaseChanged.emit(self.phase)

    def stop_and_wait(self, timeout: float = 2.0) -> RunResult | None:
        """Used when a window or document closes mid-run: cancel, let the worker end cleanly, and drop the
        result's delivery. Returns the stopped run's result (its spill files are the caller's to delete)."""
        execution = self.execution
        self.background.forget(self)
        self._timer.stop()
        if execution is None:
            return None
        execution.job.cancel()
        if not execution.ended.wait(timeout):
            log.warning("the run did not stop within %.1f s of closing", timeout)
        self.execution = None
        return execution.result

    def _on_result(self, result: RunResult) -> None:
        self.result = result

    def _on_failure(self, error: BaseException) -> None:  # a runner bug must end this run, not the app
        self.result = RunResult(error=f"the run failed: {error}")

    def _drain(self) -> None:
        sink = self.sink
        if sink is None or self.execution is None:
            self._timer.stop()
            return
        done = self.result is not None
        trace = self._take_queued(sink.queue)
        self._show_streams()
        if trace:
            self.traceEvents.emit(trace)
        ms = self._clock.elapsed()
        if ms - self._last_elapsed_emit >= 200:
            self._last_elapsed_emit = ms
            self.elapsed.emit(ms / 1000)
        if done and not sink.queue:
            self._finish()

    def _take_queued(self, queue: deque[tuple[str, Any]]) -> list[Any]:
        """Move what the run queued into the streams (and phases), within this tick's budget; returns the
        trace events taken."""
        deadline = time.perf_counter() + DRAIN_BUDGET_S
        trace: list[Any] = []
        n = 0
        while queue:
            kind, payload = queue.popleft()
            if kind == "trace":
                trace.append(payload)
                if len(trace) >= TRACE_EVENTS_PER_TICK:
                    break
            elif kind == "phase":
                self.phase = str(payload)
                self.phaseChanged.emit(self.phase)
            else:
                self._streams[kind].push(payload)
            n += 1
            if n % 256 == 0 and time.perf_counter() > deadline:
                break
        return trace

    def _show_streams(self) -> None:
        for name, stream in self._streams.items():
            if stream.size:
                text, skipped = stream.take()
                if skipped:
                    self.skipped.emit(name, skipped)
                if text:
                    self.output.emit(name, text)

    def _finish(self) -> None:
        self._timer.stop()
        result = self.result or RunResult(error="the run ended without a result")
        self.execution, self.result = None, None
        for name, stream in self._streams.items():
            tail = stream.decoder.decode(b"", final=True)
            if tail:
                self.output.emit(name, tail)
        self.phase = "finished"
        self.elapsed.emit(self._clock.elapsed() / 1000)
        self.finished.emit(result)
