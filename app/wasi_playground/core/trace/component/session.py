"""A traced (and possibly capability-restricted) run of one WASI 0.2 component: the runner's side.

The runner calls `prepare(data)` and compiles what it returns instead of the guest (the interposer with
the guest nested inside, or the guest itself when nothing can be traced), calls `link` on the component
linker after `add_wasip2()`, runs, and calls `finish`. In between, the interposer reports each WASI call
twice, before (`pre`: arguments; the answer says whether to refuse it) and after (`post`: the result).
Calls are synchronous and never re-enter, so one pending call is all the state there is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.wasi_config import normalise_guest_path
from wasi_playground.core.trace import fsdiff
from wasi_playground.core.trace.component.assemble import InterposerError, build_interposer
from wasi_playground.core.trace.component.event import ComponentTraceEvent
from wasi_playground.core.trace.component.explain import ComponentExplainer
from wasi_playground.core.trace.component.outer import RECORDER
from wasi_playground.core.trace.component.plan import Func, Plan

EXIT_INTERFACE = "wasi:cli/exit"


class ComponentTraceSession:
    def __init__(self, data: bytes, config: RunConfig,
                 on_event: Callable[[ComponentTraceEvent], None]) -> None:
        self._data = data
        self._denied = frozenset(config.denied)
        self._on_event = on_event
        self._read_only = [normalise_guest_path(p.guest) for p in config.preopens if p.read_only]
        self._has_preopens = bool(config.preopens)
        self._dirs = [(p.host, normalise_guest_path(p.guest)) for p in config.preopens]
        self._before = fsdiff.snapshot(self._dirs)
        self._plan: Plan | None = None
        self._explainer = ComponentExplainer(self._has_preopens, False, self._read_only)
        self._pending: tuple[Func, tuple[Any, ...], bool, bool] | None = None
        self._started = 0
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
        self._explainer.opens_files = any(f.name == "[method]descriptor.open-at" for f in plan.funcs)
        return wrapped

    def link(self, engine: Any, store: Any, linker: Any) -> None:
        """Define the recorder on a `wasmtime.component.Linker` that already has WASI 0.2."""
        if not self.traced or self._plan is None:
            return
        with linker.root() as root, root.add_instance(RECORDER) as recorder:
            for func in self._plan.funcs:
                if not func.untraced:
                    recorder.add_func(f"pre{func.index}", self._pre(func))
                    recorder.add_func(f"post{func.index}", self._post)

    def _pre(self, func: Func) -> Callable[..., int]:
        switched_off = func.group in self._denied and not func.interface.startswith(EXIT_INTERFACE)
        denied = switched_off and bool(func.deny)
        not_blocked = switched_off and not func.deny
        exits = func.interface.startswith(EXIT_INTERFACE)

        def pre(_store: Any, *args: Any) -> int:
            if exits:
                self._record_exit(func, args)
            self._pending = (func, args, denied, not_blocked)
            self._started = time.perf_counter_ns()
            return int(denied)

        return pre

    def _post(self, _store: Any, result: Any = None, _pad: Any = None) -> None:
        took = time.perf_counter_ns() - self._started
        pending, self._pending = self._pending, None
        if pending is None:
            return
        func, args, denied, not_blocked = pending
        self.seq += 1
        self._emit(ComponentTraceEvent(self.seq, func, args, result, took, denied, True, not_blocked))

    def _record_exit(self, func: Func, args: tuple[Any, ...]) -> None:
        if func.name == "exit-with-code" and args:
            self.exit_code = int(args[0])
        elif func.name == "exit" and args:
            self.exit_code = 1 if getattr(args[0], "tag", None) == "err" else 0
        self.seq += 1
        self._emit(ComponentTraceEvent(self.seq, func, args, None, 0, returned=False))

    def _emit(self, event: ComponentTraceEvent) -> None:
        if self._explainer.wants(event):
            self._explainer.add(event)
        try:
            self._on_event(event)
        except Exception as e:  # a broken consumer must not change the program's behaviour
            self.error = f"trace consumer failed: {e}"

    def finish(self, result: RunResult) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and not pending[0].interface.startswith(EXIT_INTERFACE):
            self.seq += 1
            self._emit(ComponentTraceEvent(self.seq, pending[0], pending[1], None, 0, pending[2],
                                           returned=False))
        if self.traced:
            result.trace_calls = self.seq
        result.explanations = self._explainer.lines()
        result.notes += [n for n in self.notes if n not in result.notes]
        if self.error:
            result.notes.append(self.error)
        if self.exit_code is not None:
            result.exit_code = self.exit_code
        if self._dirs:
            result.fs_changes = fsdiff.diff(self._before, fsdiff.snapshot(self._dirs))
