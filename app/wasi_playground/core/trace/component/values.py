"""Recorded component values as WAVE-style text, read according to the function's own types.

wasmtime-py hands variant, option and result values back untagged when their cases hold values of
different Python classes (`result<u64, error-code>` gives `5` or `"access"`), so the case is found from
the type by the same rule wasmtime-py applies. Handles arrive as plain numbers (the recorder sees every
resource as u32) and print as `type#handle`. Long strings and lists print as a length and a preview.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from wasi_playground.core.components.wave_print import format_float
from wasi_playground.core.trace.component.model import Ty

PREVIEW_BYTES = 32
PREVIEW_ITEMS = 8
PREVIEW_CHARS = 200
_CLASSES = {"bool": bool, "f32": float, "f64": float, "char": str, "string": str, "enum": str,
            "flags": set, "tuple": tuple}


@lru_cache(maxsize=4096)
def _classes(ty: Ty | None) -> frozenset[type]:
    if ty is None:
        return frozenset({object})
    if ty.kind in _CLASSES:
        return frozenset({_CLASSES[ty.kind]})
    if ty.kind == "list":
        return frozenset({bytes if ty.element.kind == "u8" else list})
    if ty.kind == "record":
        from wasmtime.component import Record

        return frozenset({Record})
    if ty.kind in ("variant", "option", "result"):
        if tagged(ty):
            from wasmtime.component import Variant

            return frozenset({Variant})
        return frozenset().union(*(_classes(t) for _, t in ty.items))
    return frozenset({int})


@lru_cache(maxsize=4096)
def tagged(ty: Ty) -> bool:
    seen: set[type] = set()
    for _, case in ty.items:
        classes = _classes(case)
        if classes & seen:
            return True
        seen |= classes
    return False


def case_of(ty: Ty, value: Any) -> tuple[str, Ty | None, Any]:
    """(case name, its payload type, the payload) of a variant, option or result value."""
    if tagged(ty):
        tag = getattr(value, "tag", None)
        for name, case in ty.items:
            if name == tag:
                return name, case, getattr(value, "payload", None)
        return "?", None, value
    if value is None:
        for name, case in ty.items:
            if case is None:
                return name, None, None
    for exact in (True, False):
        for name, case in ty.items:
            if case is None:
                continue
            classes = tuple(_classes(case))
            if (type(value) in classes) if exact else isinstance(value, classes):
                return name, case, value
    return "?", None, value


def wave(value: Any, ty: Ty | None) -> str:
    if ty is None:
        return "_"
    kind = ty.kind
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("f32", "f64"):
        return format_float(float(value), kind == "f32")
    if kind in ("string", "char"):
        return _quoted(str(value), "'" if kind == "char" else '"')
    if kind in ("own", "borrow"):
        return f"{ty.resource.rsplit('#', 1)[-1]}#{value}"
    if kind == "list":
        return _list(value, ty.element)
    if kind == "tuple":
        return "(" + ", ".join(wave(v, t) for v, (_, t) in zip(value, ty.items, strict=False)) + ")"
    if kind == "record":
        return "{" + ", ".join(f"{n}: {wave(getattr(value, n, None), t)}"
                               for n, t in ty.items) + "}"
    if kind == "flags":
        return "{" + ", ".join(n for n, _ in ty.items if n in value) + "}"
    if kind == "enum":
        return str(value)
    if kind in ("variant", "option", "result"):
        name, case, payload = case_of(ty, value)
        return name if case is None else f"{name}({wave(payload, case)})"
    return str(value)


def _quoted(text: str, quote: str) -> str:
    cut = text[:PREVIEW_CHARS]
    body = cut.encode("unicode_escape").decode("ascii").replace(quote, "\\" + quote)
    return quote + body + quote + (f"… ({len(text)} chars)" if len(text) > PREVIEW_CHARS else "")


def _list(value: Any, element: Ty) -> str:
    if isinstance(value, bytes | bytearray):
        length = getattr(value, "length", len(value))
        preview = bytes(value[:PREVIEW_BYTES])
        text = preview.decode("utf-8", errors="replace") if _printable(preview) else preview.hex(" ")
        more = "…" if length > PREVIEW_BYTES else ""
        unit = "byte" if length == 1 else "bytes"
        return f"<{length} {unit}: {text!r}{more}>" if length else "<0 bytes>"
    items = [wave(v, element) for v in value[:PREVIEW_ITEMS]]
    if len(value) > PREVIEW_ITEMS:
        items.append(f"… {len(value)} items")
    return "[" + ", ".join(items) + "]"


def _printable(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\n\r\t" for c in text)


def byte_count(value: Any, ty: Ty | None) -> int | None:
    """Bytes carried by a value: the length of a list<u8> in it, looking through ok/some cases."""
    if ty is None:
        return None
    if ty.kind == "list" and ty.element.kind == "u8":
        return getattr(value, "length", len(value))
    if ty.kind in ("option", "result"):
        _, case, payload = case_of(ty, value)
        return byte_count(payload, case)
    return None
