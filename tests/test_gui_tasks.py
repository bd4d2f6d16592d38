"""The window's one background contract: results on the GUI thread, stale ones dropped, results for closed or
deleted owners dropped, posting from any thread, an ordered serial lane, references released on the GUI
thread."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject

from wasi_playground.gui.background import Background


class Tracked:
    """Records the thread its last reference was dropped on."""

    freed_on: list[str] = []

    def __del__(self) -> None:
        Tracked.freed_on.append(threading.current_thread().name)


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    background, owner = Background(), QObject()
    got: list[tuple[object, str]] = []
    background.run(
        owner, lambda: threading.current_thread().name,
        lambda r: got.append((r, threading.current_thread().name)),
    )
    qtbot.waitUntil(lambda: bool(got))
    worker, receiver = got[0]
    assert worker != threading.main_thread().name and receiver == threading.main_thread().name


def test_a_newer_task_with_the_same_key_makes_the_older_stale(qtbot) -> None:
    background, owner = Background(), QObject()
    got: list[str] = []
    background.run(owner, lambda: (time.sleep(0.2), "old")[1], got.append, key="k")
    background.run(owner, lambda: "new", got.append, key="k")
    qtbot.waitUntil(lambda: got == ["new"])
    assert background.wait_idle()
    qtbot.wait(50)
    assert got == ["new"]


def test_errors_go_to_on_error(qtbot) -> None:
    background, owner = Background(), QObject()
    errors: list[BaseException] = []
    background.run(owner, lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_everything_a_task_holds_is_released_on_the_gui_thread(qtbot) -> None:
    background, owner = Background(), QObject()
    Tracked.freed_on.clear()
    done: list[bool] = []

    def submit() -> None:
        held_by_fn, held_by_callback, result = Tracked(), Tracked(), Tracked()

        def work() -> Tracked:
            time.sleep(0.05)
            assert held_by_fn is not None
            return result

        background.run(owner, work, lambda r: done.append(held_by_callback is not None and r is not None))

    submit()
    qtbot.waitUntil(lambda: bool(done))
    assert background.wait_idle()
    qtbot.waitUntil(lambda: len(Tracked.freed_on) == 3)
    assert set(Tracked.freed_on) == {threading.main_thread().name}


def test_nothing_is_delivered_to_a_deleted_owner(qtbot) -> None:
    background, owner = Background(), QObject()
    got: list[object] = []
    background.run(owner, lambda: (time.sleep(0.1), "late")[1], got.append)
    shiboken6.delete(owner)
    assert background.wait_idle()
    qtbot.wait(100)
    assert got == []


def test_nothing_is_delivered_to_a_forgotten_owner_but_others_still_get_theirs(qtbot) -> None:
    background, closed, alive = Background(), QObject(), QObject()
    got: list[object] = []
    background.run(closed, lambda: (time.sleep(0.1), "late")[1], got.append, got.append)
    background.run(closed, lambda: (time.sleep(0.1), 1 / 0), got.append, got.append)
    background.run(alive, lambda: (time.sleep(0.1), "alive")[1], got.append)
    background.forget(closed)
    background.post(closed, lambda: got.append("posted"))
    qtbot.waitUntil(lambda: got == ["alive"])
    assert background.wait_idle()
    qtbot.wait(100)
    assert got == ["alive"]


def test_posts_from_other_threads_run_on_the_gui_thread_in_order(qtbot) -> None:
    background, owner = Background(), QObject()
    got: list[tuple[int, str]] = []

    def worker() -> None:
        for i in range(50):
            background.post(owner, lambda i=i: got.append((i, threading.current_thread().name)))

    thread = threading.Thread(target=worker, name="server")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(got) == 50)
    assert [i for i, _ in got] == list(range(50))
    assert {name for _, name in got} == {threading.main_thread().name}


def test_the_serial_lane_keeps_order_and_reports_failures(qtbot) -> None:
    background, owner = Background(), QObject()
    done: list[int] = []
    errors: list[BaseException] = []
    for i in range(20):
        background.in_order(owner, lambda i=i: (time.sleep(0.002 * (i % 3)), done.append(i)))
    background.in_order(owner, lambda: 1 / 0, errors.append)
    assert background.wait_in_order()
    assert done == list(range(20))
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_workers_run_at_a_lower_priority_than_the_window(qtbot) -> None:
    background, owner = Background(), QObject()
    got: list[int] = []
    background.run(owner, lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got[0] > os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_a_pool_thread_keeps_the_same_lower_priority_over_many_jobs(qtbot) -> None:
    from wasi_playground.gui.background import WORKER_NICENESS

    background, owner = Background(), QObject()
    seen: list[tuple[int, int]] = []

    def niceness() -> tuple[int, int]:
        return threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    for jobs in range(1, 7):  # one after another: the pool hands them to the thread it already has
        background.run(owner, niceness, seen.append)
        qtbot.waitUntil(lambda jobs=jobs: len(seen) == jobs)
    window_niceness = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert len({tid for tid, _ in seen}) < len(seen)  # some thread ran more than one job
    assert {nice for _, nice in seen} == {window_niceness + WORKER_NICENESS}


def test_calls_for_the_gui_thread_run_in_order_a_few_per_turn_and_not_for_a_deleted_owner(qtbot) -> None:
    from PySide6.QtCore import QCoreApplication

    background, owner, gone = Background(), QObject(), QObject()
    ran: list[int] = []
    for i in range(20):
        background.soon(owner, lambda i=i: (time.sleep(0.002), ran.append(i)))
    background.soon(gone, lambda: ran.append(-1))
    shiboken6.delete(gone)
    assert ran == []  # never within the call that queues them
    QCoreApplication.processEvents()
    assert 0 < len(ran) < 20  # one turn takes what fits its budget, then lets the window paint
    qtbot.waitUntil(lambda: len(ran) == 20)
    qtbot.wait(20)
    assert ran == list(range(20))


def test_worker_loops_give_way_while_the_window_works_through_its_queue(qtbot, monkeypatch) -> None:
    """A turn of the GUI-thread queue marks the window busy: a worker's `give_way()` waits while a slow
    call runs there, and once the event loop rests it does not wait at all."""
    from wasi_playground.core import yielding
    from wasi_playground.core.yielding import give_way, window_waiting

    monkeypatch.setattr(yielding, "HOLD_S", 5.0)

    background, owner = Background(), QObject()
    call_running = threading.Event()

    def slow_call() -> None:
        call_running.set()
        time.sleep(0.06)  # the GIL is free, the window is not

    waits: list[float] = []

    def worker() -> None:
        call_running.wait(5)
        waits.append(_timed(give_way))

    thread = threading.Thread(target=worker)
    thread.start()
    background.soon(owner, slow_call)
    qtbot.waitUntil(lambda: bool(waits), timeout=5000)
    thread.join()
    assert 0.03 <= waits[0] < 4.0
    qtbot.wait(30)  # the event loop goes to sleep: the window rests before the mark expires
    idle = threading.Thread(target=lambda: waits.append(_timed(give_way)))
    idle.start()
    idle.join()
    assert waits[1] < 0.05
    window_waiting()  # no later test's workers wait on this test's long mark


def _timed(fn) -> float:
    start = time.monotonic()
    fn()
    return time.monotonic() - start
