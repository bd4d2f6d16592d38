"""WAT notation pieces shared by the function printer: identifiers, floats, memargs, signatures, locals."""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping

from wasi_playground.core.binary.types import FuncType

_ID = re.compile(r"[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+\Z")


def wat_id(name: str | None) -> str | None:
    """`$name`, or `$"..."` (a quoted identifier) when the name has characters plain identifiers lack."""
    if not name:
        return None
    if _ID.match(name):
        return "$" + name
    return '$"' + "".join(_quoted_char(c) for c in name) + '"'


def _quoted_char(c: str) -> str:
    if c == '"' or c == "\\":
        return "\\" + c
    if " " <= c <= "~" or ord(c) > 0x7F and c.isprintable():
        return c
    return f"\\u{{{ord(c):x}}}"


def comment(name: str) -> str:
    return " (;" + name.replace(";)", "; )").replace("(;", "( ;") + ";)"


def name_ref(index: int, names: Mapping[int, str]) -> str:
    name = names.get(index)
    ident = wat_id(name)
    if ident:
        return ident
    return f"{index}{comment(name)}" if name else str(index)


def float_text(value: float, raw: bytes) -> str:
    """Shortest decimal that gives back the same bits; `nan:0x...` with the payload for NaNs."""
    if value != value:
        if len(raw) == 4:
            bits = struct.unpack("<I", raw)[0]
            sign, payload = bits >> 31, bits & 0x7FFFFF
        else:
            bits = struct.unpack("<Q", raw)[0]
            sign, payload = bits >> 63, bits & 0xFFFFFFFFFFFFF
        return ("-" if sign else "") + f"nan:0x{payload:x}"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if len(raw) == 8:
        text = repr(value)
    else:
        fmt = "<f"
        text = repr(value)
        for digits in range(6, 10):
            candidate = f"{value:.{digits}g}"
            if struct.pack(fmt, float(candidate)) == raw:
                text = candidate
                break
    if value == 0 and raw[-1] & 0x80:
        return "-0.0" if not text.startswith("-") else text
    return text if any(c in text for c in ".en") else text + ".0"


def memarg_text(mem: int, align: int, offset: int, natural: int) -> str:
    parts = []
    if mem:
        parts.append(str(mem))
    if offset:
        parts.append(f"offset={offset}")
    if align != natural:
        parts.append(f"align={1 << align}")
    return (" " + " ".join(parts)) if parts else ""


def ref_type(nullable: bool, heap: str) -> str:
    return f"(ref null {heap})" if nullable else f"(ref {heap})"


def signature_text(ftype: FuncType | None, local_names: Mapping[int, str]) -> str:
    if ftype is None:
        return ""
    parts = []
    for i, t in enumerate(ftype.params):
        ident = wat_id(local_names.get(i))
        parts.append(f" (param {ident} {t})" if ident else f" (param {t})")
    if ftype.results:
        parts.append(f" (result {' '.join(ftype.results)})")
    return "".join(parts)


def locals_text(runs: list[tuple[int, str]], first: int, local_names: Mapping[int, str]) -> str:
    pieces = []
    index = first
    anonymous: list[str] = []
    for count, vtype in runs:
        for _ in range(count):
            ident = wat_id(local_names.get(index))
            if ident:
                if anonymous:
                    pieces.append(f"(local {' '.join(anonymous)})")
                    anonymous = []
                pieces.append(f"(local {ident} {vtype})")
            else:
                anonymous.append(vtype)
            index += 1
    if anonymous:
        pieces.append(f"(local {' '.join(anonymous)})")
    return " ".join(pieces)
