"""How errors and stops read: one wording for every runner, call session and WAGI executor."""

from __future__ import annotations

from wasi_playground.core.engine.traps import cause_of


def first_line(error: BaseException) -> str:
    """The first line of an error's text (wasmtime appends backtraces and causes), or its type's name."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def trap_message(error: BaseException) -> str:
    """The cause of a trap in one line, e.g. "wasm `unreachable` instruction executed"."""
    return cause_of(str(error)) or first_line(error)


def stop_message(reason: str | None, timeout_s: float | None) -> str:
    """Why running code was stopped: `reason` is an `Interrupter.stop_reason` ("timeout" or "cancelled")."""
    if reason == "timeout" and timeout_s is not None:
        return f"timed out after {timeout_s:g} s"
    if reason == "timeout":
        return "timed out"
    return "stopped by user"
