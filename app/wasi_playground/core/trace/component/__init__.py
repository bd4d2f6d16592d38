"""Tracing WASI 0.2 components call by call, and switching their capability groups off.

wasmtime runs a component's WASI inside the host, so the recorder stands in the component itself: a
generated outer component (the interposer) imports what the guest imports, wraps every function of every
WASI interface with a call to a recorder defined in Python, and instantiates the guest with the wrapped
instances. wasmtime's own WASI stays the sandbox; a denied call is answered by the wrapper without it.
"""

from wasi_playground.core.trace.component.event import ComponentTraceEvent
from wasi_playground.core.trace.component.session import ComponentTraceSession

__all__ = ["ComponentTraceEvent", "ComponentTraceSession"]
