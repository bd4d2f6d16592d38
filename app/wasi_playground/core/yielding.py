"""Long Python loops on worker threads give way to the window while it draws.

Only one thread runs Python at a time. A window drawing a table calls into Python hundreds of times, and
beside a worker busy in Python each of those calls waits for the worker to hand the interpreter over: a
50 ms worker loop turned a 27 ms paint into a 121 ms stall. So a long loop calls `give_way()` every few
hundred steps; while the window says it is busy (`window_busy()`, until `window_waiting()`), the loop
sleeps there, without the interpreter, for at most MAX_WAIT_S, and then runs at least RUN_S before it
gives way again: beside a window that never rests (a flood of output) a worker still gets on, at a
tenth of its speed.

Without a window nobody calls `window_busy()`, and `give_way()` costs one attribute read.
"""

from __future__ import annotations

import threading
import time

MAX_WAIT_S = 0.1
"""A busy window holds back a worker for at most this long at a time."""
RUN_S = 0.01
"""After giving way, a worker runs at least this long before it gives way again."""
STEP = 256
"""Loops call `give_way()` every STEP iterations: about 0.1-0.5 ms of Python each."""

_waiting = threading.Event()
_waiting.set()
_this_thread = threading.local()


def window_busy() -> None:
    """The window's thread woke up to handle events (called on that thread)."""
    _waiting.clear()


def window_waiting() -> None:
    """The window's thread is about to sleep until the next event (or blocks on something else)."""
    _waiting.set()


def give_way() -> None:
    """On a worker: while the window is busy, wait (the interpreter released) for it, up to MAX_WAIT_S."""
    if _waiting.is_set():
        return
    if time.monotonic() - getattr(_this_thread, "resumed", 0.0) < RUN_S:
        return
    _waiting.wait(MAX_WAIT_S)
    _this_thread.resumed = time.monotonic()
