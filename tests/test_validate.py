"""Validation: the first error, its byte offset, and the function it falls in."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.lookinside.functions import FunctionTable
from wasi_playground.core.lookinside.validate import validate_path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_type_error_offset_and_function(wat) -> None:
    path = wat("""(module
      (func $fine (result i32) i32.const 1)
      (func $broken (result i32) i32.const 1 i64.const 2 i32.add))""")
    result = validate_path(path)
    assert not result.ok
    assert "type mismatch" in result.message
    table = FunctionTable.from_path(path)
    start, end = table.body_range(1)
    assert start <= result.offset < end
    assert (result.function_index, result.function_name) == (1, "broken")
    assert "in function 1 broken" in result.summary() and f"0x{result.offset:x}" in result.summary()


def test_valid_module_and_component(wat) -> None:
    assert validate_path(wat("(module (func))")).ok
    component = SAMPLES / "hello-component" / "hello-component.wasm"
    if component.exists():
        assert validate_path(component).ok


def test_structural_error_outside_functions(tmp_path) -> None:
    path = tmp_path / "cut.wasm"
    path.write_bytes(b"\0asm\x01\0\0\0\x01\x05\x01\x60")
    result = validate_path(path)
    assert not result.ok and result.function_index is None
    assert result.offset is not None


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(WasmFormatError, match="no such file"):
        validate_path(tmp_path / "absent.wasm")
