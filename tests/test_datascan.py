"""Data segments (active, passive, multi-memory) and the printable strings inside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookinside_programs import build_program
from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.lookinside.datascan import data_segments, hex_dump, scan_strings, search_strings

MODULE = r"""
(module
  (memory 1)
  (memory $second 1)
  (data (i32.const 1024) "hello, world\00\01\02short\00Grüße aus Köln\00")
  (data "passive bytes here")
  (data (memory $second) (i32.const 16) "\ff\fe\fdsecond memory text")
)
"""


@pytest.fixture(scope="session")
def program(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory)


def test_segments_modes_memories_and_addresses(wat) -> None:
    data = wat(MODULE).read_bytes()
    segs = data_segments(data)
    assert [(s.index, s.mode, s.memory, s.address) for s in segs] == [
        (0, "active", 0, 1024), (1, "passive", None, None), (2, "active", 1, 16)]
    assert segs[0].offset_expr == "i32.const 1024"
    assert data[segs[1].data_start:segs[1].data_start + segs[1].size] == b"passive bytes here"


def test_strings_ascii_and_utf8_with_addresses(wat) -> None:
    data = wat(MODULE).read_bytes()
    strings = scan_strings(data, data_segments(data), min_length=6)
    found = {(s.text, s.encoding, s.address) for s in strings}
    assert ("hello, world", "ascii", 1024) in found
    assert ("Grüße aus Köln", "utf-8", 1024 + len(b"hello, world\0\1\2short\0")) in found
    assert ("passive bytes here", "ascii", None) in found
    assert ("second memory text", "ascii", 19) in found
    assert not any(s.text == "short" for s in strings)
    assert any(s.text == "short" for s in scan_strings(data, data_segments(data), min_length=5))


def test_search_is_case_insensitive(wat) -> None:
    data = wat(MODULE).read_bytes()
    strings = scan_strings(data, data_segments(data))
    assert [s.text for s in search_strings(strings, "KÖLN")] == ["Grüße aus Köln"]
    assert list(search_strings(strings, "absent")) == []


def test_real_program_strings(program: Path) -> None:
    data = program.read_bytes()
    texts = [s.text for s in scan_strings(data, data_segments(data))]
    assert any(t.endswith("Look-inside test banner: hello strings") for t in texts)  # may follow a table
    assert "Grüße aus WebAssembly" in texts


def test_hex_dump_lines() -> None:
    dump = hex_dump(b"ABC\x00\x01" * 4, 0, 20, base_address=0x400)
    lines = dump.splitlines()
    assert lines[0].startswith("00000400  41 42 43 00 01 41")
    assert lines[0].endswith("ABC..ABC..ABC..A")
    assert lines[1].startswith("00000410  42 43 00 01")


def test_no_data_section_and_broken_segment(wat) -> None:
    assert data_segments(wat("(module)").read_bytes()) == []
    data = bytearray(wat(MODULE).read_bytes())
    first = data_segments(bytes(data))[0]
    data[first.data_start - 4] = 0x7A  # flags byte area of the first segment's expression
    with pytest.raises(WasmFormatError):
        data_segments(bytes(data))
