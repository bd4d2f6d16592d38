"""Value, reference, limit and type encodings of core WebAssembly, rendered in WAT notation.

Kept apart from `module_info` so the section readers stay short and the GC proposal's richer types (rec
groups, structs, arrays, typed references) are read and shown rather than rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from wasi_playground.core.binary.reader import Reader

NUMERIC_TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128"}
PACKED_TYPES = {0x78: "i8", 0x77: "i16"}
ABSTRACT_HEAP_TYPES = {
    0x70: "func", 0x6F: "extern", 0x6E: "any", 0x6D: "eq", 0x6C: "i31", 0x6B: "struct", 0x6A: "array",
    0x69: "exn", 0x74: "noexn", 0x73: "nofunc", 0x72: "noextern", 0x71: "none",
}
SHORTHAND_REFS = {code: f"{name}ref" for code, name in ABSTRACT_HEAP_TYPES.items()}
SHORTHAND_REFS[0x73] = "nullfuncref"
SHORTHAND_REFS[0x72] = "nullexternref"
SHORTHAND_REFS[0x71] = "nullref"
SHORTHAND_REFS[0x74] = "nullexnref"


def heap_type(r: Reader) -> str:
    """A heap type: an abstract one (one byte) or a type index (positive s33)."""
    first = r.peek_u8()
    if first in ABSTRACT_HEAP_TYPES:
        r.pos += 1
        return ABSTRACT_HEAP_TYPES[first]
    at = r.pos
    idx = r.s33()
    if idx < 0:
        raise r.fail(f"unknown heap type 0x{first:02x}", at)
    return str(idx)


def value_type(r: Reader) -> str:
    at = r.pos
    code = r.u8()
    if code in NUMERIC_TYPES:
        return NUMERIC_TYPES[code]
    if code in SHORTHAND_REFS:
        return SHORTHAND_REFS[code]
    if code in (0x63, 0x64):
        ht = heap_type(r)
        return f"(ref null {ht})" if code == 0x63 else f"(ref {ht})"
    raise r.fail(f"unknown value type 0x{code:02x}", at)


def storage_type(r: Reader) -> str:
    code = r.peek_u8()
    if code in PACKED_TYPES:
        r.pos += 1
        return PACKED_TYPES[code]
    return value_type(r)


@dataclass(frozen=True, slots=True)
class FuncType:
    params: tuple[str, ...]
    results: tuple[str, ...]

    @property
    def wat(self) -> str:
        return f"(func{self.signature})"

    @property
    def signature(self) -> str:
        """The part after the keyword: ` (param i32) (result i32)`, or empty."""
        parts = []
        if self.params:
            parts.append(f" (param {' '.join(self.params)})")
        if self.results:
            parts.append(f" (result {' '.join(self.results)})")
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class TypeDef:
    """One entry of the type section; `func` is set for function types only."""

    kind: str
    wat: str
    func: FuncType | None = None


def _field(r: Reader) -> str:
    storage = storage_type(r)
    mut = r.u8()
    if mut > 1:
        raise r.fail(f"invalid mutability flag {mut}", r.pos - 1)
    return f"(mut {storage})" if mut else storage


def composite_type(r: Reader) -> TypeDef:
    at = r.pos
    form = r.u8()
    if form == 0x60:
        params = tuple(r.vec(value_type))
        results = tuple(r.vec(value_type))
        ft = FuncType(params, results)
        return TypeDef("func", ft.wat, ft)
    if form == 0x5F:
        fields = r.vec(_field, 2)
        body = "".join(f" (field {f})" for f in fields)
        return TypeDef("struct", f"(struct{body})")
    if form == 0x5E:
        return TypeDef("array", f"(array {_field(r)})")
    raise r.fail(f"unknown type form 0x{form:02x}", at)


def sub_type(r: Reader) -> TypeDef:
    code = r.peek_u8()
    if code in (0x50, 0x4F):
        r.pos += 1
        supers = r.vec(lambda rr: rr.u32())
        inner = composite_type(r)
        final = " final" if code == 0x4F else ""
        sup = "".join(f" {s}" for s in supers)
        return TypeDef(inner.kind, f"(sub{final}{sup} {inner.wat})", inner.func)
    return composite_type(r)


def type_section_entries(r: Reader) -> list[TypeDef]:
    """All types in index order; a rec group contributes each of its members."""
    types: list[TypeDef] = []
    for _ in range(r.count()):
        if r.peek_u8() == 0x4E:
            r.pos += 1
            types.extend(sub_type(r) for _ in range(r.count()))
        else:
            types.append(sub_type(r))
    return types


@dataclass(frozen=True, slots=True)
class Limits:
    min: int
    max: int | None
    shared: bool = False
    is64: bool = False
    page_size_log2: int | None = None

    @property
    def wat(self) -> str:
        parts = ["i64"] if self.is64 else []
        parts.append(str(self.min))
        if self.max is not None:
            parts.append(str(self.max))
        if self.shared:
            parts.append("shared")
        if self.page_size_log2 is not None:
            parts.append(f"(pagesize {1 << self.page_size_log2})")
        return " ".join(parts)

    def to_json_dict(self) -> dict[str, object]:
        return {"min": self.min, "max": self.max, "shared": self.shared, "memory64": self.is64}


def limits(r: Reader) -> Limits:
    at = r.pos
    flags = r.u8()
    if flags & ~0x0F:
        raise r.fail(f"invalid limits flags 0x{flags:02x}", at)
    is64 = bool(flags & 0x04)
    read = r.u64 if is64 else r.u32
    low = read()
    high = read() if flags & 0x01 else None
    page = r.u32() if flags & 0x08 else None
    return Limits(low, high, bool(flags & 0x02), is64, page)


@dataclass(frozen=True, slots=True)
class TableType:
    element: str
    limits: Limits

    @property
    def wat(self) -> str:
        return f"(table {self.limits.wat} {self.element})"


def table_type(r: Reader) -> TableType:
    element = value_type(r)
    return TableType(element, limits(r))


@dataclass(frozen=True, slots=True)
class MemoryType:
    limits: Limits

    @property
    def wat(self) -> str:
        return f"(memory {self.limits.wat})"


@dataclass(frozen=True, slots=True)
class GlobalType:
    value: str
    mutable: bool

    @property
    def wat(self) -> str:
        return f"(global (mut {self.value}))" if self.mutable else f"(global {self.value})"


def global_type(r: Reader) -> GlobalType:
    value = value_type(r)
    mut = r.u8()
    if mut > 1:
        raise r.fail(f"invalid global mutability flag {mut}", r.pos - 1)
    return GlobalType(value, bool(mut))
