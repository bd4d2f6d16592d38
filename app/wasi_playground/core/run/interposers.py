"""Which interposer (call tracing, capability switches) a run gets, chosen in one place per kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.interpose import Interposer
from wasi_playground.core.engine.source import Kind
from wasi_playground.core.trace import ComponentTraceSession, TraceSession


def interposer_for(kind: Kind, config: RunConfig, on_event: Callable[[Any], None]) -> Interposer | None:
    """The interposer for a run of `kind` with `config`, or None when nothing is traced or denied."""
    if not (config.trace or config.denied):
        return None
    if kind == "module":
        return TraceSession(config, on_event)
    return ComponentTraceSession(config, on_event)
