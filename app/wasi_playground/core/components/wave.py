"""WAVE-like text for component values, read and written according to the value's type.

The syntax follows the WebAssembly Value Encoding that wasmtime's own CLI accepts: `"hello"`, `'x'`,
`[1, 2]`, `{a: 1, b: "x"}` (records; option fields may be left out), `(1, "a")` (tuples), `red` or `%red`
(enum cases; `%` escapes a name that is also a keyword), `circle(2.5)` (variant cases), `some(3)`/`none`,
`ok(1)`/`err("x")`, `{read, write}` (flags), `true`, `nan`, `-inf`. Integers also accept `0x` hex and `_`.
Resources cannot be written as values; a call session names the handles it holds `counter#1`, and a
`resolve_resource` callback turns such a name back into the handle.

Parsing is driven by the type, so a mistake is reported where it happens ("expected a string at 5").
Values are the Python objects wasmtime-py passes to and returns from component functions.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from typing import Any

from wasmtime import component as wc

from wasi_playground.core.components.types import (
    INT_RANGES,
    kind_name,
    make_case,
    render_type,
    variant_cases,
)
from wasi_playground.core.components.wave_print import format_float, format_value

__all__ = ["WaveError", "format_float", "format_value", "parse_value"]

_LABEL = re.compile(r"%?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_INT = re.compile(r"[-+]?(?:0[xX][0-9A-Fa-f_]+|[0-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(?:inf|nan|(?:[0-9][0-9_]*)(?:\.[0-9_]+)?(?:[eE][-+]?[0-9]+)?)")
_RESOURCE = re.compile(r"(?:[A-Za-z][A-Za-z0-9-]*)?#[0-9]+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0"}

ResourceResolver = Callable[[str, Any], Any]


class WaveError(ValueError):
    """Text that is not a value of the expected type; `position` is the 0-based character offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


def parse_value(text: str, ty: Any, resolve_resource: ResourceResolver | None = None) -> Any:
    """The Python value (as wasmtime-py wants it) that `text` spells for type `ty`."""
    parser = _Parser(text, resolve_resource)
    value = parser.value(ty)
    parser.skip_space()
    if parser.pos != len(text):
        raise WaveError(f"unexpected {text[parser.pos:parser.pos + 12]!r} after the value", parser.pos)
    return value


_SCALAR_KINDS = (wc.Bool, wc.F32, wc.F64, wc.Char, wc.String)


