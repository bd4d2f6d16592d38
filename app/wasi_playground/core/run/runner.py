"""The one way anything runs: `start_run` (background, stoppable), `run` (blocking) and, for a caller
with threads of its own, `RunJob` (see `job`).

Nothing escapes as an exception: bad input or bad configuration becomes `result.error`, a trap
`result.trap`, `proc_exit` `exit_code`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.run.context import RunSink
from wasi_playground.core.run.job import PHASES, RunJob, RunStopped

__all__ = ["PHASES", "RunHandle", "RunJob", "RunSink", "RunStopped", "run", "start_run"]


class RunHandle:
    """A run in progress on its own thread. `cancel()` is thread-safe and stops even a tight loop
    within ~10 ms."""

    def __init__(self, job: RunJob) -> None:
        self.job = job
        self._thread = threading.Thread(target=job.execute, name="wasm-run", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.job.cancel()

    @property
    def done(self) -> bool:
        return self.job.finished.is_set()

    def wait(self, timeout: float | None = None) -> RunResult:
        """The result once the run has ended. Raises TimeoutError if it is still going after `timeout`."""
        if not self.job.finished.wait(timeout):
            raise TimeoutError("the run is still going")
        return self.job.result


def start_run(module: str | Path | bytes, config: RunConfig, sink: RunSink | None = None, *,
              spill: bool = True, stoppable: bool = True) -> RunHandle:
    """Run `module` (a path to a binary or WAT, or the bytes of a core module or component) on its own
    thread. `spill` and `stoppable` are `RunJob`'s."""
    return RunHandle(RunJob(module, config, sink, spill=spill, stoppable=stoppable))


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
