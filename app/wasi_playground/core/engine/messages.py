"""How errors and stops read: one wording for every runner, call session and WAGI executor.

Free of wasmtime, so layers that must not import it (inspection) can take error lines the same way."""

from __future__ import annotations

import re


def first_line(error: BaseException) -> str:
    """The first line of an error's text (wasmtime appends backtraces and causes), or its type's name."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def cause_of(message: str) -> str:
    """The 'Caused by' part of a wasmtime message, without the backtrace and the 'wasm trap:' prefix."""
    text = message.strip()
    if "Caused by:" in text:
        causes = [line.strip() for line in text.split("Caused by:", 1)[1].splitlines() if line.strip()]
        causes = [re.sub(r"^\d+:\s*", "", c) for c in causes]
        text = ": ".join(causes)
    elif "wasm backtrace:" in text:
        text = text.split("wasm backtrace:", 1)[0].strip().removesuffix(" at")
    return text.removeprefix("wasm trap: ").strip()


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
