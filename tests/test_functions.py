"""The function table of real modules: names, demangled names, signatures, exports, body positions."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from lookinside_programs import build_program
from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.lookinside.functions import FunctionTable

SAMPLES = Path(__file__).resolve().parent.parent / "samples"



@pytest.fixture(scope="session")
def program(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory)


MODULE = """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "log" (func (param i64)))
  (func $small (result i32) i32.const 1)
  (func (export "big") (param f32 f64) (result i64)
    i64.const 1 i64.const 2 i64.add i64.const 3 i64.mul)
  (func $also_exported (export "run") (export "_start"))
)
"""


def test_index_space_names_signatures_exports(wat) -> None:
    t = FunctionTable.from_path(wat(MODULE))
    assert len(t) == 5 and t.imported_count == 2
    assert [t.name(i) for i in range(5)] == ["fd_write", "env.log", "small", "big", "also_exported"]
    assert t.signature(0) == "(i32, i32, i32, i32) -> (i32)"
    assert t.signature(1) == "(i64)"
    assert t.signature(3) == "(f32, f64) -> (i64)"
    assert t.is_imported(1) and not t.is_imported(2)
    assert t.export_names == {3: ["big"], 4: ["run", "_start"]}
    assert t.body_range(0) is None and t.body_size(0) == 0


def test_body_ranges_locate_code_offsets(wat) -> None:
    t = FunctionTable.from_path(wat(MODULE))
    start, end = t.body_range(3)
    assert t.data[end - 1] == 0x0B
    assert t.function_at(start) == 3 and t.function_at(end - 1) == 3
    assert t.function_at(t.body_range(4)[0]) == 4
    assert t.function_at(end) is None  # the next body's size field belongs to no body
    assert t.function_at(0) is None
    assert t.largest(2) == [3, 2]


def test_wat_text_input_is_compiled(tmp_path) -> None:
    path = tmp_path / "m.wat"
    path.write_text(MODULE)
    assert FunctionTable.from_path(path).name(2) == "small"


def test_components_and_garbage_are_clear_errors(tmp_path) -> None:
    component = SAMPLES / "hello-component" / "hello-component.wasm"
    if component.exists():
        with pytest.raises(WasmFormatError, match="component"):
            FunctionTable.from_path(component)
    junk = tmp_path / "junk.wasm"
    junk.write_bytes(b"\0asm\x01\0\0\0\x0a\x05\x02\x7f")
    with pytest.raises(WasmFormatError):
        FunctionTable.from_path(junk)
    with pytest.raises(WasmFormatError, match="directory"):
        FunctionTable.from_path(tmp_path)


def test_real_program_names_are_readable(program: Path) -> None:
    """The linker already writes demangled names into the name section; they pass through unchanged."""
    t = FunctionTable.from_path(program)
    names = {t.display_name(i): i for i in range(len(t))}
    assert {"add(int, int)", "mycrate::util::parse", "sum_squares", "square"} <= set(names)
    assert t.signature(names["sum_squares"]) == "(i32) -> (i32)"
    assert t.signature(names["add(int, int)"]) == "(i32, i32) -> (i32)"


def test_mangled_names_in_the_name_section_are_demangled(wat) -> None:
    t = FunctionTable.from_path(wat("""(module
      (func $_ZN3std2io5stdio6_print17h6b2ad02bd5e4a8ecE)
      (func $_RNvNtCs1234_7mycrate4util5parse)
      (func $_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backEOi)
      (func $plain_c_name))"""))
    assert [t.display_name(i) for i in range(4)] == [
        "std::io::stdio::_print", "mycrate::util::parse",
        "std::__1::vector<int, std::__1::allocator<int> >::push_back(int&&)", "plain_c_name"]
    assert t.name(0) == "_ZN3std2io5stdio6_print17h6b2ad02bd5e4a8ecE"


def test_real_program_calls_link_to_callees(program: Path) -> None:
    t = FunctionTable.from_path(program)
    by_raw = {t.name(i): i for i in range(len(t))}
    ft = t.wat(by_raw["sum_squares"])
    targets = {link.target for link in ft.links if link.kind == "func"}
    assert by_raw["square"] in targets
    assert "call $square" in ft.text
    assert any(link.kind == "label" for link in ft.links)


def _reference_mnemonics(path: Path, out: Path) -> dict[int, list[str]]:
    subprocess.run([str(wasm_tools()), "print", str(path), "-o", str(out)], check=True, timeout=120)
    funcs: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in out.read_text().splitlines():
        m = re.match(r"^  \(func .*\(;(\d+);\)", line)
        if m:
            current = funcs.setdefault(int(m.group(1)), [])
        elif current is not None and line.startswith("    ") and not line.strip().startswith("(local"):
            current.append(line.split()[0])
        elif not line.startswith("    "):
            current = None
    return funcs


def test_every_function_decodes_like_wasm_tools(program: Path, tmp_path: Path) -> None:
    t = FunctionTable.from_path(program)
    reference = _reference_mnemonics(program, tmp_path / "ref.wat")
    defined = range(t.imported_count, len(t))
    assert len(reference) == len(defined) > 50
    for i in random.Random(7).sample(list(defined), min(400, len(defined))):
        lines = t.wat(i).text.splitlines()[1:-1]
        ours = [line.split()[0] for line in lines if not line.strip().startswith("(local")]
        assert ours == reference[i], f"function {i} {t.name(i)}"
