"""The interposer's own picture of component value types: small, hashable and JSON-serialisable.

wasmtime's type objects are live handles that cannot be cached or compared across engines; the
generator, the cache and the event formatter need plain data. `Ty` is structural (two records with the
same fields are equal), which is what the component model's value types are, except resources: those
are named by a key, "<interface>#<name>" of the interface that defines them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PRIMITIVE_KINDS = ("bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char",
                   "string")
NAMED_KINDS = ("record", "variant", "enum", "flags")
CASE_KINDS = ("variant", "option", "result")


@dataclass(frozen=True, slots=True)
class Ty:
    kind: str
    items: tuple[tuple[str, Ty | None], ...] = ()
    """Record fields, variant/option/result cases, tuple elements (name ""), enum and flags names
    (type None), the list element (name "")."""
    resource: str = ""
    """For own/borrow: the resource's key."""

    @property
    def element(self) -> Ty:
        ty = self.items[0][1]
        assert ty is not None
        return ty

    def to_json(self) -> Any:
        if not self.items and not self.resource:
            return self.kind
        items = [[n, t.to_json() if t is not None else None] for n, t in self.items]
        return [self.kind, self.resource, items]

    @staticmethod
    def from_json(data: Any) -> Ty:
        if isinstance(data, str):
            return Ty(data)
        kind, resource, items = data
        return Ty(kind, tuple((n, Ty.from_json(t) if t is not None else None) for n, t in items), resource)

    def without_resources(self) -> Ty:
        """The same type with every own/borrow replaced by u32: the recorder sees handles as numbers."""
        if self.kind in ("own", "borrow"):
            return Ty("u32")
        if not self.items:
            return self
        return Ty(self.kind, tuple((n, t.without_resources() if t is not None else None)
                                   for n, t in self.items))

    def has_resources(self) -> bool:
        if self.kind in ("own", "borrow"):
            return True
        return any(t is not None and t.has_resources() for _, t in self.items)


def option(payload: Ty) -> Ty:
    return Ty("option", (("none", None), ("some", payload)))


class Unsupported(ValueError):
    """A type the interposer cannot pass through (futures, streams, error-context)."""


def from_wasmtime(ty: Any, resources: list[tuple[str, Any]]) -> Ty:
    """Convert a wasmtime component value type; `resources` lists (key, ResourceType) known so far."""
    from wasmtime import component as wc

    name = type(ty).__name__.lower()
    if name in PRIMITIVE_KINDS:
        return Ty(name)
    if isinstance(ty, wc.ListType):
        return Ty("list", (("", from_wasmtime(ty.element, resources)),))
    if isinstance(ty, wc.TupleType):
        return Ty("tuple", tuple(("", from_wasmtime(e, resources)) for e in ty.elements))
    if isinstance(ty, wc.RecordType):
        return Ty("record", tuple((n, from_wasmtime(t, resources)) for n, t in ty.fields))
    if isinstance(ty, wc.VariantType):
        return Ty("variant", tuple((n, _maybe(t, resources)) for n, t in ty.cases))
    if isinstance(ty, wc.EnumType):
        return Ty("enum", tuple((n, None) for n in ty.names))
    if isinstance(ty, wc.FlagsType):
        return Ty("flags", tuple((n, None) for n in ty.names))
    if isinstance(ty, wc.OptionType):
        return option(from_wasmtime(ty.payload, resources))
    if isinstance(ty, wc.ResultType):
        return Ty("result", (("ok", _maybe(ty.ok, resources)), ("err", _maybe(ty.err, resources))))
    if isinstance(ty, wc.OwnType | wc.BorrowType):
        return Ty("own" if isinstance(ty, wc.OwnType) else "borrow", (), resource_key(ty.ty, resources))
    raise Unsupported(f"values of kind {type(ty).__name__} cannot pass through the trace recorder")


def _maybe(ty: Any, resources: list[tuple[str, Any]]) -> Ty | None:
    return None if ty is None else from_wasmtime(ty, resources)


def resource_key(resource: Any, resources: list[tuple[str, Any]]) -> str:
    for key, known in resources:
        try:
            if known == resource:
                return key
        except Exception:  # a type of another engine
            continue
    raise Unsupported("a resource type that no imported interface defines")
