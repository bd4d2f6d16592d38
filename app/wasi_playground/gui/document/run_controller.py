"""Bridges one core run to the GUI thread: output, trace events and phases flow back in capped batches.

The runner calls the sink from its worker threads (and wasmtime's own output threads); the sink only
appends to a deque. A QTimer on the GUI thread drains it every tick with a budget: at most
`DISPLAY_BYTES_PER_TICK` of each stream is shown per tick and older bytes of a flood are skipped (the full
output stays in the result's spill file). That is what keeps the window responsive during a 200 MB flood.
"""

from __future__ import annotations

import codecs
import logging
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult

log = logging.getLogger(__name__)

TICK_MS = 25
DISPLAY_BYTES_PER_TICK = 16 * 1024
TRACE_EVENTS_PER_TICK = 5000
DRAIN_BUDGET_S = 0.012


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


class RunController(QObject):
    started = Signal(object)
    """The core RunHandle."""
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handle: Any = None
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
        return self.handle is not None

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
            from wasi_playground.core.run.runner import start_run

            self.sink = QueueSink()
            self.handle = start_run(str(module), config, self.sink)  # it assembles WAT itself
        except Exception as e:  # the runner refused (bad config, missing runner): a result, not a crash
            log.info("run could not start: %s", e)
            self.handle = None
            self.finished.emit(RunResult(error=str(e) or type(e).__name__))
            return True
        self.started.emit(self.handle)
        self.phaseChanged.emit(self.phase)
        self._timer.start()
        return True

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.phase = "stopping"
            self.phaseChanged.emit(self.phase)

    def stop_and_wait(self, timeout: float = 2.0) -> RunResult | None:
        """Used when a window or document closes mid-run: cancel and let the worker end cleanly.
        Returns the stopped run's result (its spill files are the caller's to delete), if it ended."""
        handle = self.handle
        if handle is None:
            return None
        handle.cancel()
        result = None
        try:
            result = handle.wait(timeout=timeout)
        except Exception as e:  # the run's own failure does not matter while closing
            log.debug("run ended with %s while closing", e)
        self._timer.stop()
        self.handle = None
        return result

    def _drain(self) -> None:
        sink, handle = self.sink, self.handle
        if sink is None or handle is None:
            self._timer.stop()
            return
        done = bool(handle.done)
        deadline = time.perf_counter() + DRAIN_BUDGET_S
        trace: list[Any] = []
        queue = sink.queue
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
        for name, stream in self._streams.items():
            if stream.size:
                text, skipped = stream.take()
                if skipped:
                    self.skipped.emit(name, skipped)
                if text:
                    self.output.emit(name, text)
        if trace:
            self.traceEvents.emit(trace)
        ms = self._clock.elapsed()
        if ms - self._last_elapsed_emit >= 200:
            self._last_elapsed_emit = ms
            self.elapsed.emit(ms / 1000)
        if done and not queue:
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        handle, self.handle = self.handle, None
        try:
            result = handle.wait(timeout=5)
        except Exception as e:  # a runner bug must end this run, not the app
            result = RunResult(error=f"the run failed: {e}")
        if result is None:
            result = RunResult(error="the run ended without a result")
        for name, stream in self._streams.items():
            tail = stream.decoder.decode(b"", final=True)
            if tail:
                self.output.emit(name, tail)
        self.phase = "finished"
        self.elapsed.emit(self._clock.elapsed() / 1000)
        self.finished.emit(result)
