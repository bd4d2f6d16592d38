"""Tracing WASI preview-1 calls and switching capability groups off (the capability lab).

Components (WASI 0.2) are not traced at call level: wasmtime-py implements their WASI inside the host
with no place to stand between the component and it, so `COMPONENT_TRACE_NOTE` says so to the user.
"""

from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.trace.session import TraceSession

COMPONENT_TRACE_NOTE = ("WASI 0.2 components are not traced call by call: wasmtime-py runs their WASI "
                        "interfaces inside the host, with no point between the component and them where a "
                        "recorder could stand. Capability switches do not apply to components either.")

__all__ = ["COMPONENT_TRACE_NOTE", "TraceEvent", "TraceSession"]
