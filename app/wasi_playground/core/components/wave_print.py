"""WAVE text for component values, written according to the value's type (the inverse of `wave.parse_value`).

Values print the way wasmtime's CLI prints them: strings and chars quoted with escapes, records as
`{name: value}`, flags as `{a, b}`, case names that are also keywords escaped with `%`, floats as the
shortest text that reads back to the same f32/f64. Variant, option and result cases are found from the
type, because wasmtime-py hands some of them back untagged.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

from wasmtime import component as wc

from wasi_playground.core.components.types import INT_RANGES, case_of

KEYWORDS = {"true", "false", "some", "none", "ok", "err", "inf", "nan"}


def format_value(value: Any, ty: Any, name_resource: Callable[[Any], str] | None = None) -> str:
    """WAVE text for a Python value of type `ty` (the inverse of `parse_value`)."""
    if isinstance(ty, _SCALAR_KINDS) or type(ty) in INT_RANGES:
        return _format_scalar(value, ty)
    if isinstance(ty, wc.OwnType | wc.BorrowType):
        return name_resource(value) if name_resource is not None else "#resource"
    return _format_compound(value, ty, name_resource)


_SCALAR_KINDS = (wc.Bool, wc.F32, wc.F64, wc.Char, wc.String)


def _format_scalar(value: Any, ty: Any) -> str:
    if isinstance(ty, wc.Bool):
        return "true" if value else "false"
    if type(ty) in INT_RANGES:
        return str(int(value))
    if isinstance(ty, wc.F32 | wc.F64):
        return format_float(float(value), isinstance(ty, wc.F32))
    if isinstance(ty, wc.Char):
        return "'" + _escape(value, "'") + "'"
    return '"' + _escape(value, '"') + '"'


def _format_compound(value: Any, ty: Any, name_resource: Callable[[Any], str] | None) -> str:
    if isinstance(ty, wc.ListType):
        return "[" + ", ".join(format_value(v, ty.element, name_resource) for v in value) + "]"
    if isinstance(ty, wc.TupleType):
        return "(" + ", ".join(format_value(v, t, name_resource) for v, t in zip(value, ty.elements,
                                                                              strict=False)) + ")"
    if isinstance(ty, wc.RecordType):
        fields = ty.fields
        if not fields:
            return "{:}"
        return "{" + ", ".join(f"{_label(n)}: {format_value(getattr(value, n), t, name_resource)}"
                               for n, t in fields) + "}"
    if isinstance(ty, wc.FlagsType):
        return "{" + ", ".join(_label(n) for n in ty.names if n in value) + "}"
    if isinstance(ty, wc.EnumType):
        return _label(value)
    if isinstance(ty, wc.OptionType | wc.ResultType | wc.VariantType):
        name, case_ty, payload = case_of(ty, value)
        keyword_case = isinstance(ty, wc.OptionType | wc.ResultType)
        label = name if keyword_case else _label(name)
        if case_ty is None:
            return label
        return f"{label}({format_value(payload, case_ty, name_resource)})"
    return repr(value)


def _label(name: str) -> str:
    return f"%{name}" if name in KEYWORDS else name


def _escape(text: str, quote: str) -> str:
    out = []
    for c in text:
        if c == "\\" or c == quote:
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return "".join(out)


def format_float(value: float, single: bool) -> str:
    """The shortest text that reads back as the same f32/f64 (`nan`, `inf`, `-inf` by name)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if not single:
        text = repr(value)
    else:
        target = struct.pack("<f", value)
        text = repr(value)
        for digits in range(1, 10):
            candidate = f"{value:.{digits}g}"
            try:
                same = struct.pack("<f", float(candidate)) == target
            except OverflowError:  # rounding near the f32 maximum can step past it
                continue
            if same:
                text = candidate
                break
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text if "." in text or "n" in text else text + ".0"
