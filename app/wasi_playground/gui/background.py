"""The one way GUI code runs work off the GUI thread and gets the result back on it.

`run_task(fn, on_done, key=...)` runs `fn` on a worker thread and calls `on_done(result)` (or `on_error(exc)`)
on the GUI thread. A newer task with the same key makes the older one stale: its result is dropped, so a
disassembly or an inspection that finishes after the user moved on never overwrites the newer one.

With `owner`, a result that arrives after that widget was deleted (its document was closed while a 100 MB
module was still being read) is dropped instead of touching a dead C++ object.

Every reference a task holds — its callbacks, `fn` and its result — is released on the GUI thread: callbacks
never leave it, and the worker parks `fn` and the result in an outbox before it signals. Otherwise a worker
could drop the last reference to a closed panel, and a widget destroyed off the GUI thread crashes the process.
Call `run_task` from the GUI thread.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    finished = Signal(int)


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], runner: TaskRunner) -> None:
        super().__init__()
        self.task_id = task_id
        self.fn: Callable[[], Any] | None = fn
        self.runner = runner

    def run(self) -> None:
        fn, self.fn = self.fn, None
        assert fn is not None
        try:
            outcome: tuple[Any, BaseException | None] = (fn(), None)
        except BaseException as exc:  # delivered to on_error; a worker must never die silently
            outcome = (None, exc)
        self.runner._park(self.task_id, fn, outcome)
        del fn, outcome
        self.runner._relay.finished.emit(self.task_id)


class TaskRunner(QObject):
    """Owns a thread pool; one per application (see `tasks()`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._callbacks: dict[
            int,
            tuple[Callable[[Any], None], Callable[[BaseException], None] | None, str | None, QObject | None],
        ] = {}
        self._latest: dict[str, int] = {}
        self._outbox: dict[int, tuple[Any, tuple[Any, BaseException | None]]] = {}
        self._outbox_lock = threading.Lock()
        self._ids = itertools.count()

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        key: str | None = None,
        owner: QObject | None = None,
    ) -> int:
        task_id = next(self._ids)
        if key is not None:
            self._latest[key] = task_id
        self._callbacks[task_id] = (on_done, on_error, key, owner)
        self.pool.start(_Job(task_id, fn, self))
        return task_id

    def cancel_key(self, key: str) -> None:
        """Make any running task with this key stale."""
        self._latest[key] = next(self._ids)

    def _park(self, task_id: int, fn: Any, outcome: tuple[Any, BaseException | None]) -> None:
        with self._outbox_lock:
            self._outbox[task_id] = (fn, outcome)

    @Slot(int)
    def _deliver(self, task_id: int) -> None:
        with self._outbox_lock:
            _fn, (result, exc) = self._outbox.pop(task_id)
        on_done, on_error, key, owner = self._callbacks.pop(task_id)
        if key is not None:
            if self._latest.get(key) != task_id:
                return
            del self._latest[key]
        if owner is not None and not shiboken6.isValid(owner):
            return
        if exc is None:
            on_done(result)
        elif on_error is not None:
            on_error(exc)

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)


_runner: TaskRunner | None = None


def tasks() -> TaskRunner:
    global _runner
    if _runner is None:
        _runner = TaskRunner()
    return _runner


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    key: str | None = None,
    owner: QObject | None = None,
) -> int:
    return tasks().run_task(fn, on_done, on_error, key, owner)
