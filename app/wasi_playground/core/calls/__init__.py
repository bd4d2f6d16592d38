"""Calling exported functions by hand on a live instance: `open_session(path, config)` gives a
`CallSession` (core modules, `module_session`) or a `ComponentSession` (`component_session`), both with
`functions()`, `call(name, args, fresh=False) -> CallOutcome`, `reset()`, `cancel()` and `close()`."""

from wasi_playground.core.calls.component_session import ComponentSession
from wasi_playground.core.calls.module_session import CallSession, open_session
from wasi_playground.core.calls.outcome import CallOutcome, ExportedFunction, GlobalValue

__all__ = [
    "CallOutcome", "CallSession", "ComponentSession", "ExportedFunction", "GlobalValue", "open_session",
]
