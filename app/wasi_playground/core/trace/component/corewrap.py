"""Core wasm text of the interposer's inner workings: a memory with a bump allocator, and one wrapper
per traced function that makes the call (or answers a denial), records it in a ring, and drops the
borrowed handles it received.

Flattening follows the canonical ABI: more than 16 flat parameters arrive as one pointer (and are passed
on as the same pointer); more than one flat result goes through a return area in this memory.

Recording costs no host call: a record holds the function's number, flags, start and end times (from
wasmtime's own monotonic clock) and the flat parameters and result widened to 64-bit slots. Strings,
lists and return areas stay where the canonical ABI put them, in this memory. `flush` hands the host
the ring and the part of the memory not sent before, as two latin-1 strings (any byte is a latin-1
character, and wasmtime copies strings natively), and the host decodes. The ring is flushed when nearly
full or the memory grows past a soft limit (then the memory is reset), before a call that may wait or
end the program (then only what earlier calls allocated is sent: `$mark` is where the current call's
own allocations begin), and when `wasi:cli/run` returns.
"""

from __future__ import annotations

from wasi_playground.core.trace.component import flat
from wasi_playground.core.trace.component.model import Ty
from wasi_playground.core.trace.component.plan import Func, denial_bytes

DENY_TABLE = 16
"""One byte per traced function, 1 when its capability group is switched off (the host's `config`)."""
RECORD_HEADER = 32
"""u32 function number, u32 flags, i64 start, i64 end, i64 result slot; then one i64 slot per flat param."""
RING_SIZE = 64 * 1024
HEAP_SOFT_LIMIT = 4 << 20
POST_RETURNS = ("none", "i32", "i64", "f32", "f64")
"""The `post-return` functions, one per flat result type; they do nothing (the heap is reset by flushes)."""
FLAG_DENIED = 1
FLAG_NO_RETURN = 2


WAITING_CALLS = ("[method]input-stream.blocking-read", "[method]input-stream.blocking-skip", "poll",
                 "[method]pollable.block")


def may_block(func: Func) -> bool:
    """Calls before which the ring goes to the host: they may wait for input (so a live trace is not
    behind a waiting program), or end the program. Writes are not among them: a program that writes a
    line at a time would otherwise cost a host call per line."""
    return func.name in WAITING_CALLS or exits(func)


def exits(func: Func) -> bool:
    return func.interface.startswith("wasi:cli/exit")


def record_size(func: Func) -> int:
    return RECORD_HEADER + 8 * len(core_params(func))


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


def _widen(kind: str, value: str) -> str:
    """A flat value as the 64 raw bits a record slot holds."""
    if kind == "i32":
        return f"(i64.extend_i32_u {value})"
    if kind == "f32":
        return f"(i64.extend_i32_u (i32.reinterpret_f32 {value}))"
    if kind == "f64":
        return f"(i64.reinterpret_f64 {value})"
    return value


