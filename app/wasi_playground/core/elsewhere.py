"""Analyses that make millions of short-lived Python objects run in a helper process.

Reading a big module's DWARF with pyelftools makes cyclic garbage by the million. In the window's process
each full collection of it held the GIL for 100-400 ms, and every thread, the window's too, stood still.
`run_elsewhere(fn, *args)` runs `fn` in one helper process, started on first use and reused, and returns
its result (which crosses over pickled, so keep it compact). A helper that dies is replaced the next time.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_helper: ProcessPoolExecutor | None = None
_lock = threading.Lock()


class HelperDied(RuntimeError):
    """The helper process ended before it answered (killed, out of memory, crashed)."""


def run_elsewhere(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in the helper process; `fn` must be a module-level function. Blocks the calling
    (worker) thread, not the interpreter. Exceptions raised by `fn` come back as themselves."""
    global _helper
    with _lock:
        if _helper is None:
            # spawn, not fork: forking a process that runs Qt and wasmtime threads is unsafe
            _helper = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        helper = _helper
    try:
        return helper.submit(fn, *args).result()
    except BrokenProcessPool:
        with _lock:
            if _helper is helper:
                _helper = None
        raise HelperDied("the helper process that reads this ended unexpectedly; try again") from None
