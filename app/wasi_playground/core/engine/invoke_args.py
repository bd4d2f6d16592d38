"""Typed arguments and results of an exported core function called with `--invoke`.

Arguments arrive as text (from the CLI or a form) and are checked against the function's type before
anything runs: wrong count or a value that does not fit becomes a `ConfigError` naming the parameter.
i32/i64 accept decimal, hex (0x...) and negative numbers, wrapped to the type's width as wasm sees them;
f32/f64 accept decimals, inf and nan; v128 takes 32 hex digits.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

from wasi_playground.core.engine.config import ConfigError

_INT_BITS = {"i32": 32, "i64": 64}


def signature(params: Sequence[str], results: Sequence[str]) -> str:
    """Types are names read from the binary (core/module_info), never from wasmtime-py, which aborts the
    process when asked for the kind of a v128 type."""
    return f"({', '.join(params)}) -> ({', '.join(results)})"


def parse_arg(text: str, valtype: str, position: int) -> object:
    where = f"argument {position} ({valtype})"
    text = text.strip()
    if valtype in _INT_BITS:
        bits = _INT_BITS[valtype]
        try:
            value = int(text, 0)
        except ValueError:
            raise ConfigError(f"{where}: {text!r} is not an integer") from None
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise ConfigError(f"{where}: {text} does not fit in {bits} bits")
        if value >= 1 << (bits - 1):
            value -= 1 << bits
        return value
    if valtype in ("f32", "f64"):
        try:
            number = float(text)
        except ValueError:
            raise ConfigError(f"{where}: {text!r} is not a number") from None
        if valtype == "f32" and math.isfinite(number) and abs(number) > 3.4028234663852886e38:
            raise ConfigError(f"{where}: {text} is too large for f32")
        return number
    if valtype == "v128":
        digits = text.lower().removeprefix("0x").replace("_", "")
        if len(digits) != 32:
            raise ConfigError(f"{where}: expected 32 hex digits (16 bytes), got {len(digits)}")
        try:
            return int(digits, 16)
        except ValueError:
            raise ConfigError(f"{where}: {text!r} is not hexadecimal") from None
    raise ConfigError(f"{where}: this playground cannot pass {valtype} values from text")


def parse_args(params: Sequence[str], results: Sequence[str], name: str, args: list[str]) -> list[object]:
    if len(args) != len(params):
        raise ConfigError(
            f"{name} takes {len(params)} argument{'s' * (len(params) != 1)} "
            f"{signature(params, results)}, but {len(args)} {'was' if len(args) == 1 else 'were'} given"
        )
    return [parse_arg(text, ty, i + 1) for i, (text, ty) in enumerate(zip(args, params, strict=True))]


def render_result(value: object, valtype: str) -> object:
    """A result as JSON-friendly data: ints stay ints, non-finite floats become text, v128 hex."""
    if valtype == "v128" and isinstance(value, int):
        return f"0x{value:032x}"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if valtype == "f32" and isinstance(value, float):
        return struct.unpack("<f", struct.pack("<f", value))[0]
    return value


def results_list(values: Sequence[object], results: Sequence[str]) -> list[object]:
    return [render_result(v, t) for v, t in zip(values, results, strict=False)]
