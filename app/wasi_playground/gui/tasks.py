"""The one way GUI code runs work off the GUI thread and gets the result back on it.

`run_task(fn, on_done, key=...)` runs `fn` on a worker thread and calls `on_done(result)` (or `on_error(exc)`)
on the GUI thread. A newer task with the same key makes the older one stale: its result is dropped, so a
disassembly or an inspection that finishes after the user moved on never overwrites the newer one.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    finished = Signal(object, object, object)  # callback, result, exception


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], deliver: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__()
        self.fn = fn
        self.deliver = deliver

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to on_error; a worker must never die silently
            self.deliver(None, exc)
        else:
            self.deliver(result, None)


class TaskRunner(QObject):
    """Owns a thread pool; one per application (see `tasks()`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._latest: dict[str, int] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        key: str | None = None,
    ) -> int:
        task_id = next(self._ids)
        if key is not None:
            with self._lock:
                self._latest[key] = task_id

        def deliver(result: Any, exc: BaseException | None) -> None:
            if key is not None:
                with self._lock:
                    if self._latest.get(key) != task_id:
                        return
            callback: Any = (on_done, result) if exc is None else (on_error, exc)
            self._relay.finished.emit(callback, result, exc)

        self.pool.start(_Job(fn, deliver))
        return task_id

    def cancel_key(self, key: str) -> None:
        """Make any running task with this key stale."""
        with self._lock:
            self._latest[key] = next(self._ids)

    @Slot(object, object, object)
    def _deliver(self, callback: Any, result: Any, exc: Any) -> None:
        fn, value = callback
        if fn is not None:
            fn(value)

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
) -> int:
    return tasks().run_task(fn, on_done, on_error, key)
