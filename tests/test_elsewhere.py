"""The helper process for analyses that litter: results and errors come back, a dead helper is replaced."""

from __future__ import annotations

import os
import signal

import pytest

from wasi_playground.core.elsewhere import HelperDied, run_elsewhere
from wasi_playground.core.lookinside.dwarf import debug_summary


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    assert run_elsewhere(os.getpid) != os.getpid()
    assert run_elsewhere(divmod, 17, 5) == (3, 2)


def test_errors_come_back_as_themselves() -> None:
    with pytest.raises(ZeroDivisionError):
        run_elsewhere(divmod, 1, 0)


def test_a_helper_that_dies_is_replaced() -> None:
    first = run_elsewhere(os.getpid)
    with pytest.raises(HelperDied):
        run_elsewhere(_die)
    assert run_elsewhere(os.getpid) not in (first, os.getpid())


def test_a_module_without_dwarf_says_so_from_the_helper(wat) -> None:
    assert run_elsewhere(debug_summary, wat("(module (func $f))")) is None
