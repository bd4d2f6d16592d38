"""The background-task bridge: results on the GUI thread, stale ones dropped, references released there."""

from __future__ import annotations

import threading
import time

from wasi_playground.gui.background import TaskRunner


class Tracked:
    """Records the thread its last reference was dropped on."""

    freed_on: list[str] = []

    def __del__(self) -> None:
        Tracked.freed_on.append(threading.current_thread().name)


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    got: list[tuple[object, str]] = []
    runner.run_task(
        lambda: threading.current_thread().name, lambda r: got.append((r, threading.current_thread().name))
    )
    qtbot.waitUntil(lambda: bool(got))
    worker, receiver = got[0]
    assert worker != threading.main_thread().name and receiver == threading.main_thread().name


def test_a_newer_task_with_the_same_key_makes_the_older_stale(qtbot) -> None:
    runner = TaskRunner()
    got: list[str] = []
    runner.run_task(lambda: (time.sleep(0.2), "old")[1], got.append, key="k")
    runner.run_task(lambda: "new", got.append, key="k")
    qtbot.waitUntil(lambda: got == ["new"])
    assert runner.wait_idle()
    qtbot.wait(50)
    assert got == ["new"]


def test_errors_go_to_on_error(qtbot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []
    runner.run_task(lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_everything_a_task_holds_is_released_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    Tracked.freed_on.clear()
    done: list[bool] = []

    def submit() -> None:
        held_by_fn, held_by_callback, result = Tracked(), Tracked(), Tracked()

        def work() -> Tracked:
            time.sleep(0.05)
            assert held_by_fn is not None
            return result

        runner.run_task(work, lambda r: done.append(held_by_callback is not None and r is not None))

    submit()
    qtbot.waitUntil(lambda: bool(done))
    assert runner.wait_idle()
    qtbot.waitUntil(lambda: len(Tracked.freed_on) == 3)
    assert set(Tracked.freed_on) == {threading.main_thread().name}


def test_nothing_is_delivered_to_a_deleted_owner(qtbot) -> None:
    import shiboken6
    from PySide6.QtWidgets import QWidget

    runner = TaskRunner()
    owner = QWidget()
    got: list[object] = []
    runner.run_task(lambda: (time.sleep(0.1), "late")[1], got.append, owner=owner)
    shiboken6.delete(owner)
    assert runner.wait_idle()
    qtbot.wait(100)
    assert got == []
