"""The canonical ABI's flattening and memory layout of `Ty`, as the generated core code needs them."""

from __future__ import annotations

from wasi_playground.core.trace.component.model import Ty

MAX_FLAT_PARAMS = 16

_SIZES = {"bool": 1, "s8": 1, "u8": 1, "s16": 2, "u16": 2, "s32": 4, "u32": 4, "s64": 8, "u64": 8,
          "f32": 4, "f64": 8, "char": 4, "own": 4, "borrow": 4}
_FLAT = {"s64": "i64", "u64": "i64", "f32": "f32", "f64": "f64"}


def flatten(ty: Ty) -> list[str]:
    kind = ty.kind
    if kind in ("string", "list"):
        return ["i32", "i32"]
    if kind in _SIZES or kind == "enum":
        return [_FLAT.get(kind, "i32")]
    if kind == "flags":
        return ["i32"] * ((len(ty.items) + 31) // 32)
    if kind in ("record", "tuple"):
        return [f for _, t in ty.items for f in flatten(t)]  # type: ignore[arg-type]
    joined: list[str] = []
    for _, case in ty.items:
        for i, f in enumerate(flatten(case) if case is not None else []):
            if i < len(joined):
                joined[i] = _join(joined[i], f)
            else:
                joined.append(f)
    return ["i32", *joined]


def _join(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


def flatten_all(types: list[Ty]) -> list[str]:
    return [f for t in types for f in flatten(t)]


def align_up(n: int, align: int) -> int:
    return (n + align - 1) // align * align


def discriminant_size(cases: int) -> int:
    return 1 if cases <= 256 else 2 if cases <= 65536 else 4


def alignment(ty: Ty) -> int:
    kind = ty.kind
    if kind in _SIZES:
        return _SIZES[kind]
    if kind in ("string", "list"):
        return 4
    if kind == "enum":
        return discriminant_size(len(ty.items))
    if kind == "flags":
        return _flags_size(len(ty.items)) if len(ty.items) <= 16 else 4
    if kind in ("record", "tuple"):
        return max((alignment(t) for _, t in ty.items if t is not None), default=1)
    return max([discriminant_size(len(ty.items))] + [alignment(t) for _, t in ty.items if t is not None])


def _flags_size(n: int) -> int:
    if n == 0:
        return 0
    return 1 if n <= 8 else 2 if n <= 16 else 4 * ((n + 31) // 32)


def size(ty: Ty) -> int:
    kind = ty.kind
    if kind in _SIZES:
        return _SIZES[kind]
    if kind in ("string", "list"):
        return 8
    if kind == "enum":
        return discriminant_size(len(ty.items))
    if kind == "flags":
        return _flags_size(len(ty.items))
    if kind in ("record", "tuple"):
        return align_up(fields_end(ty), alignment(ty))
    return align_up(payload_offset(ty) + max((size(t) for _, t in ty.items if t is not None), default=0),
                    alignment(ty))


def field_offsets(ty: Ty) -> list[int]:
    offsets, end = [], 0
    for _, t in ty.items:
        assert t is not None
        end = align_up(end, alignment(t))
        offsets.append(end)
        end += size(t)
    return offsets


def fields_end(ty: Ty) -> int:
    offsets = field_offsets(ty)
    if not offsets:
        return 0
    last = ty.items[-1][1]
    assert last is not None
    return offsets[-1] + size(last)


def payload_offset(ty: Ty) -> int:
    """Where a variant's payload starts, after its discriminant."""
    max_align = max((alignment(t) for _, t in ty.items if t is not None), default=1)
    return align_up(discriminant_size(len(ty.items)), max_align)
