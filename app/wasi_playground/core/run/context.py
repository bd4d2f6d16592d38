"""What the module and component paths of a run need from the job that drives them (and nothing more),
so that they depend on this small protocol rather than on the job."""

from __future__ import annotations

from typing import Any, Protocol

import wasmtime

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.interpose import Interposer
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.sandbox import Sandbox
from wasi_playground.core.engine.source import Kind


class RunSink(Protocol):
    """Where a run reports as it goes. Every method is optional and is called from worker threads."""

    def on_stdout(self, data: bytes) -> None: ...
    def on_stderr(self, data: bytes) -> None: ...
    def on_trace(self, event: Any) -> None: ...
    def on_phase(self, name: str) -> None: ...


class RunContext(Protocol):
    config: RunConfig
    result: RunResult
    interposer: Interposer | None

    def phase(self, name: str) -> None:
        """Enter phase `name` ("compile", "instantiate", "run"); raises when the run must stop first."""
        ...

    def open_sandbox(self, engine: wasmtime.Engine, kind: Kind, scratch: str, name: str) -> Sandbox:
        """The run's sandbox, its output wired to the run's captures, its interrupter attached."""
        ...
