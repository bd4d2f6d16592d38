"""The engine room's GIL-free compile and byte assembly give exactly what the plain Python would."""

from __future__ import annotations

import pytest
import wasmtime

from wasi_playground.core.engine.compile import assembled, compile_component, compile_module, spliced

ANSWER = "(module (func (export \"answer\") (result i32) i32.const 42))"


def test_assembled_joins_ranges_and_literals_in_order() -> None:
    data = bytes(range(256)) * 4
    pieces = [(data, 10, 20), b"--", (data, 1000, 1024), b"", (data, 0, 0)]
    assert assembled(pieces) == data[10:20] + b"--" + data[1000:1024]
    assert assembled([]) == b""


def test_assembled_accepts_other_buffers_the_slow_way() -> None:
    assert assembled([(bytearray(b"hello"), 1, 4), memoryview(b"!").tobytes()]) == b"ell!"


def test_spliced_replaces_a_range() -> None:
    assert spliced(b"abcdef", 2, 4, b"XYZ") == b"abXYZef"
    assert spliced(b"abcdef", 0, 6, b"") == b""
    assert spliced(b"abcdef", 6, 6, b"gh") == b"abcdefgh"


def test_a_compiled_module_runs() -> None:
    engine = wasmtime.Engine()
    module = compile_module(engine, wasmtime.wat2wasm(ANSWER))
    store = wasmtime.Store(engine)
    answer = wasmtime.Instance(store, module, []).exports(store)["answer"]
    assert isinstance(answer, wasmtime.Func) and answer(store) == 42


def test_bad_bytes_are_wasmtimes_error() -> None:
    with pytest.raises(wasmtime.WasmtimeError, match="failed to parse"):
        compile_module(wasmtime.Engine(), b"\0asm\1\0\0\0\xff")


def test_a_component_compiles() -> None:
    config = wasmtime.Config()
    config.wasm_component_model = True
    component = compile_component(wasmtime.Engine(config), wasmtime.wat2wasm("(component)"))
    assert component.type is not None
