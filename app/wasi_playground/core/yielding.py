"""Long Python loops on worker threads give way to the window while it is busy.

Only one thread runs Python at a time. A window drawing a table calls into Python hundreds of times, and
beside a worker busy in Python each of those calls waits for the worker to hand the interpreter over. So
the window marks the start of its heavy work (`window_busy()`: handing out results, painting, laying
out) and says when its event loop goes back to sleep (`window_waiting()`); a long loop calls `give_way()`
every few hundred steps and, while the window is busy, sleeps there without the interpreter.

A mark holds workers back for at most HOLD_S, whether or not the window says it rests (a nested event
loop may never say so), and after giving way a worker runs at least RUN_S before it gives way again: a
window that never rests (a flood of output) slows a worker down, it never stops it.

Without a window nobody calls `window_busy()`, and `give_way()` costs one attribute read.
"""

from __future__ import annotations

import threading
import time

HOLD_S = 0.1
"""How long one busy mark can hold a worker back."""
RUN_S = 0.01
"""After giving way, a worker runs at least this long before it gives way again."""
STEP = 256
"""Loops call `give_way()` every STEP iterations (or so): about 0.1-0.5 ms of Python each."""

_resting = threading.Event()
_resting.set()
_busy_until = 0.0
_this_thread = threading.local()


def window_busy() -> None:
    """On the window's thread: heavy work starts now."""
    global _busy_until
    _busy_until = time.monotonic() + HOLD_S
    _resting.clear()


def window_waiting() -> None:
    """On the window's thread: its event loop is about to sleep until the next event."""
    _resting.set()


def give_way() -> None:
    """On a worker: while the window is busy, wait (the interpreter released) until it rests."""
    if _resting.is_set():
        return
    now = time.monotonic()
    hold = _busy_until - now
    if hold <= 0 or now - getattr(_this_thread, "resumed", -RUN_S) < RUN_S:
        return
    _resting.wait(hold)
    _this_thread.resumed = time.monotonic()
