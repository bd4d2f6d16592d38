"""The hook through which a run can watch or restrict a guest's imports (call tracing, capability switches).

An `Interposer` is given the guest's binary before compilation and may return another one to compile
instead (a core module with its memory turned into an import, a component nested in a generated outer
component), then defines what the replacement needs on the sandbox's linker before instantiation, and
writes what it saw into the result when the run ends.
"""

from __future__ import annotations

from typing import Protocol

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.engine.result import RunResult


class Interposer(Protocol):
    def prepare(self, data: bytes) -> bytes:
        """The binary to compile instead of `data` (called once, before compilation)."""
        ...

    def link(self, engine: wasmtime.Engine, store: wasmtime.Store,
             linker: wasmtime.Linker | wcomponent.Linker) -> None:
        """Define recording functions or wrapped imports on the linker (WASI is already defined)."""
        ...

    def finish(self, result: RunResult) -> None:
        """Flush what is still recorded and fill the result's trace fields (also after a trap or stop)."""
        ...
