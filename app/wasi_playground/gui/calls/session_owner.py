"""Who closes the Call tab's session, exactly once.

The session is closed when replaced, when the panel is destroyed (its tab closed), when the application
quits, or — if a call is running at that moment — when the call ends, on the call's own worker (its
answer is dropped: the panel is gone). A session delivered after the owner closed is closed on arrival.
It is a plain Python object so Qt's destroyed/aboutToQuit signals can reach it after the widget is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class SessionOwner:
    def __init__(self) -> None:
        self.session: Any = None
        self.busy = False
        self.closed = False
        self._orphans: list[Any] = []
        self._incoming: list[Any] = []
        self._lock = threading.Lock()

    def opening(self, open_session: Callable[[], Any]) -> Callable[[], Any]:
        """`open_session` for a worker: a session that opens after the owner closed is closed there, and
        one still on its way when the owner closes is closed by `close` (its delivery is dropped)."""

        def open_on_worker() -> Any:
            session = open_session()
            with self._lock:
                if not self.closed:
                    self._incoming.append(session)
                    return session
            session.close()
            return session

        return open_on_worker

    def adopt(self, session: Any) -> bool:
        with self._lock:
            if session in self._incoming:
                self._incoming.remove(session)
        if self.closed:
            session.close()
            return False
        self.release()
        self.session = session
        return True

    def release(self) -> None:
        with self._lock:
            session, self.session = self.session, None
            if session is not None and self.busy:
                self._orphans.append(session)
                session = None
        if session is not None:
            session.close()

    def during_call(self, work: Callable[[], Any]) -> Callable[[], Any]:
        """`work` for a worker, marked busy until it ends; sessions released meanwhile close after it."""
        self.busy = True

        def call() -> Any:
            try:
                return work()
            finally:
                self._end_call()

        return call

    def _end_call(self) -> None:
        with self._lock:
            self.busy = False
            orphans, self._orphans = self._orphans, []
        for session in orphans:
            session.close()

    def close(self, *_args: object) -> None:
        with self._lock:
            self.closed = True
            incoming, self._incoming = self._incoming, []
        for session in incoming:
            session.close()
        self.release()
