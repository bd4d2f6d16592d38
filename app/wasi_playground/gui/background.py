"""The one way GUI code works in the background: a `Background` the window creates and hands to documents
and panels (`context.background`). There is no global instance.

- `run(owner, fn, on_done, on_error=None, key=None)` runs `fn` on the worker pool and calls `on_done(result)`
  (or `on_error(exc)`) on the GUI thread. A newer task with the same key makes the older one stale.
- `in_order(owner, fn, on_error=None)` runs `fn` on the serial lane: one thread, submission order (settings
  writes: two writes of one file never race, and the GUI never waits for a disk).
- `post(owner, fn)` may be called from any thread; `fn()` runs on the GUI thread (server log lines).
- `soon(owner, fn)` runs `fn()` on the GUI thread in a later turn of the event loop (building a view part
  by part, handing a report to each panel).
- `forget(owner)` (a closed panel or document) and a deleted owner are the same to every result: dropped.
- `wait_idle()` waits for both lanes (tests), `wait_in_order()` for the serial lane (closing the window).

Everything that comes back to the GUI thread — results, posts and `soon` calls — waits in one queue, and
each turn of the event loop takes calls from it only until TURN_BUDGET_S is spent: between two turns the
window paints, takes input and fires its timers, so no burst of results makes it stall.

Every reference a task holds — its callbacks, `fn`, its result and the job itself — is released on the GUI
thread: callbacks never leave it, the worker parks `fn` and the result in an outbox before it signals, and
the pool does not delete finished jobs (the Background drops each when it hands its result over).
Otherwise a worker could drop the last reference to a closed panel, and a widget destroyed off the GUI
thread crashes the process.
Call everything but `post` from the GUI thread.

Workers give way to the window (`core.yielding`): a turn of the queue and a paint or layout of the
Background's window mark it busy, its event loop going to sleep marks it resting, and long Python loops
on workers pause in between.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QEvent,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from wasi_playground.core.yielding import window_busy, window_waiting

RUN_ROOM = 4
WORKER_NICENESS = 5
"""Workers (and the compiler threads wasmtime starts from them) yield the CPU to the window's thread:
compiling yosys on two cores stalled the window for 141 ms at nice 0, 60 ms at nice 5."""
TURN_BUDGET_S = 0.004
"""GUI-thread time one event-loop turn gives to queued calls (at least one call, however long it takes)."""
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


@dataclass
class _Pending:
    owner: QObject
    on_done: OnDone | None
    on_error: OnError | None
    key: str | None
    posted: bool = False


_watched_dispatchers: set[int] = set()
_HEAVY_WINDOW_EVENTS = frozenset({QEvent.Type.UpdateRequest, QEvent.Type.LayoutRequest})
"""A top-level window's paint and layout: every widget in it, and hundreds of calls into Python."""


def _tell_workers_when_the_window_rests() -> None:
    """Once per event loop (the GUI thread's): about to block means the window rests."""
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None or id(dispatcher) in _watched_dispatchers:
        return
    _watched_dispatchers.add(id(dispatcher))
    dispatcher.aboutToBlock.connect(window_waiting)


def _lower_this_threads_priority() -> None:
    """Linux keeps a niceness per thread, and threads inherit it; elsewhere this does nothing. Set, never
    added to: a pool thread runs many jobs, and a worker pushed to nice 19 holding the interpreter gets so
    little CPU beside busier threads that the window, waiting for the interpreter, stalls for 100 ms."""
    try:
        tid = threading.get_native_id()
        wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + WORKER_NICENESS)
        if os.getpriority(os.PRIO_PROCESS, tid) < wanted:
            os.setpriority(os.PRIO_PROCESS, tid, wanted)
    except (AttributeError, OSError):  # no per-thread priorities here
        pass


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], background: Background) -> None:
        super().__init__()
        self.task_id = task_id
        self.fn: Callable[[], Any] | None = fn
        self.background = background

    def run(self) -> None:
        _lower_this_threads_priority()
        fn, self.fn = self.fn, None
        assert fn is not None
        try:
            outcome: tuple[Any, BaseException | None] = (fn(), None)
        except BaseException as exc:  # delivered to on_error; a worker must never die silently
            outcome = (None, exc)
        try:
            self.background._park(self.task_id, fn, outcome)
        except (AttributeError, RuntimeError):  # the window and its Background were deleted meanwhile
            return
        del fn, outcome
        self.background._announce(self.task_id)


