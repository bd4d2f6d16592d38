"""Core wasm text of the interposer's inner workings: a memory with a bump allocator, and one wrapper
per traced function that tells the recorder about the call, makes it (or answers a denial), tells the
recorder the result, and drops the borrowed handles it received.

Flattening follows the canonical ABI: more than 16 flat parameters arrive as one pointer (and are passed
on as the same pointer); more than one flat result goes through a return area in this memory. The
recorder's `post` call takes the result plus padding that pushes it past 16 flat values, so it too is
passed by pointer: the return area is read where the real call left it, with no copying.
"""

from __future__ import annotations

from wasi_playground.core.trace.component import flat
from wasi_playground.core.trace.component.model import Ty
from wasi_playground.core.trace.component.plan import Func, denial_bytes

DENIAL_AREA = 16
"""Denied answers are kept as data from this address; the allocator starts after them."""


def post_padding(result: Ty) -> int:
    """How many u8 padding values make `post`'s parameters exceed 16 flat values."""
    return max(0, flat.MAX_FLAT_PARAMS + 1 - len(flat.flatten(result)))


def core_params(func: Func) -> list[str]:
    params = flat.flatten_all([t for _, t in func.params])
    return params if len(params) <= flat.MAX_FLAT_PARAMS else ["i32"]


def result_mode(func: Func) -> str:
    if func.result is None:
        return "none"
    return "flat1" if len(flat.flatten(func.result)) == 1 else "ret"


def _sig(params: list[str], results: list[str]) -> str:
    text = "".join(f" (param {p})" for p in params)
    return text + "".join(f" (result {r})" for r in results)


def lower_sig(func: Func) -> str:
    mode = result_mode(func)
    assert func.result is not None or mode == "none"
    results = flat.flatten(func.result) if mode == "flat1" and func.result is not None else []
    return _sig(core_params(func) + (["i32"] if mode == "ret" else []), results)


def lift_results(func: Func) -> list[str]:
    mode = result_mode(func)
    if mode == "none":
        return []
    assert func.result is not None
    return flat.flatten(func.result) if mode == "flat1" else ["i32"]


def post_sig(func: Func) -> str:
    mode = result_mode(func)
    if mode == "none":
        return _sig([], [])
    return _sig(lift_results(func), [])


