"""Worker loops give way to a busy window: they wait while it is busy, never longer than HOLD_S after it
said so, and then run at least RUN_S before they wait again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from wasi_playground.core import yielding
from wasi_playground.core.yielding import HOLD_S, give_way, window_busy, window_waiting

T = TypeVar("T")


@pytest.fixture(autouse=True)
def window_rests_afterwards() -> Iterator[None]:
    yield
    window_waiting()


def _waited() -> float:
    """Seconds this thread spent in give_way()."""
    start = time.monotonic()
    give_way()
    return time.monotonic() - start


def _on_a_worker(fn: Callable[[], T]) -> T:
    """fn() on a fresh thread (with its own RUN_S clock)."""
    out: list[T] = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def test_a_resting_window_costs_a_worker_nothing() -> None:
    window_waiting()
    assert _on_a_worker(_waited) < 0.05


def test_a_worker_waits_until_the_busy_window_rests(monkeypatch) -> None:
    monkeypatch.setattr(yielding, "HOLD_S", 5.0)
    window_busy()
    threading.Timer(0.04, window_waiting).start()
    assert 0.03 <= _on_a_worker(_waited) < 4.0


def test_a_window_that_never_says_it_rests_holds_a_worker_back_only_so_long() -> None:
    window_busy()
    assert HOLD_S * 0.9 <= _on_a_worker(_waited) < HOLD_S + 0.5
    assert _on_a_worker(_waited) < 0.05  # the mark has expired


def test_after_giving_way_a_worker_runs_before_it_gives_way_again(monkeypatch) -> None:
    monkeypatch.setattr(yielding, "RUN_S", 0.3)

    def three_loops() -> list[float]:
        waits = []
        for pause in (0.0, 0.0, 0.45):
            time.sleep(pause)
            window_busy()
            waits.append(_waited())
        return waits

    first, right_after, later = _on_a_worker(three_loops)
    assert first >= HOLD_S * 0.9
    assert right_after < 0.1
    assert later >= HOLD_S * 0.9
