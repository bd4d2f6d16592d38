"""The section reader: positions of real sections, and a typed error with an offset for every malformation."""

import pytest
import wasmtime

from wasi_playground.core.binary.reader import Reader, WasmFormatError, read_sections


def test_sections_of_a_small_module() -> None:
    data = wasmtime.wat2wasm('(module (func (export "f") (result i32) i32.const 7) (@custom "hello" "xyz"))')
    kind, sections = read_sections(data)
    assert kind == "module"
    assert [s.name for s in sections] == ["type", "function", "export", "code", "custom"]
    custom = sections[-1]
    assert custom.custom_name == "hello"
    assert custom.end == len(data)
    assert sections[0].offset == 8


@pytest.mark.parametrize(
    ("data", "offset", "words"),
    [
        (b"", 0, "too short"),
        (b"\0asX\1\0\0\0", 0, "wrong magic"),
        (b"\0asm\1\0", 6, "version missing"),
        (b"\0asm\2\0\0\0", 4, "unsupported WebAssembly version"),
        (b"\0asm\1\0\0\0\x63\x00", 8, "unknown section id 99"),
        (b"\0asm\1\0\0\0\x01\x10\x00", 9, "runs past the end"),
        (b"\0asm\1\0\0\0\x01\xff\xff\xff\xff\xff\xff", 9, "LEB128"),
    ],
)
def test_malformed_headers_say_what_and_where(data: bytes, offset: int, words: str) -> None:
    with pytest.raises(WasmFormatError) as err:
        read_sections(data)
    assert err.value.offset == offset
    assert words in str(err.value)
    assert f"byte offset {offset}" in str(err.value)


def test_leb128_limits() -> None:
    assert Reader(b"\xff\xff\xff\xff\x0f").u32() == 0xFFFFFFFF
    with pytest.raises(WasmFormatError, match="too large"):
        Reader(b"\xff\xff\xff\xff\x1f").u32()
    assert Reader(b"\x7f").s32() == -1
    assert Reader(b"\x80\x80\x80\x80\x78").s32() == -(2**31)


def test_a_bogus_vector_count_is_refused_before_allocating() -> None:
    with pytest.raises(WasmFormatError, match="cannot fit"):
        Reader(b"\xff\xff\xff\xff\x0f\x00").vec(lambda r: r.u8())
