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


def _module_with_data(payload: bytes) -> bytes:
    """A module whose one active data segment (at address 4096) is `payload`, as WAT would write it."""
    from wasmtime import wat2wasm

    escaped = "".join(f"\\{b:02x}" for b in payload)
    return wat2wasm(f'(module (memory 64) (data (i32.const 4096) "{escaped}"))')


def test_strings_across_search_windows_are_found_whole() -> None:
    """The regex searches a window at a time; no string is cut or lost at a window's edge."""
    import random
    import re

    from wasi_playground.core.lookinside.datascan import SCAN_WINDOW, _pattern

    rng = random.Random(7)
    pieces = []
    while sum(map(len, pieces)) < 4 * SCAN_WINDOW:
        pieces.append(bytes(rng.choice(b"\x00\x01\x02\xff\x80") for _ in range(rng.randint(1, 40))))
        if rng.random() < 0.002:  # text with no NUL for longer than a window
            pieces.append(b"long text run " * 6000)
        else:
            pieces.append("".join(rng.choice("abcxyzäöü€ 09") for _ in range(rng.randint(1, 60))).encode())
    pieces.append(b"long text run " * 6000)
    payload = b"".join(pieces)
    data = _module_with_data(payload)
    segment = data_segments(data)[0]
    expected = [(m.start(), m.group().decode()) for m in _pattern(4).finditer(payload)]
    found = scan_strings(data, [segment])
    assert [(s.offset, s.text) for s in found] == expected
    assert len(expected) > 100 and max(len(t) for _, t in expected) > SCAN_WINDOW
    assert found[3].address == 4096 + found[3].offset
    assert re.search(rb"[\x00-\x02]", payload)  # windows had bytes no string contains to end at


def test_found_strings_add_no_objects_for_the_garbage_collector() -> None:
    """200,000 objects made one full collection take 120 ms with the GIL held: the strings are columns."""
    import gc

    data = _module_with_data(b"".join(b"string number %d\x00" % i for i in range(20_000)))
    segments = data_segments(data)
    gc.collect()
    before = len(gc.get_objects())
    found = scan_strings(data, segments)
    assert len(found) == 20_000
    assert len(gc.get_objects()) - before < 100
    assert found[-1].text == "string number 19999" and found[-1].encoding == "ascii"
    picked = search_strings(found, "NUMBER 1999")
    assert [s.text for s in picked] == ["string number 1999"] + [f"string number 1999{d}" for d in range(10)]
    assert [s.text for s in search_strings(picked, "19995")] == ["string number 19995"]
