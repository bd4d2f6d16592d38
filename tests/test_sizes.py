"""Where the bytes go: the parts add up to the file, and each kind of content lands in its category."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookinside_programs import build_program
from wasi_playground.core.lookinside.sizes import size_report


@pytest.fixture(scope="session")
def program_debug(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory, debug=True)


def test_parts_add_up_and_categories(wat) -> None:
    path = wat("""(module (memory 1) (data (i32.const 0) "0123456789012345678901234567890123456789")
      (func $f (result i32) i32.const 1 i32.const 2 i32.add)
      (func $g i32.const 5 drop))""")
    data = path.read_bytes()
    report = size_report(data)
    assert sum(report.categories.values()) == report.total == len(data)
    assert sum(s.size for s in report.sections) + 8 == len(data)
    assert report.categories["data"] > 40
    assert report.categories["names"] > 0 and report.categories["debug info"] == 0
    assert [name for _, name, _ in report.largest_functions] == ["f", "g"]
    assert report.largest_functions[0][2] > report.largest_functions[1][2]


def test_debug_build_is_mostly_debug_info(program_debug: Path) -> None:
    report = size_report(program_debug.read_bytes())
    assert report.share("debug info") > 0.3
    assert report.categories["code"] > 0
    assert any(s.name == ".debug_info" and s.category == "debug info" for s in report.sections)
