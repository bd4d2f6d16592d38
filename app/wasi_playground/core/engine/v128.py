"""Passing v128 values to and from a core function, which wasmtime-py cannot do directly.

wasmtime's C API aborts the whole process ("support for v128 is not implemented") when a v128 value is
passed to or returned from a function call through it. So a function whose type mentions v128 is called
through a tiny adapter module instantiated in the same store: it imports the function, takes each v128
as two i64 halves (low, high), rebuilds the vector with `i64x2.replace_lane`, calls, and splits v128
results the same way. The same trick reads v128 globals. Callers must never hand a v128 to wasmtime-py.
"""

from __future__ import annotations

from typing import Any

import wasmtime

_MASK64 = (1 << 64) - 1


def _flat(types: list[str]) -> str:
    return " ".join("i64 i64" if t == "v128" else t for t in types)


def _signed(half: int) -> int:
    return half - (1 << 64) if half >= 1 << 63 else half


def _adapter_wat(params: list[str], results: list[str]) -> str:
    body: list[str] = []
    flat_index = 0
    for t in params:
        if t == "v128":
            body += ["v128.const i64x2 0 0", f"local.get {flat_index}", "i64x2.replace_lane 0",
                     f"local.get {flat_index + 1}", "i64x2.replace_lane 1"]
            flat_index += 2
        else:
            body.append(f"local.get {flat_index}")
            flat_index += 1
    body.append("call $target")
    for i in reversed(range(len(results))):
        body.append(f"local.set $r{i}")
    for i, t in enumerate(results):
        if t == "v128":
            body += [f"local.get $r{i}", "i64x2.extract_lane 0", f"local.get $r{i}", "i64x2.extract_lane 1"]
        else:
            body.append(f"local.get $r{i}")
    sig = (f"(param {' '.join(params)})" if params else "") + (
        f" (result {' '.join(results)})" if results else ""
    )
    flat_sig = (f"(param {_flat(params)})" if params else "") + (
        f" (result {_flat(results)})" if results else ""
    )
    locals_ = " ".join(f"(local $r{i} {t})" for i, t in enumerate(results))
    return (
        f'(module (import "m" "f" (func $target {sig}))\n'
        f'  (func (export "call") {flat_sig} {locals_}\n    ' + "\n    ".join(body) + "))"
    )


def call_via_adapter(
    engine: wasmtime.Engine,
    store: wasmtime.Store,
    func: wasmtime.Func,
    params: list[str],
    results: list[str],
    values: list[Any],
    cache: dict[str, wasmtime.Module] | None = None,
) -> list[Any]:
    """Call `func` of type (params) -> (results), given as type names read from the binary (never from
    wasmtime-py, which aborts on v128), with `values` (v128 as unsigned 128-bit ints)."""
    wat = _adapter_wat(params, results)
    module = (cache or {}).get(wat)
    if module is None:
        module = wasmtime.Module(engine, bytes(wasmtime.wat2wasm(wat)))
        if cache is not None:
            cache[wat] = module
    adapter = wasmtime.Instance(store, module, [func])
    flat: list[Any] = []
    for value, t in zip(values, params, strict=True):
        if t == "v128":
            flat += [_signed(value & _MASK64), _signed((value >> 64) & _MASK64)]
        else:
            flat.append(value)
    call = adapter.exports(store)["call"]
    assert isinstance(call, wasmtime.Func)
    raw = call(store, *flat)
    out_flat = [] if raw is None else (list(raw) if isinstance(raw, tuple | list) else [raw])
    out: list[Any] = []
    for t in results:
        if t == "v128":
            low, high = out_flat.pop(0) & _MASK64, out_flat.pop(0) & _MASK64
            out.append(low | (high << 64))
        else:
            out.append(out_flat.pop(0))
    return out


def read_v128_global(
    engine: wasmtime.Engine, store: wasmtime.Store, global_: wasmtime.Global, mutable: bool
) -> int:
    mut = "(mut v128)" if mutable else "v128"
    wat = (
        f'(module (import "m" "g" (global $g {mut}))\n'
        '  (func (export "get") (result i64 i64)\n'
        "    global.get $g i64x2.extract_lane 0 global.get $g i64x2.extract_lane 1))"
    )
    adapter = wasmtime.Instance(store, wasmtime.Module(engine, bytes(wasmtime.wat2wasm(wat))), [global_])
    get = adapter.exports(store)["get"]
    assert isinstance(get, wasmtime.Func)
    low, high = get(store)
    return (low & _MASK64) | ((high & _MASK64) << 64)