class WrapperModule:
    """Collects the wrapper functions and the denial data; `text()` gives the core module."""

    def __init__(self, functions: int) -> None:
        self.imports: list[str] = []
        self.funcs: list[str] = []
        self.data: list[str] = []
        self.data_end = DENY_TABLE + functions
        self.functions = functions
        self.drops: set[str] = set()
        self.loops = 0

    @property
    def ring_start(self) -> int:
        return flat.align_up(self.data_end, 16)

    @property
    def heap_base(self) -> int:
        return self.ring_start + RING_SIZE

    def add(self, func: Func, drop_ids: dict[str, str]) -> None:
        j = func.index
        params = core_params(func)
        self.imports.append(f'(import "h" "low{j}" (func $low{j}{lower_sig(func)}))')
        n = len(params)
        deny, value, rec, t0 = n, n + 1, n + 3, n + 4
        args = " ".join(f"(local.get {i})" for i in range(n))
        mode = result_mode(func)
        locals_ = ["i32", "i32" if mode != "flat1" else lift_results(func)[0], "i32", "i32", "i64"]
        deniable = bool(func.deny)
        body = ["(if (i32.eqz (global.get $ready)) (then (call $init)))"]
        if deniable:
            body.append(f"(local.set {deny} (i32.load8_u (i32.const {DENY_TABLE + j})))")
        if may_block(func):
            body.append("(call $flush (i32.const 0))")
        if exits(func):  # it never returns: recorded before the call
            body += [f"(local.set {rec} (call $record (i32.const {j}) (i32.const {FLAG_NO_RETURN}) "
                     f"(call $now) (i32.const {record_size(func)})))", *self._store_params(func, rec),
                     "(call $flush (i32.const 0))"]
        body.append(f"(local.set {t0} (call $now))")
        body += self._call(func, args, deny, value, deniable)
        if not exits(func):
            body.append(f"(local.set {rec} (call $record (i32.const {j}) (local.get {deny}) (local.get {t0}) "
                        f"(i32.const {record_size(func)})))")
            body += self._store_params(func, rec)
            if mode != "none":
                kind = "i32" if mode == "ret" else lift_results(func)[0]
                body.append(f"(i64.store offset=24 (local.get {rec}) {_widen(kind, f'(local.get {value})')})")
        body += self._drops(func, drop_ids, n + 2)
        body.append("(call $maybe-flush)")
        if mode != "none":
            body.append(f"(local.get {value})")
        self.funcs.append(f'(func (export "w{j}"){_sig(params, lift_results(func))}'
                          f' (local {" ".join(locals_)})\n    ' + "\n    ".join(body) + ")")

    def _call(self, func: Func, args: str, deny: int, value: int, deniable: bool) -> list[str]:
        mode, j = result_mode(func), func.index
        if mode == "ret":
            return self._ret_call(func, args, deny, value, deniable)
        call = f"(call $low{j} {args})"
        if mode == "flat1":
            if deniable:
                kind = lift_results(func)[0]
                call = (f"(if (result {kind}) (local.get {deny}) "
                        f"(then ({kind}.const {self._flat_denial(func)})) (else {call}))")
            return [f"(local.set {value} {call})"]
        return [f"(if (i32.eqz (local.get {deny})) (then {call}))" if deniable else call]

    @staticmethod
    def _store_params(func: Func, rec: int) -> list[str]:
        return [f"(i64.store offset={RECORD_HEADER + 8 * i} (local.get {rec}) "
                f"{_widen(kind, f'(local.get {i})')})" for i, kind in enumerate(core_params(func))]

    def _ret_call(self, func: Func, args: str, deny: int, ret: int, deniable: bool) -> list[str]:
        assert func.result is not None
        result = func.result
        area = flat.size(result)
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
                f" (call {drop_ids[resource]}"
                f" (i32.load (i32.add {ptr} (i32.shl (local.get {i}) (i32.const 2)))))"
                f" (local.set {i} (i32.add (local.get {i}) (i32.const 1))) (br {again})))"]

    def text(self, drop_imports: list[str]) -> str:
        ring, heap, table = self.ring_start, self.heap_base, self.functions
        ring_full = ring + RING_SIZE - RECORD_HEADER - 8 * flat.MAX_FLAT_PARAMS
        helpers = f"""(global $ready (mut i32) (i32.const 0))
  (global $ring (mut i32) (i32.const {ring}))
  (global $sent (mut i32) (i32.const {heap}))
  (global $mark (mut i32) (i32.const {heap}))
  (func $init
    (global.set $ready (i32.const 1))
    (call $config (i32.const 8))
    (memory.copy (i32.const {DENY_TABLE}) (i32.load (i32.const 8))
                 (select (i32.load offset=4 (i32.const 8)) (i32.const {table})
                         (i32.lt_u (i32.load offset=4 (i32.const 8)) (i32.const {table})))))
  (func $record (param $j i32) (param $flags i32) (param $t0 i64) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $ring))
    (i32.store (local.get $p) (local.get $j))
    (i32.store offset=4 (local.get $p) (local.get $flags))
    (i64.store offset=8 (local.get $p) (local.get $t0))
    (i64.store offset=16 (local.get $p) (call $now))
    (global.set $ring (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $flush (param $reset i32) (local $end i32) (local $from i32)
    (local.set $end (select (global.get $top) (global.get $mark) (local.get $reset)))
    (local.set $from (i32.and (global.get $sent) (i32.const -2)))  ;; latin1+utf16 strings are 2-aligned
    (if (i32.gt_u (global.get $ring) (i32.const {ring}))
      (then (call $host-flush (i32.const {ring}) (i32.sub (global.get $ring) (i32.const {ring}))
                              (local.get $from) (i32.sub (local.get $end) (local.get $from))
                              (local.get $from))
            (global.set $ring (i32.const {ring}))
            (global.set $sent (local.get $end))))
    (if (local.get $reset) (then (global.set $top (i32.const {heap})) (global.set $sent (i32.const {heap})))))
  (func $maybe-flush
    (if (i32.or (i32.gt_u (global.get $ring) (i32.const {ring_full}))
                (i32.gt_u (global.get $top) (i32.const {heap + HEAP_SOFT_LIMIT})))
      (then (call $flush (i32.const 1))))
    (global.set $mark (global.get $top)))
  (func (export "flush-all") (call $flush (i32.const 1)))"""
        resets = "\n  ".join(f'(func (export "pr-{k}"){_sig([k] if k != "none" else [], [])})'
                             for k in POST_RETURNS)
        return "\n  ".join([
            "(core module $wrapper",
            '(import "m" "memory" (memory 1))',
            '(import "m" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))',
            '(import "m" "top" (global $top (mut i32)))',
            '(import "h" "now" (func $now (result i64)))',
            '(import "h" "config" (func $config (param i32)))',
            '(import "h" "flush" (func $host-flush (param i32 i32 i32 i32 i32)))',
            *drop_imports, *self.imports, *self.data, helpers, *self.funcs, resets]) + ")"


def memory_module(base: int) -> str:
    """The interposer's memory and its bump allocator (reset when the ring is flushed)."""
    return f"""(core module $memory
    (memory (export "memory") 1)
    (global $top (export "top") (mut i32) (i32.const {base}))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32) (local $need i32)
      (local.set $p (i32.and (i32.add (global.get $top) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $top (i32.add (local.get $p) (local.get 3)))
      (local.set $need (i32.sub (global.get $top) (i32.shl (memory.size) (i32.const 16))))
      (if (i32.gt_s (local.get $need) (i32.const 0))
        (then (if (i32.eq (memory.grow (i32.shr_u (i32.add (local.get $need) (i32.const 65535))
                                                  (i32.const 16)))
                          (i32.const -1)) (then unreachable))))
      (local.get $p)))"""