class _Parser:
    def __init__(self, text: str, resolve_resource: ResourceResolver | None) -> None:
        self.text = text
        self.pos = 0
        self.resolve_resource = resolve_resource
        self.depth = 0

    def fail(self, message: str, at: int | None = None) -> WaveError:
        return WaveError(message, self.pos if at is None else at)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end"
            raise self.fail(f"expected {char!r}, found {found}")
        self.pos += 1

    def accept(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def match(self, pattern: re.Pattern[str]) -> str | None:
        self.skip_space()
        m = pattern.match(self.text, self.pos)
        if m is None:
            return None
        self.pos = m.end()
        return m.group(0)

    def label(self, what: str) -> tuple[str, int]:
        start = self.pos
        word = self.match(_LABEL)
        if word is None:
            raise self.fail(f"expected {what}")
        return word.removeprefix("%"), start

    def value(self, ty: Any) -> Any:
        self.depth += 1
        if self.depth > 200:
            raise self.fail("value nested too deeply")
        try:
            return self._value(ty)
        finally:
            self.depth -= 1

    def _value(self, ty: Any) -> Any:
        self.skip_space()
        start = self.pos
        if isinstance(ty, _SCALAR_KINDS) or type(ty) in INT_RANGES:
            return self._scalar(ty, start)
        return self._compound(ty, start)

    def _scalar(self, ty: Any, start: int) -> Any:
        if isinstance(ty, wc.Bool):
            word = self.match(_LABEL)
            if word not in ("true", "false"):
                raise self.fail("expected true or false", start)
            return word == "true"
        if type(ty) in INT_RANGES:
            return self.integer(ty, start)
        if isinstance(ty, wc.F32 | wc.F64):
            return self.float(ty, start)
        if isinstance(ty, wc.Char):
            return self.char()
        return self.string()

    def _compound(self, ty: Any, start: int) -> Any:
        if isinstance(ty, wc.ListType):
            items = self.sequence("[", "]", lambda _i: self.value(ty.element))
            return bytes(items) if isinstance(ty.element, wc.U8) else items
        if isinstance(ty, wc.TupleType):
            elements = ty.elements
            items = self.sequence("(", ")", lambda i: self.value(elements[i]) if i < len(elements) else
                                  self._too_many(len(elements)))
            if len(items) != len(elements):
                raise self.fail(f"expected a tuple of {len(elements)}, got {len(items)}", start)
            return tuple(items)
        if isinstance(ty, wc.RecordType):
            return self.record(ty, start)
        if isinstance(ty, wc.FlagsType):
            return self.flags(ty)
        if isinstance(ty, wc.EnumType):
            name, at = self.label("an enum case")
            if name not in ty.names:
                raise self.fail(f"{name!r} is not a case of this enum (cases: {', '.join(ty.names)})", at)
            return name
        if isinstance(ty, wc.OptionType | wc.ResultType | wc.VariantType):
            return self.variant(ty, start)
        if isinstance(ty, wc.OwnType | wc.BorrowType):
            return self.resource(ty, start)
        raise self.fail(f"values of type {kind_name(ty)} cannot be written as text")

    def _too_many(self, count: int) -> Any:
        raise self.fail(f"too many elements: the tuple has {count}")

    def sequence(self, open_: str, close: str, item: Callable[[int], Any]) -> list[Any]:
        self.expect(open_)
        items: list[Any] = []
        while not self.accept(close):
            if items:
                self.expect(",")
                if self.accept(close):
                    break
            items.append(item(len(items)))
        return items

    def integer(self, ty: Any, start: int) -> int:
        token = self.match(_INT)
        if token is None:
            raise self.fail(f"expected an integer ({kind_name(ty)})", start)
        if self.pos < len(self.text) and (self.text[self.pos] in ".eE" or self.text[self.pos].isalnum()):
            raise self.fail(f"expected an integer ({kind_name(ty)})", start)
        value = int(token.replace("_", ""), 0)
        low, high = INT_RANGES[type(ty)]
        if not low <= value <= high:
            raise self.fail(f"{token} is out of range for {kind_name(ty)} ({low}..{high})", start)
        return value

    def float(self, ty: Any, start: int) -> float:
        token = self.match(_FLOAT)
        if token is None or (self.pos < len(self.text) and self.text[self.pos].isalnum()):
            raise self.fail(f"expected a number ({kind_name(ty)})", start)
        value = float(token.replace("_", ""))
        if isinstance(ty, wc.F32) and math.isfinite(value):
            if abs(value) > 3.4028235677973366e38:
                raise self.fail(f"{token} is too large for f32", start)
            value = struct.unpack("<f", struct.pack("<f", value))[0]
        return value

    def escaped(self, quote: str) -> str:
        """One character of a quoted literal (after the opening quote), escapes decoded."""
        if self.pos >= len(self.text):
            raise self.fail("unterminated string literal" if quote == '"' else "unterminated char literal")
        c = self.text[self.pos]
        self.pos += 1
        if c != "\\":
            if c in "\n\r" and quote == "'":
                raise self.fail("a char literal cannot hold a line break", self.pos - 1)
            return c
        at = self.pos - 1
        e = self.text[self.pos] if self.pos < len(self.text) else ""
        self.pos += 1
        if e in _ESCAPES:
            return _ESCAPES[e]
        if e == "u" and self.text.startswith("{", self.pos):
            end = self.text.find("}", self.pos)
            digits = self.text[self.pos + 1:end] if end > 0 else ""
            try:
                code = int(digits, 16)
                char = chr(code)
            except (ValueError, OverflowError):
                raise self.fail(f"bad unicode escape \\u{{{digits}}}", at) from None
            if 0xD800 <= code <= 0xDFFF:
                raise self.fail("a surrogate is not a unicode scalar value", at)
            self.pos = end + 1
            return char
        raise self.fail(f"unknown escape \\{e}", at)

    def string(self) -> str:
        self.expect('"')
        out: list[str] = []
        while True:
            if self.pos < len(self.text) and self.text[self.pos] == '"':
                self.pos += 1
                return "".join(out)
            out.append(self.escaped('"'))

    def char(self) -> str:
        start = self.pos
        self.expect("'")
        if self.pos < len(self.text) and self.text[self.pos] == "'":
            raise self.fail("empty char literal", start)
        c = self.escaped("'")
        if self.pos >= len(self.text) or self.text[self.pos] != "'":
            raise self.fail("a char literal holds exactly one character", start)
        self.pos += 1
        if 0xD800 <= ord(c) <= 0xDFFF:
            raise self.fail("a surrogate is not a unicode scalar value", start)
        return c

    def record(self, ty: wc.RecordType, start: int) -> wc.Record:
        fields = dict(ty.fields)
        given: dict[str, Any] = {}
        self.expect("{")
        if self.accept(":"):
            self.expect("}")
        else:
            while not self.accept("}"):
                if given:
                    self.expect(",")
                    if self.accept("}"):
                        break
                name, at = self.label("a field name")
                if name not in fields:
                    raise self.fail(f"the record has no field {name!r} (fields: {', '.join(fields)})", at)
                if name in given:
                    raise self.fail(f"field {name!r} is given twice", at)
                self.expect(":")
                given[name] = self.value(fields[name])
        record = wc.Record()
        for name, field_ty in fields.items():
            if name in given:
                setattr(record, name, given[name])
            elif isinstance(field_ty, wc.OptionType):
                setattr(record, name, make_case(field_ty, "none", None))
            else:
                raise self.fail(f"the record needs field {name!r}", start)
        return record

    def flags(self, ty: wc.FlagsType) -> set[str]:
        names = ty.names
        chosen: set[str] = set()
        self.expect("{")
        while not self.accept("}"):
            if chosen:
                self.expect(",")
                if self.accept("}"):
                    break
            name, at = self.label("a flag name")
            if name not in names:
                raise self.fail(f"{name!r} is not one of these flags ({', '.join(names)})", at)
            chosen.add(name)
        return chosen

    def variant(self, ty: Any, start: int) -> Any:
        cases = dict(variant_cases(ty))
        word = self.match(_LABEL) or ""
        name = word.removeprefix("%")
        if not name or name not in cases or (isinstance(ty, wc.OptionType) and word.startswith("%")):
            if isinstance(ty, wc.OptionType) and not isinstance(ty.payload, wc.OptionType):
                self.pos = start
                return make_case(ty, "some", self.value(ty.payload))
            raise self.fail(f"expected one of {', '.join(cases)}", start)
        case_ty = cases[name]
        if case_ty is None:
            if self.peek() == "(":
                raise self.fail(f"case {name} takes no payload")
            return make_case(ty, name, None)
        if self.peek() != "(":
            raise self.fail(f"case {name} needs a payload: {name}({render_type(case_ty)})")
        self.expect("(")
        payload = self.value(case_ty)
        self.expect(")")
        return make_case(ty, name, payload)

    def resource(self, ty: Any, start: int) -> Any:
        token = self.match(_RESOURCE)
        if token is None:
            raise self.fail("expected a resource handle such as counter#1", start)
        if self.resolve_resource is None:
            raise self.fail("resource handles exist only inside a call session", start)
        try:
            return self.resolve_resource(token, ty)
        except LookupError as e:
            raise self.fail(str(e).strip("'\""), start) from None
