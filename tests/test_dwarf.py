"""DWARF from a C program built with -g: compilation units, source files, a function's file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookinside_programs import PROGRAM_C, build_program
from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.lookinside.dwarf import read_debug_info
from wasi_playground.core.lookinside.functions import FunctionTable


@pytest.fixture(scope="session")
def program_debug(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory, debug=True)


def _line_of(text: str) -> int:
    return next(i for i, line in enumerate(PROGRAM_C.splitlines(), start=1) if text in line)


def test_source_files_of_the_compilation_units(program_debug: Path) -> None:
    info = read_debug_info(program_debug.read_bytes())
    assert info is not None
    assert any(f.endswith("lookinside-program.c") for f in info.source_files)
    ours = [u for u in info.units if u.name.endswith("lookinside-program.c")]
    assert len(ours) == 1 and "clang" in ours[0].producer


def test_function_maps_to_its_file_and_line(program_debug: Path) -> None:
    data = program_debug.read_bytes()
    info = read_debug_info(data)
    table = FunctionTable.from_bytes(data)
    index = next(i for i in range(len(table)) if table.name(i) == "sum_squares")
    location = info.location_in(*table.body_range(index))
    assert location is not None and location.file.endswith("lookinside-program.c")
    first, last = _line_of("int sum_squares(int n)"), _line_of("return total;")
    assert first <= location.line <= last
    square = next(i for i in range(len(table)) if table.name(i) == "square")
    assert info.location_in(*table.body_range(square)).line in (_line_of("static int square"),
                                                               _line_of("return x * x;"))


def test_no_dwarf_and_broken_dwarf(wat) -> None:
    assert read_debug_info(wat("(module (func))").read_bytes()) is None
    broken = wat(
        '(module (func) (@custom ".debug_info" "\\ff\\ff\\ff\\ff\\05") (@custom ".debug_abbrev" ""))'
    )
    with pytest.raises(WasmFormatError, match="DWARF"):
        read_debug_info(broken.read_bytes())