class WrapperModule:
    """Collects the wrapper functions and the denial data; `text()` gives the core module."""

    def __init__(self) -> None:
        self.imports: list[str] = []
        self.funcs: list[str] = []
        self.data: list[str] = []
        self.data_end = DENIAL_AREA
        self.drops: set[str] = set()
        self.loops = 0

    @property
    def heap_base(self) -> int:
        return flat.align_up(self.data_end, 16)

    def add(self, func: Func, drop_ids: dict[str, str]) -> None:
        j = func.index
        params = core_params(func)
        self.imports.append(f'(import "h" "low{j}" (func $low{j}{lower_sig(func)}))')
        self.imports.append(f'(import "h" "pre{j}" (func $pre{j}{_sig(params, ["i32"])}))')
        self.imports.append(f'(import "h" "post{j}" (func $post{j}{post_sig(func)}))')
        n = len(params)
        deny, value = n, n + 1
        args = " ".join(f"(local.get {i})" for i in range(n))
        mode = result_mode(func)
        locals_ = ["i32", "i32" if mode != "flat1" else lift_results(func)[0], "i32"]
        body = [f"(local.set {deny} (call $pre{j} {args}))"]
        deniable = bool(func.deny)
        if mode == "ret":
            body += self._ret_call(func, args, deny, value, deniable)
            body.append(f"(call $post{j} (local.get {value}))")
        elif mode == "flat1":
            call = f"(call $low{j} {args})"
            if deniable:
                kind = lift_results(func)[0]
                call = (f"(if (result {kind}) (local.get {deny}) (then ({kind}.const {self._flat_denial(func)}))"
                        f" (else {call}))")
            body += [f"(local.set {value} {call})", f"(call $post{j} (local.get {value}))"]
        else:
            call = f"(call $low{j} {args})"
            body += [f"(if (i32.eqz (local.get {deny})) (then {call}))" if deniable else call,
                     f"(call $post{j})"]
        body += self._drops(func, drop_ids, n + 2)
        if mode != "none":
            body.append(f"(local.get {value})")
        self.funcs.append(f'(func (export "w{j}"){_sig(params, lift_results(func))}'
                          f' (local {" ".join(locals_)})\n    ' + "\n    ".join(body) + ")")

    def _ret_call(self, func: Func, args: str, deny: int, ret: int, deniable: bool) -> list[str]:
        assert func.result is not None
        result = func.result
        area = flat.size(result) + post_padding(result)
        lines = [f"(local.set {ret} (call $realloc (i32.const 0) (i32.const 0) "
                 f"(i32.const {flat.alignment(result)}) (i32.const {area})))"]
        call = f"(call $low{func.index} {args} (local.get {ret}))"
        if not deniable:
            return lines + [call]
        data = denial_bytes(func)
        at = flat.align_up(self.data_end, 8)
        escaped = "".join(f"\\{b:02x}" for b in data)
        self.data.append(f'(data (i32.const {at}) "{escaped}")')
        self.data_end = at + len(data)
        return lines + [f"(if (local.get {deny}) (then (memory.copy (local.get {ret}) (i32.const {at}) "
                        f"(i32.const {len(data)}))) (else {call}))"]

    @staticmethod
    def _flat_denial(func: Func) -> str:
        return "1" if func.deny.startswith("error ") else "0"

    def _drops(self, func: Func, drop_ids: dict[str, str], counter: int) -> list[str]:
        out: list[str] = []
        by_pointer = len(flat.flatten_all([t for _, t in func.params])) > flat.MAX_FLAT_PARAMS
        if by_pointer:
            record = Ty("tuple", tuple(("", t) for _, t in func.params))
            for ty, offset in zip([t for _, t in func.params], flat.field_offsets(record), strict=True):
                out += self._drop_in_memory(ty, offset, drop_ids, counter)
        else:
            index = 0
            for _, ty in func.params:
                out += self._drop_flat(ty, index, drop_ids, counter)
                index += len(flat.flatten(ty))
        return out

    def _drop_flat(self, ty: Ty, index: int, drop_ids: dict[str, str], counter: int) -> list[str]:
        if ty.kind == "borrow":
            self.drops.add(ty.resource)
            return [f"(call {drop_ids[ty.resource]} (local.get {index}))"]
        if ty.kind == "list" and ty.element.kind == "borrow":
            return self._drop_loop(ty.element.resource, f"(local.get {index})", f"(local.get {index + 1})",
                                   drop_ids, counter)
        out: list[str] = []
        if ty.kind in ("record", "tuple"):
            for _, field in ty.items:
                assert field is not None
                out += self._drop_flat(field, index, drop_ids, counter)
                index += len(flat.flatten(field))
        return out

    def _drop_in_memory(self, ty: Ty, offset: int, drop_ids: dict[str, str], counter: int) -> list[str]:
        if ty.kind == "borrow":
            self.drops.add(ty.resource)
            return [f"(call {drop_ids[ty.resource]} (i32.load offset={offset} (local.get 0)))"]
        if ty.kind == "list" and ty.element.kind == "borrow":
            return self._drop_loop(ty.element.resource, f"(i32.load offset={offset} (local.get 0))",
                                   f"(i32.load offset={offset + 4} (local.get 0))", drop_ids, counter)
        out: list[str] = []
        if ty.kind in ("record", "tuple"):
            for field, at in zip([t for _, t in ty.items], flat.field_offsets(ty), strict=True):
                assert field is not None
                out += self._drop_in_memory(field, offset + at, drop_ids, counter)
        return out

    def _drop_loop(self, resource: str, ptr: str, length: str, drop_ids: dict[str, str], i: int) -> list[str]:
        self.drops.add(resource)
        self.loops += 1
        done, again = f"$done{self.loops}", f"$next{self.loops}"
        return [f"(local.set {i} (i32.const 0))",
                f"(block {done} (loop {again} (br_if {done} (i32.ge_u (local.get {i}) {length}))"
                f" (call {drop_ids[resource]} (i32.load (i32.add {ptr} (i32.shl (local.get {i}) (i32.const 2)))))"
                f" (local.set {i} (i32.add (local.get {i}) (i32.const 1))) (br {again})))"]

    def text(self, drop_imports: list[str]) -> str:
        base = self.heap_base
        resets = "\n  ".join(
            f'(func (export "pr-{k}"){_sig([k] if k != "none" else [], [])} (global.set $top (i32.const {base})))'
            for k in ("none", "i32", "i64", "f32", "f64"))
        return "\n  ".join([
            "(core module $wrapper",
            '(import "m" "memory" (memory 1))',
            '(import "m" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))',
            '(import "m" "top" (global $top (mut i32)))',
            *drop_imports, *self.imports, *self.data, *self.funcs, resets]) + ")"


def memory_module(base: int) -> str:
    """The interposer's memory and its bump allocator; `post-return` resets `top` after every call."""
    return f"""(core module $memory
    (memory (export "memory") 1)
    (global $top (export "top") (mut i32) (i32.const {base}))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32) (local $need i32)
      (local.set $p (i32.and (i32.add (global.get $top) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $top (i32.add (local.get $p) (local.get 3)))
      (local.set $need (i32.sub (global.get $top) (i32.shl (memory.size) (i32.const 16))))
      (if (i32.gt_s (local.get $need) (i32.const 0))
        (then (if (i32.eq (memory.grow (i32.shr_u (i32.add (local.get $need) (i32.const 65535)) (i32.const 16)))
                          (i32.const -1)) (then unreachable))))
      (local.get $p)))"""
