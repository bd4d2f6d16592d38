"""Component value types as WIT-like text, and the questions every other part asks about them.

wasmtime's component types are structural objects without names, but an interface exports its named
types (records, variants, enums, flags, resources) as items, so a `TypeNames` built from those items lets
`render_type` print `point` instead of spelling the record out. `case_of` answers which case a Python value
of a variant, option or result is: wasmtime-py returns these untagged when the case types differ
(`result<s32, string>` gives `3` or `"division by zero"`), so the case is found from the type, not the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wasmtime import component as wc

PRIMITIVES: dict[type, str] = {
    wc.Bool: "bool", wc.S8: "s8", wc.S16: "s16", wc.S32: "s32", wc.S64: "s64",
    wc.U8: "u8", wc.U16: "u16", wc.U32: "u32", wc.U64: "u64",
    wc.F32: "f32", wc.F64: "f64", wc.Char: "char", wc.String: "string", wc.ErrorContext: "error-context",
}

INT_RANGES: dict[type, tuple[int, int]] = {
    wc.S8: (-(1 << 7), (1 << 7) - 1),
    wc.S16: (-(1 << 15), (1 << 15) - 1),
    wc.S32: (-(1 << 31), (1 << 31) - 1),
    wc.S64: (-(1 << 63), (1 << 63) - 1),
    wc.U8: (0, (1 << 8) - 1),
    wc.U16: (0, (1 << 16) - 1),
    wc.U32: (0, (1 << 32) - 1),
    wc.U64: (0, (1 << 64) - 1),
}

NAMED_KINDS = (wc.RecordType, wc.VariantType, wc.EnumType, wc.FlagsType)
VARIANT_LIKE = (wc.VariantType, wc.OptionType, wc.ResultType)


@dataclass
class TypeNames:
    """Named types known while rendering: (name, type) pairs, searched local interface first."""

    local: list[tuple[str, Any]] = field(default_factory=list)
    shared: list[tuple[str, Any]] = field(default_factory=list)

    def name_of(self, ty: Any) -> str | None:
        for name, known in (*self.local, *self.shared):
            try:
                if type(known) is type(ty) and known == ty:
                    return name
            except Exception:  # comparing types of another store or a deleted pointer
                continue
        return None

    def resource_name(self, resource: Any) -> str | None:
        for name, known in (*self.local, *self.shared):
            if isinstance(known, wc.ResourceType):
                try:
                    if known == resource:
                        return name
                except Exception:
                    continue
        return None


def kind_name(ty: Any) -> str:
    """One word for the kind of a type: "string", "record", "option", "own"..."""
    if type(ty) in PRIMITIVES:
        return PRIMITIVES[type(ty)]
    return {
        wc.ListType: "list",
        wc.RecordType: "record",
        wc.TupleType: "tuple",
        wc.VariantType: "variant",
        wc.EnumType: "enum",
        wc.OptionType: "option",
        wc.ResultType: "result",
        wc.FlagsType: "flags",
        wc.OwnType: "own",
        wc.BorrowType: "borrow",
        wc.FutureType: "future",
        wc.StreamType: "stream",
    }.get(type(ty), type(ty).__name__)


def render_type(ty: Any, names: TypeNames | None = None, *, expand: bool = False) -> str:
    """WIT spelling of a type; named compound types print as their name unless `expand`."""
    names = names or TypeNames()
    if ty is None:
        return "_"
    if type(ty) in PRIMITIVES:
        return PRIMITIVES[type(ty)]
    if not expand and isinstance(ty, NAMED_KINDS):
        name = names.name_of(ty)
        if name is not None:
            return name
    if isinstance(ty, _DECLARED_KINDS):
        return _render_declared(ty, names)
    return _render_generic(ty, names)


_DECLARED_KINDS = (wc.RecordType, wc.VariantType, wc.EnumType, wc.FlagsType, wc.OwnType, wc.BorrowType)


def _render_generic(ty: Any, names: TypeNames) -> str:
    """The parameterised types: list, tuple, option, result, future, stream (and unknown kinds by name)."""
    if isinstance(ty, wc.ListType):
        return f"list<{render_type(ty.element, names)}>"
    if isinstance(ty, wc.TupleType):
        return f"tuple<{', '.join(render_type(e, names) for e in ty.elements)}>"
    if isinstance(ty, wc.OptionType):
        return f"option<{render_type(ty.payload, names)}>"
    if isinstance(ty, wc.ResultType):
        ok, err = ty.ok, ty.err
        if ok is None and err is None:
            return "result"
        if err is None:
            return f"result<{render_type(ok, names)}>"
        return f"result<{render_type(ok, names)}, {render_type(err, names)}>"
    if isinstance(ty, wc.FutureType | wc.StreamType):
        return f"{kind_name(ty)}<{render_type(ty.payload, names)}>"
    return kind_name(ty)


def _render_declared(ty: Any, names: TypeNames) -> str:
    """The types a WIT file declares (record, variant, enum, flags) and handles to resources, spelled out."""
    if isinstance(ty, wc.RecordType):
        return "record { " + ", ".join(f"{n}: {render_type(t, names)}" for n, t in ty.fields) + " }"
    if isinstance(ty, wc.VariantType):
        cases = (n if t is None else f"{n}({render_type(t, names)})" for n, t in ty.cases)
        return "variant { " + ", ".join(cases) + " }"
    if isinstance(ty, wc.EnumType):
        return "enum { " + ", ".join(ty.names) + " }"
    if isinstance(ty, wc.FlagsType):
        return "flags { " + ", ".join(ty.names) + " }"
    if isinstance(ty, wc.OwnType | wc.BorrowType):
        resource = names.resource_name(ty.ty) or "resource"
        return resource if isinstance(ty, wc.OwnType) else f"borrow<{resource}>"
    return kind_name(ty)


def python_classes(ty: Any) -> set[type]:
    """The Python classes wasmtime-py uses for values of `ty` (its own `add_classes` answer)."""
    classes: set[type] = set()
    if ty is None:
        classes.add(object)
    else:
        ty.add_classes(classes)
    return classes


def variant_cases(ty: Any) -> list[tuple[str, Any]]:
    if isinstance(ty, wc.OptionType):
        return [("none", None), ("some", ty.payload)]
    if isinstance(ty, wc.ResultType):
        return [("ok", ty.ok), ("err", ty.err)]
    return list(ty.cases)


def is_tagged(ty: Any) -> bool:
    """Whether wasmtime-py wants `Variant(tag, payload)` for this type, by the rule it applies itself:
    tagged when two cases share a Python class, else the bare payload (None for a case without one)."""
    seen: set[type] = set()
    for _, case_ty in variant_cases(ty):
        classes = python_classes(case_ty)
        if classes & seen:
            return True
        seen |= classes
    return False


def case_of(ty: Any, value: Any) -> tuple[str, Any, Any]:
    """(case name, case payload type, payload) of a Python value of a variant, option or result type."""
    cases = variant_cases(ty)
    if is_tagged(ty):
        if not isinstance(value, wc.Variant):
            raise TypeError(f"expected a tagged Variant for {kind_name(ty)}, got {type(value).__name__}")
        for name, case_ty in cases:
            if name == value.tag:
                return name, case_ty, value.payload
        raise TypeError(f"unknown case {value.tag!r}")
    if value is None:
        for name, case_ty in cases:
            if case_ty is None:
                return name, None, None
    exact = [(n, t) for n, t in cases if t is not None and type(value) in python_classes(t)]
    loose = [(n, t) for n, t in cases if t is not None and isinstance(value, tuple(python_classes(t)))]
    for name, case_ty in exact or loose:
        return name, case_ty, value
    raise TypeError(f"value {value!r} matches no case of {kind_name(ty)}")


def make_case(ty: Any, name: str, payload: Any) -> Any:
    """The Python value wasmtime-py accepts for case `name` of a variant, option or result."""
    return wc.Variant(name, payload) if is_tagged(ty) else payload