class Background(QObject):
    """Worker pool, serial lane and cross-thread posting, with one rule for results of closed owners."""

    _arrived = Signal(int)
    alive: weakref.WeakSet[Background] = weakref.WeakSet()
    """Every Background not yet collected: whoever tears widgets down (the app at exit, a test's end)
    waits for their workers first, so no worker finishes into a destroyed pool."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        # Runs hold a worker for as long as they go: leave room for reads beside a few of them.
        self.pool.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()) + RUN_ROOM)
        self.serial = QThreadPool(self)
        self.serial.setMaxThreadCount(1)
        self._arrived.connect(self._queue_delivery)
        self._queue: deque[int | tuple[QObject, Callable[[], Any]]] = deque()
        """A task id to deliver, or (owner, fn) from `soon`: plain data, no closure over this object."""
        self._turn = QTimer(self)
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._take_turn)
        self._pending: dict[int, _Pending] = {}
        self._latest: dict[str, int] = {}
        self._outbox: dict[int, tuple[Any, tuple[Any, BaseException | None]]] = {}
        self._jobs: dict[int, _Job] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._forgotten: weakref.WeakSet[QObject] = weakref.WeakSet()
        Background.alive.add(self)
        _tell_workers_when_the_window_rests()
        if parent is not None and parent.isWidgetType():
            parent.installEventFilter(self)

    def run(self, owner: QObject, fn: Callable[[], Any], on_done: OnDone,
            on_error: OnError | None = None, key: str | None = None) -> int:
        task_id = self._register(owner, on_done, on_error, key)
        self._start(self.pool, _Job(task_id, fn, self))
        return task_id

    def in_order(self, owner: QObject, fn: Callable[[], Any], on_error: OnError | None = None) -> int:
        task_id = self._register(owner, None, on_error, None)
        self._start(self.serial, _Job(task_id, fn, self))
        return task_id

    def post(self, owner: QObject, fn: Callable[[], Any]) -> None:
        """From any thread: call `fn()` on the GUI thread unless `owner` is closed by then."""
        task_id = next(self._ids)
        with self._lock:
            self._pending[task_id] = _Pending(owner, None, None, None, posted=True)
            self._outbox[task_id] = (fn, (None, None))
        del fn, owner
        self._announce(task_id)

    def soon(self, owner: QObject, fn: Callable[[], Any]) -> None:
        """On the GUI thread: call `fn()` in a later turn, after what is queued already, unless `owner`
        is closed by then."""
        self._enqueue((owner, fn))

    def cancel_key(self, key: str) -> None:
        """Make any running task with this key stale."""
        self._latest[key] = next(self._ids)

    def forget(self, owner: QObject) -> None:
        """`owner` closed: nothing more is delivered to it (work already running still finishes)."""
        self._forgotten.add(owner)

    def wait_idle(self, msecs: int = 5000) -> bool:
        window_waiting()  # the window waits for the workers: they must not wait for it
        return self.pool.waitForDone(msecs) and self.serial.waitForDone(msecs)

    def wait_in_order(self, msecs: int = 5000) -> bool:
        """Wait for the serial lane only (closing: the settings are written, reads may be abandoned)."""
        window_waiting()
        return self.serial.waitForDone(msecs)

    def is_gone(self, owner: QObject) -> bool:
        return not shiboken6.isValid(owner) or owner in self._forgotten

    def _register(self, owner: QObject, on_done: OnDone | None, on_error: OnError | None,
                  key: str | None) -> int:
        task_id = next(self._ids)
        if key is not None:
            self._latest[key] = task_id
        with self._lock:
            self._pending[task_id] = _Pending(owner, on_done, on_error, key)
        return task_id

    def _announce(self, task_id: int) -> None:
        try:
            self._arrived.emit(task_id)
        except RuntimeError:  # the window and its Background were deleted meanwhile: nobody is left to tell
            pass

    def _park(self, task_id: int, fn: Any, outcome: tuple[Any, BaseException | None]) -> None:
        with self._lock:
            self._outbox[task_id] = (fn, outcome)

    def _start(self, pool: QThreadPool, job: _Job) -> None:
        """The pool must not delete the job when it ends: that would drop its Python wrapper on the worker
        thread. The job stays here until its result is handed over, on the GUI thread."""
        job.setAutoDelete(False)
        self._jobs[job.task_id] = job
        pool.start(job)

    def _enqueue(self, item: int | tuple[QObject, Callable[[], Any]]) -> None:
        self._queue.append(item)
        if not self._turn.isActive():
            self._turn.start()

    @Slot(int)
    def _queue_delivery(self, task_id: int) -> None:
        self._enqueue(task_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Watches the window this Background serves, and only notes its heavy events."""
        if event.type() in _HEAVY_WINDOW_EVENTS:
            window_busy()
        return False

    def _take_turn(self) -> None:
        window_busy()
        deadline = time.perf_counter() + TURN_BUDGET_S
        try:
            while self._queue:
                item = self._queue.popleft()
                if isinstance(item, int):
                    self._deliver(item)
                elif not self.is_gone(item[0]):
                    item[1]()
                del item
                if time.perf_counter() > deadline:
                    break
        finally:
            if self._queue:
                self._turn.start()

    def _deliver(self, task_id: int) -> None:
        with self._lock:
            fn, (result, exc) = self._outbox.pop(task_id)
            pending = self._pending.pop(task_id)
        self._jobs.pop(task_id, None)
        if pending.key is not None:
            if self._latest.get(pending.key) != task_id:
                return
            del self._latest[pending.key]
        if self.is_gone(pending.owner):
            return
        if pending.posted:
            fn()
        elif exc is None:
            if pending.on_done is not None:
                pending.on_done(result)
        elif pending.on_error is not None:
            pending.on_error(exc)


def wait_for_all_workers(msecs: int = 10000) -> bool:
    """Wait until no Background has work running (at exit, before widgets and pools are destroyed). A
    Background whose Qt side is already gone (its window was deleted) has no pool left to wait for."""
    live = [b for b in list(Background.alive) if shiboken6.isValid(b) and shiboken6.isValid(b.pool)
            and shiboken6.isValid(b.serial)]
    return all(background.wait_idle(msecs) for background in live)
