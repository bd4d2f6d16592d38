"""Tracing WASI calls and switching capability groups off (the capability lab).

Core modules (preview 1): `TraceSession` rewrites the module to stand a recording wrapper between it
and wasmtime's WASI. Components (WASI 0.2): `ComponentTraceSession` nests the component in a generated
interposer component that records every call of every WASI interface it imports (see `component`).
Both are the engine room's `Interposer`; their events share attribute names and JSON keys.
"""

from wasi_playground.core.trace.component import ComponentTraceEvent, ComponentTraceSession
from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.trace.session import TraceSession

__all__ = ["ComponentTraceEvent", "ComponentTraceSession", "TraceEvent", "TraceSession"]
