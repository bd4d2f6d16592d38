"""Generate the wrapper module that sits between the user module and wasmtime's own WASI.

For each WASI function the user imports, the wrapper exports a same-named function that calls the real
one (or, when its capability group is switched off, returns ENOTCAPABLE without calling it) and writes a
record of the call into its ring (see `layout`). Nothing about WASI is reimplemented. The text is made
once per (imported names, denied groups) and the compiled module once per engine.

Timing uses the real `clock_time_get` (monotonic), called from the wrapper: it writes its answer into the
first 8 bytes of the user's memory, which the wrapper saves and restores around it, so the program never
sees a difference (the wrapper runs on the program's own thread, between two of its instructions).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import wasmtime

from wasi_playground.core.trace import layout as L
from wasi_playground.core.wasi.preview1 import FUNCTIONS, WasiFunction

WASI = "wasi_snapshot_preview1"
TRACE = "wasi-playground-trace"
_OUT_I32 = {"size", "fd"}
_OUT_I64 = {"timestamp", "filesize"}


def traced_names(imports: tuple[str, ...]) -> tuple[str, ...]:
    """The imported WASI names the wrapper can stand in for (unknown names stay wasmtime's own)."""
    return tuple(sorted({n for n in imports if n in FUNCTIONS}))


def function_id(name: str) -> int:
    return _IDS[name]


_NAMES = tuple(sorted(FUNCTIONS))
_IDS = {n: i for i, n in enumerate(_NAMES)}


def name_of(function_id: int) -> str:
    return _NAMES[function_id]


def _denial(fn: WasiFunction, denied: frozenset[str]) -> str | None:
    """A WAT condition (i32) under which this call is refused, "1" for always, None for never.

    `proc_exit` is never refused: a program that asked to end cannot be made to go on (its next
    instruction is `unreachable`), so it ends as asked and the trace says the switch could not hold it."""
    if fn.name == "proc_exit":
        return None
    if fn.fd_dependent:
        stdio, fs = "stdio" in denied, "filesystem" in denied
        if stdio and fs:
            return "1"
        if stdio:
            return "(i32.lt_u (local.get 0) (i32.const 3))"
        if fs:
            return "(i32.ge_u (local.get 0) (i32.const 3))"
        return None
    return "1" if fn.group in denied else None


def _function(fn: WasiFunction, denied: frozenset[str], has_memory: bool) -> str:
    params = fn.core_params
    sig = "".join(f" {t}" for _, t in params)
    call = f"(call $real_{fn.name}{''.join(f' (local.get {i})' for i in range(len(params)))})"
    result = " (result i32)" if fn.returns_errno else ""
    lines = [
        f'(func $trace_{fn.name} (export "{fn.name}") (param{sig}){result}',
        "(local $r i32) (local $b i32) (local $t0 i64) (local $id i32)",
        "(local.set $t0 (call $now))",
        f"(local.set $id (i32.const {function_id(fn.name)}))",
    ]
    cond = _denial(fn, denied)
    if not fn.returns_errno:
        lines.append("(local.set $b (call $slot))")
    elif cond == "1":
        lines.append(f"(local.set $r (i32.const {L.ENOTCAPABLE}))")
        lines.append(f"(local.set $id (i32.or (local.get $id) (i32.const {L.DENIED_BIT})))")
    elif cond is not None:
        lines.append(
            f"(if {cond} (then (local.set $r (i32.const {L.ENOTCAPABLE})) "
            f"(local.set $id (i32.or (local.get $id) (i32.const {L.DENIED_BIT})))) "
            f"(else (local.set $r {call})))"
        )
    else:
        lines.append(f"(local.set $r {call})")
    if fn.returns_errno:
        lines.append("(local.set $b (call $slot))")
    lines += _record_body(fn, params, has_memory)
    if not fn.returns_errno:
        lines.append("(call $flush_now)")
        lines.append(call)
        lines.append(")")
        return "\n".join(lines)
    if fn.name in L.BLOCKING:
        lines.append("(call $flush_now)")
    lines.append("(local.get $r))")
    return "\n".join(lines)


def _record_body(fn: WasiFunction, params: list[tuple[str, str]], has_memory: bool) -> list[str]:
    b = "(local.get $b)"
    out = [
        f"(i32.store $ring offset={L.OFF_ID} {b} (local.get $id))",
        f"(i32.store $ring offset={L.OFF_ERRNO} {b} (local.get $r))",
        f"(i64.store $ring offset={L.OFF_T0} {b} (local.get $t0))",
        f"(i64.store $ring offset={L.OFF_T1} {b} (call $now))",
    ]
    for i, (_, t) in enumerate(params):
        value = f"(local.get {i})" if t == "i64" else f"(i64.extend_i32_u (local.get {i}))"
        out.append(f"(i64.store $ring offset={L.OFF_ARGS + 8 * i} {b} {value})")
    if not has_memory:
        return out
    index = {name: i for i, (name, _) in enumerate(params)}
    success = f"(i32.eqz (i32.or (local.get $r) (i32.and (local.get $id) (i32.const {L.DENIED_BIT}))))"
    if fn.results and fn.returns_errno:
        rname, rtype = fn.results[0]
        ptr = f"(local.get {index[rname + '_out']})"
        if rtype in _OUT_I32 | _OUT_I64:
            width, load = (
                (4, "(i64.extend_i32_u (i32.load $user {p}))")
                if rtype in _OUT_I32
                else (8, "(i64.load $user {p})")
            )
            out.append(
                f"(if (i32.and {success} (call $inb {ptr} (i32.const {width}))) (then "
                f"(i64.store $ring offset={L.OFF_OUT} {b} {load.format(p=ptr)}) "
                f"(local.set $id (i32.or (local.get $id) (i32.const {L.OUT_VALID_BIT})))))"
            )
    strings = [name for name, t in fn.params if t == "string"]
    if fn.name == "fd_prestat_dir_name":
        strings = ["path"]
    for slot, name in enumerate(strings[:2]):
        ptr_local, len_local = index[f"{name}_ptr"], index[f"{name}_len"]
        dest, len_off = (L.OFF_PATH1, L.OFF_PATH1_LEN) if slot == 0 else (L.OFF_PATH2, L.OFF_PATH2_LEN)
        out.append(
            f"(i32.store $ring offset={len_off} {b} "
            f"(call $copy (i32.add {b} (i32.const {dest})) (local.get {ptr_local}) (local.get {len_local})))"
        )
    for name, t in fn.params:
        if t in ("iovec_array", "ciovec_array"):
            out.append(
                f"(i32.store $ring offset={L.OFF_IOV_TOTAL} {b} "
                f"(call $iovsum (local.get {index[name + '_ptr']}) (local.get {index[name + '_len']})))"
            )
            break
    out.append(f"(i32.store $ring offset={L.OFF_ID} {b} (local.get $id))")
    return out


_HELPERS_WITH_MEMORY = f"""
(func $now (result i64) (local $saved i64) (local $t i64)
  (if (i32.eqz (memory.size $user)) (then (return (i64.const 0))))
  (local.set $saved (i64.load $user (i32.const 0)))
  (drop (call $real_clock_time_get (i32.const 1) (i64.const 1) (i32.const 0)))
  (local.set $t (i64.load $user (i32.const 0)))
  (i64.store $user (i32.const 0) (local.get $saved))
  (local.get $t))
(func $inb (param $p i32) (param $n i32) (result i32)
  (i64.le_u (i64.add (i64.extend_i32_u (local.get $p)) (i64.extend_i32_u (local.get $n)))
            (i64.shl (i64.extend_i32_u (memory.size $user)) (i64.const 16))))
(func $copy (param $dst i32) (param $p i32) (param $len i32) (result i32) (local $n i32)
  (local.set $n (local.get $len))
  (if (i32.gt_u (local.get $n) (i32.const {L.PATH_BYTES})) (then (local.set $n (i32.const {L.PATH_BYTES}))))
  (if (i32.eqz (call $inb (local.get $p) (local.get $n))) (then (return (i32.const -1))))
  (memory.copy $ring $user (local.get $dst) (local.get $p) (local.get $n))
  (local.get $len))
(func $iovsum (param $p i32) (param $n i32) (result i32) (local $sum i32)
  (if (i32.gt_u (local.get $n) (i32.const 1024)) (then (return (i32.const -1))))
  (if (i32.eqz (call $inb (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (then (return (i32.const -1))))
  (block $done (loop $next
    (br_if $done (i32.eqz (local.get $n)))
    (local.set $sum (i32.add (local.get $sum) (i32.load $user offset=4 (local.get $p))))
    (local.set $p (i32.add (local.get $p) (i32.const 8)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $next)))
  (local.get $sum))
"""

_HELPERS_WITHOUT_MEMORY = "(func $now (result i64) (i64.const 0))"

_RING = f"""
(global $n (export "trace_count") (mut i32) (i32.const 0))
(func $slot (result i32) (local $b i32)
  (if (i32.ge_u (global.get $n) (i32.const {L.RING_RECORDS}))
    (then (call $flush (global.get $n)) (global.set $n (i32.const 0))))
  (local.set $b (i32.mul (global.get $n) (i32.const {L.RECORD_SIZE})))
  (global.set $n (i32.add (global.get $n) (i32.const 1)))
  (local.get $b))
(func $flush_now (call $flush (global.get $n)) (global.set $n (i32.const 0)))
"""


@lru_cache(maxsize=64)
def wrapper_text(names: tuple[str, ...], denied: frozenset[str], has_memory: bool) -> str:
    """The wrapper's WAT for these imported WASI names and switched-off groups."""
    needed = set(names) | {"clock_time_get"}
    parts = ["(module $wasi_playground_trace"]
    for name in sorted(needed):
        fn = FUNCTIONS[name]
        sig = "".join(f" {t}" for _, t in fn.core_params)
        result = " (result i32)" if fn.returns_errno else ""
        parts.append(f'(import "{WASI}" "{name}" (func $real_{name} (param{sig}){result}))')
    parts.append(f'(import "{TRACE}" "flush" (func $flush (param i32)))')
    if has_memory:
        parts.append(f'(import "{TRACE}" "memory" (memory $user 0))')
    parts.append(f"(memory $ring {L.RING_PAGES} {L.RING_PAGES})")
    if has_memory:
        parts.append('(export "memory" (memory $user))')
    parts.append('(export "trace_ring" (memory $ring))')
    parts.append(_RING)
    parts.append(_HELPERS_WITH_MEMORY if has_memory else _HELPERS_WITHOUT_MEMORY)
    for name in names:
        parts.append(_function(FUNCTIONS[name], denied, has_memory))
    parts.append(")")
    return "\n".join(parts)


_compiled: dict[tuple[int, str], tuple[wasmtime.Engine, wasmtime.Module]] = {}
_compiled_lock = threading.Lock()


def wrapper_module(
    engine: wasmtime.Engine, names: tuple[str, ...], denied: frozenset[str], has_memory: bool
) -> wasmtime.Module:
    """The compiled wrapper, made once per engine and (names, denied, memory) combination."""
    text = wrapper_text(names, denied, has_memory)
    key = (id(engine), text)
    with _compiled_lock:
        entry = _compiled.get(key)
        if entry is None or entry[0] is not engine:
            entry = (engine, wasmtime.Module(engine, text))
            if len(_compiled) > 64:
                _compiled.clear()
            _compiled[key] = entry
        return entry[1]
