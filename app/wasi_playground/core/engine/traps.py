"""Turning what wasmtime raises into a `TrapInfo` a person can read.

wasmtime's message starts with a backtrace and ends with the cause ("Caused by: wasm trap: ..."). We keep
the cause as the message, the trap code as a lower-case name, and the frames as structured data: from
`Trap.frames` when wasmtime gives a `Trap`, else parsed from the text (components and interrupted runs
arrive as `WasmtimeError`).
"""

from __future__ import annotations

import re

import wasmtime

from wasi_playground.core.engine.messages import cause_of
from wasi_playground.core.engine.result import Frame, TrapInfo

_FRAME_LINE = re.compile(r"^\s*\d+:\s+0x([0-9a-fA-F]+)\s+-\s+(.*)$")
_WASM_FUNCTION = re.compile(r"<wasm function (\d+)>")

_CAUSE_CODES = (
    ("interrupt", "interrupt"),
    ("all fuel consumed", "out_of_fuel"),
    ("call stack exhausted", "stack_overflow"),
    ("unreachable", "unreachable"),
    ("integer divide by zero", "integer_division_by_zero"),
    ("integer overflow", "integer_overflow"),
    ("out of bounds memory access", "memory_out_of_bounds"),
    ("undefined element", "table_out_of_bounds"),
    ("uninitialized element", "indirect_call_to_null"),
    ("indirect call type mismatch", "bad_signature"),
    ("invalid conversion to integer", "bad_conversion_to_integer"),
)


def frames_from_text(message: str) -> list[Frame]:
    frames = []
    for line in message.splitlines():
        m = _FRAME_LINE.match(line)
        if not m:
            continue
        offset = int(m.group(1), 16)
        where = m.group(2).strip()
        func = where.split("!", 1)[1] if "!" in where else where
        numbered = _WASM_FUNCTION.search(func)
        frames.append(Frame(func_index=int(numbered.group(1)) if numbered else None,
                            func_name=None if numbered else func, module_offset=offset))
    return frames


def code_from_cause(cause: str) -> str | None:
    low = cause.lower()
    for needle, code in _CAUSE_CODES:
        if needle in low:
            return code
    return None


def trap_info(error: BaseException, offset_shift: int = 0, shift_after: int = 0) -> TrapInfo:
    """TrapInfo for a Trap or WasmtimeError. Offsets past `shift_after` are moved back by `offset_shift`,
    so they point into the module the user gave, not the one the runner rewrote."""
    message = getattr(error, "message", None) or str(error)
    cause = cause_of(message)
    if isinstance(error, wasmtime.Trap):
        code = error.trap_code.name.lower() if error.trap_code is not None else code_from_cause(cause)
        frames = [Frame(f.func_index, f.func_name, f.module_offset) for f in error.frames]
    else:
        code = code_from_cause(cause)
        frames = frames_from_text(message)
    for f in frames:
        if f.module_offset is not None and offset_shift and f.module_offset >= shift_after:
            f.module_offset -= offset_shift
    return TrapInfo(message=cause, code=code, frames=frames)
