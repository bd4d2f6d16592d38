"""Worker loops give way to a busy window: they wait while it is busy, never longer than HOLD_S after it
said so, and then run at least RUN_S before they wait again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from wasi_playground.core.yielding import HOLD_S, RUN_S, give_way, window_busy, window_waiting


@pytest.fixture(autouse=True)
def window_rests_afterwards() -> Iterator[None]:
    yield
    window_waiting()


def _timed_give_way() -> float:
    """give_way() on a fresh thread (its own RUN_S clock), in seconds."""
    took: list[float] = []

    def worker() -> None:
        start = time.monotonic()
        give_way()
        took.append(time.monotonic() - start)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    return took[0]


def test_a_resting_window_costs_a_worker_nothing() -> None:
    window_waiting()
    assert _timed_give_way() < 0.005


def test_a_worker_waits_until_the_busy_window_rests() -> None:
    window_busy()
    threading.Timer(0.04, window_waiting).start()
    took = _timed_give_way()
    assert 0.03 <= took < HOLD_S


def test_a_window_that_never_says_it_rests_holds_a_worker_back_only_so_long() -> None:
    window_busy()
    took = _timed_give_way()
    assert HOLD_S * 0.9 <= took < HOLD_S + 0.05
    assert _timed_give_way() < 0.005  # the mark has expired


def test_after_giving_way_a_worker_runs_before_it_gives_way_again() -> None:
    waits: list[float] = []

    def worker() -> None:
        for pause in (0.0, 0.0, RUN_S * 1.5):
            time.sleep(pause)
            window_busy()
            start = time.monotonic()
            give_way()
            waits.append(time.monotonic() - start)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    first, right_after, later = waits
    assert first >= HOLD_S * 0.9
    assert right_after < 0.005
    assert later >= HOLD_S * 0.9
