"""A traced (and possibly capability-restricted) run of one WASI 0.2 component: the runner's side.

The runner calls `prepare(data)` and compiles what it returns instead of the guest (the interposer with
the guest nested inside, or the guest itself when nothing can be traced), calls `link` on the component
linker after `add_wasip2()`, runs, and calls `finish`. In between, the interposer asks once which
functions to refuse (`config`) and hands over its ring of records in batches (`flush`), which are
turned into events on the run's thread and passed on.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.wasi_config import normalise_guest_path
from wasi_playground.core.trace import fsdiff
from wasi_playground.core.trace.component import corewrap
from wasi_playground.core.trace.component.assemble import InterposerError, build_interposer
from wasi_playground.core.trace.component.canon import Window
from wasi_playground.core.trace.component.event import ComponentTraceEvent
from wasi_playground.core.trace.component.explain import ComponentExplainer
from wasi_playground.core.trace.component.outer import RECORDER
from wasi_playground.core.trace.component.plan import Func, Plan

EXIT_INTERFACE = "wasi:cli/exit"
HEADER = struct.Struct("<IIqq")
DETACH_BYTES_PER_CALL = 1024
"""A batch whose memory copy holds more than this per call is not kept alive by its events (they keep
previews: see `event.detach`), so tracing a program that moves a gigabyte does not keep a gigabyte."""
HANDLES_NOTE = ("handle numbers in the trace (descriptor#2) are slots in the interposer's own table: a "
                "borrowed handle gets a fresh slot for each call, so the same number can name different "
                "handles over time")
FUEL_NOTE = "fuel consumed includes the trace interposer's own instructions (a few dozen per WASI call)"
INVOKE_NOTE = ("calls made by an export other than wasi:cli/run reach the trace when a batch fills, before a "
               "blocking call or at exit; those of its last batch are missing")
LOST_NOTE = ("the run ended in a trap or was stopped: the WASI calls of its last unfinished batch (at most "
             "about 2,000) are not in the trace")


class ComponentTraceSession:
    def __init__(self, config: RunConfig, on_event: Callable[[ComponentTraceEvent], None]) -> None:
        self._denied = frozenset(config.denied)
        self._invoke = config.invoke is not None
        self._fuel_limited = config.limits.fuel is not None
        self._on_event = on_event
        read_only = [normalise_guest_path(p.guest) for p in config.preopens if p.read_only]
        self._dirs = [(p.host, normalise_guest_path(p.guest)) for p in config.preopens]
        self._before = fsdiff.snapshot(self._dirs)
        self._plan: Plan | None = None
        self._explainer = ComponentExplainer(bool(config.preopens), False, read_only)
        self._funcs: list[Func] = []
        self._layout: list[tuple[Func, int, bool, bool, bool, bool]] = []
        """Per function number: the function, its record size, whether it exits, whether it is not
        blocked although switched off, whether the explainer reads every call, whether it can fail."""
        self.seq = 0
        self.exit_code: int | None = None
        self.notes: list[str] = []
        self.error: str | None = None

    @property
    def traced(self) -> bool:
        return self._plan is not None and not self._plan.untraced and bool(self._plan.funcs)

    def prepare(self, data: bytes) -> bytes:
        """What to compile instead of `data`: the interposer, or `data` itself with a note saying why."""
        try:
            wrapped, plan = build_interposer(data)
        except InterposerError as e:
            self.notes.append(f"this component runs untraced: {e}")
            return data
        self._plan = plan
        self.notes += plan.notes()
        if wrapped is None:
            if not plan.untraced:
                self.notes.append("this component imports no WASI function, so there is nothing to trace")
            return data
        self._funcs = plan.funcs
        self.notes.append(HANDLES_NOTE)
        if self._fuel_limited:
            self.notes.append(FUEL_NOTE)
        if self._invoke:
            self.notes.append(INVOKE_NOTE)
        self._explainer.opens_files = any(f.name == "[method]descriptor.open-at" for f in self._funcs)
        return wrapped

    def _switched_off(self, func: Func) -> bool:
        return func.group in self._denied and not func.interface.startswith(EXIT_INTERFACE)

    def link(self, engine: Any, store: Any, linker: Any) -> None:
        """Define the recorder on a `wasmtime.component.Linker` that already has WASI 0.2."""
        if not self.traced:
            return
        deny = "".join(chr(int(self._switched_off(f) and bool(f.deny))) for f in self._funcs)
        self._layout = [(f, corewrap.record_size(f), f.interface.startswith(EXIT_INTERFACE),
                         self._switched_off(f) and not f.deny, self._explainer.reads_all(f), f.fallible)
                        for f in self._funcs]
        with linker.root() as root, root.add_instance(RECORDER) as recorder:
            recorder.add_func("config", lambda _store: deny)
            recorder.add_func("flush", self._flush)

    def _flush(self, _store: Any, records_text: str, memory_text: str, start: int) -> None:
        records = records_text.encode("latin-1")
        memory = Window(memory_text.encode("latin-1"), start)
        detach = len(memory.data) > DETACH_BYTES_PER_CALL * max(1, len(records) // corewrap.RECORD_HEADER)
        at, end, layout, unpack = 0, len(records), self._layout, HEADER.unpack_from
        on_event, seq, event_class = self._on_event, self.seq, ComponentTraceEvent
        while at < end:
            index, flags, started, ended = unpack(records, at)
            func, size, exits, not_blocked, explain, fallible = layout[index]
            seq += 1
            event = event_class(seq, func, records, at, memory, ended - started, flags & 1 == 1,
                                flags & 2 == 0, not_blocked)
            at += size
            if detach:
                event.detach()
            if exits:
                self._record_exit(event)
            if flags or explain or not_blocked or (fallible and event.failed):
                self._explainer.add(event)
            try:
                on_event(event)
            except Exception as e:  # a broken consumer must not change the program's behaviour
                self.error = f"trace consumer failed: {e}"
        self.seq = seq

    def _record_exit(self, event: ComponentTraceEvent) -> None:
        values = event.values
        if event.call.name == "exit-with-code" and values:
            self.exit_code = int(values[0])
        elif event.call.name == "exit" and values:
            self.exit_code = 1 if getattr(values[0], "tag", None) == "err" else 0

    def finish(self, result: RunResult) -> None:
        if self.traced:
            result.trace_calls = self.seq
            if result.trap is not None or result.cancelled or result.timed_out:
                result.notes.append(LOST_NOTE)
        result.explanations = self._explainer.lines()
        result.notes += [n for n in self.notes if n not in result.notes]
        if self.error:
            result.notes.append(self.error)
        if self.exit_code is not None:
            result.exit_code = self.exit_code
        if self._dirs:
            result.fs_changes = fsdiff.diff(self._before, fsdiff.snapshot(self._dirs))
