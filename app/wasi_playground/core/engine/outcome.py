"""Saying how running code ended: exit, trap with frames, out of fuel, stopped by the user, timed out.

One classification for every runner, call session and WAGI executor, written into the outcome fields of
`RunResult` (`exit_code`, `trap`, `cancelled`, `timed_out`, `limit_message`).
"""

from __future__ import annotations

import wasmtime

from wasi_playground.core.engine.config import Limits
from wasi_playground.core.engine.messages import first_line, stop_message, trap_message
from wasi_playground.core.engine.result import RunResult, TrapInfo
from wasi_playground.core.engine.traps import trap_info

NO_SHIFT = (0, 0)


def forget_traceback(error: BaseException) -> None:
    """wasmtime-py keeps the exception in a local of the frame that raised it: a reference cycle
    (exception -> traceback -> frame -> exception) that would keep the store, and so the output pipes,
    alive until the next garbage collection. Cut it."""
    error.__traceback__ = None


def describe_trap(error: BaseException | None, stop_reason: str | None, limits: Limits,
                  shift: tuple[int, int] = NO_SHIFT) -> TrapInfo:
    """The trap `error` caused (frames with offsets into the user's module), or the stop that ended it."""
    if stop_reason:
        trap = trap_info(error, *shift) if error is not None else TrapInfo(message="")
        trap.message = stop_message(stop_reason, limits.timeout_s)
        trap.code = "interrupt"
        return trap
    assert error is not None
    return trap_info(error, *shift)


def mark_stopped(result: RunResult, stop_reason: str, limits: Limits, error: BaseException | None = None,
                 shift: tuple[int, int] = NO_SHIFT) -> None:
    result.cancelled = stop_reason == "cancelled"
    result.timed_out = stop_reason == "timeout"
    result.trap = describe_trap(error, stop_reason, limits, shift)


def classify(error: BaseException, result: RunResult, stop_reason: str | None, limits: Limits,
             shift: tuple[int, int] = NO_SHIFT) -> None:
    """Record what `error` (an ExitTrap, Trap or WasmtimeError from running code) means in `result`."""
    forget_traceback(error)
    if isinstance(error, wasmtime.ExitTrap):
        result.exit_code = error.code
    elif stop_reason:
        mark_stopped(result, stop_reason, limits, error, shift)
    else:
        result.trap = trap_info(error, *shift)
        if result.trap.code == "out_of_fuel" and limits.fuel is not None:
            result.limit_message = f"fuel exhausted: the budget of {limits.fuel:,} ran out"


def compile_error(name: str, error: BaseException) -> str:
    return f"{name} does not compile: {first_line(error)}"


def link_error(name: str, error: BaseException) -> str:
    """Why instantiation failed: an unlinkable import in its first line, a trap by its cause."""
    trapped = isinstance(error, wasmtime.Trap) or "wasm backtrace" in str(error)
    return f"{name} cannot be instantiated: {trap_message(error) if trapped else first_line(error)}"
