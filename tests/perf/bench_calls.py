"""What a call through the Call tab costs compared with calling wasmtime-py directly.

Run: python tests/perf/bench_calls.py

Baselines, measured in this run: a bare wasmtime-py call of the same export on the same instance (core
module), and a bare wasmtime-py component call with ready-made Python values (typed component). Compared
with them: `CallSession.call` (text arguments checked, fuel and output bookkeeping, interrupter), the same
with a fresh instance per call, `ComponentSession.call` (WAVE parsing and printing), and WAVE parsing and
printing of a 10,000-element list on its own.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

_tmp = tempfile.mkdtemp(prefix="bench-calls-")
os.environ["WASI_PLAYGROUND_CACHE_DIR"] = str(Path(_tmp) / "cache")

import wasmtime  # noqa: E402
from wasmtime import component as wc  # noqa: E402

from wasi_playground.core.calls.component_session import ComponentSession  # noqa: E402
from wasi_playground.core.calls.module_session import CallSession  # noqa: E402
from wasi_playground.core.components.wave import format_value, parse_value  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TYPED = REPO / "samples" / "typed-component" / "typed-component.wasm"
WAT = (
    '(module (global $n (mut i64) (i64.const 0)) (memory (export "memory") 1)'
    ' (func (export "add") (param i64) (result i64)'
    ' global.get $n local.get 0 i64.add global.set $n global.get $n))'
)


def per_call_us(fn, count: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count * 1e6


def main() -> None:
    path = Path(_tmp) / "add.wasm"
    path.write_bytes(wasmtime.wat2wasm(WAT))

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module(engine, path.read_bytes()), [])
    add = instance.exports(store)["add"]
    bare_core = per_call_us(lambda: add(store, 1), 20000)

    with CallSession(path) as session:
        same = per_call_us(lambda: session.call("add", ["1"]), 3000)
        fresh = per_call_us(lambda: session.call("add", ["1"], fresh=True), 300)

    cengine = wasmtime.Engine(_component_config())
    cstore = wasmtime.Store(cengine)
    linker = wc.Linker(cengine)
    linker.add_wasip2()
    cinstance = linker.instantiate(cstore, wc.Component(cengine, TYPED.read_bytes()))
    iface = cinstance.get_export_index(cstore, "playground:typed/types@0.1.0")
    greet = cinstance.get_func(cstore, cinstance.get_export_index(cstore, "greet", iface))
    bare_component = per_call_us(lambda: greet(cstore, "bench"), 5000)

    with ComponentSession(TYPED) as csession:
        wave_call = per_call_us(lambda: csession.call("greet", ['"bench"']), 2000)
        list_type = csession.function_info("sum").params[0][1]
        text = "[" + ", ".join(str(i) for i in range(10000)) + "]"
        start = time.perf_counter()
        value = parse_value(text, list_type)
        parse_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        format_value(value, list_type)
        format_ms = (time.perf_counter() - start) * 1000
        sum_call = per_call_us(lambda: csession.call("sum", [text]), 20)

    print(f"core: bare wasmtime-py call          {bare_core:9.1f} us  (baseline)")
    print(f"core: CallSession, same instance     {same:9.1f} us  x{same / bare_core:.1f}")
    print(f"core: CallSession, fresh instance    {fresh:9.1f} us  x{fresh / bare_core:.1f}")
    print(f"component: bare wasmtime-py greet    {bare_component:9.1f} us  (baseline)")
    print(f"component: ComponentSession greet    {wave_call:9.1f} us  x{wave_call / bare_component:.1f}")
    print(f"component: sum of 10,000 (WAVE)      {sum_call / 1000:9.2f} ms")
    print(f"WAVE parse 10,000-element list       {parse_ms:9.2f} ms")
    print(f"WAVE print 10,000-element list       {format_ms:9.2f} ms")


def _component_config() -> wasmtime.Config:
    config = wasmtime.Config()
    config.wasm_component_model = True
    return config


if __name__ == "__main__":
    main()
