"""Core module declarations read from modules compiled from WAT in the test."""

from __future__ import annotations

import pytest
import wasmtime

from wasi_playground.core.binary.module_info import parse_module
from wasi_playground.core.binary.reader import WasmFormatError, read_sections


def build(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


def test_imports_of_every_kind_with_wat_signatures() -> None:
    info = parse_module(build("""(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "env" "mem" (memory 1 10 shared))
      (import "env" "g" (global (mut i64)))
      (import "env" "t" (table 2 externref))
      (import "env" "tag" (tag (param i32))))"""))
    assert [(i.module, i.name, i.kind, i.type) for i in info.imports] == [
        ("wasi_snapshot_preview1", "fd_write", "func", "(func (param i32 i32 i32 i32) (result i32))"),
        ("env", "mem", "memory", "(memory 1 10 shared)"),
        ("env", "g", "global", "(global (mut i64))"),
        ("env", "t", "table", "(table 2 externref)"),
        ("env", "tag", "tag", "(tag (param i32))"),
    ]
    assert info.imported_func_count == 1


def test_exports_memories_tables_globals_start_and_counts() -> None:
    info = parse_module(build("""(module
      (type $bin (func (param i32 i32) (result i32)))
      (import "env" "f" (func $f (param f64)))
      (memory (export "mem64") i64 3 5)
      (table (export "tbl") 4 funcref)
      (global (export "answer") i32 (i32.const 42))
      (global (export "counter") (mut i64) (i64.const -1))
      (func $add (export "add") (type $bin) local.get 0 local.get 1 i32.add)
      (func $init (data.drop 1))
      (start $init)
      (elem (i32.const 0) func $add)
      (data (memory 0) (i64.const 0) "hello")
      (data "passive"))"""))
    exports = {e.name: (e.kind, e.type) for e in info.exports}
    assert exports == {
        "mem64": ("memory", "(memory i64 3 5)"),
        "tbl": ("table", "(table 4 funcref)"),
        "answer": ("global", "(global i32)"),
        "counter": ("global", "(global (mut i64))"),
        "add": ("func", "(func (param i32 i32) (result i32))"),
    }
    assert info.memories[0].limits.is64 and info.memories[0].limits.max == 5
    assert [g.init for g in info.globals] == ["i32.const 42", "i64.const -1"]
    assert info.start == 2
    assert (info.element_count, info.data_count, info.datacount) == (1, 2, 2)
    assert info.code_count == 2 and info.code_section is not None
    assert info.function_count == 3
    assert info.func_type_of(0).params == ("f64",)
    assert info.func_type_of(1).wat == "(func (param i32 i32) (result i32))"
    assert info.func_type_of(99) is None


def test_gc_types_are_rendered_not_rejected() -> None:
    info = parse_module(build("""(module
      (rec (type $node (struct (field $v i32) (field $next (mut (ref null $node)))))
           (type $list (array (mut (ref null $node)))))
      (type $sub (sub (struct (field i8))))
      (type $f (func (param (ref $node) anyref) (result (ref null $list))))
      (global (export "g") (ref null $node) (ref.null $node)))"""))
    kinds = [t.kind for t in info.types]
    assert kinds == ["struct", "array", "struct", "func"]
    assert info.types[0].wat == "(struct (field i32) (field (mut (ref null 0))))"
    assert info.types[1].wat == "(array (mut (ref null 0)))"
    assert info.types[2].wat.startswith("(sub ") and "i8" in info.types[2].wat
    assert info.types[3].wat == "(func (param (ref 0) anyref) (result (ref null 1)))"
    assert info.exports[0].type == "(global (ref null 0))"


def test_many_functions_with_multibyte_type_indices() -> None:
    types = "".join(
        f"(type $t{i} (func (param {' '.join(['i32'] * (i % 5))}) (result i64)))" for i in range(300)
    )
    types = "".join(
        f"(type (func (result i32) (result {'i64 ' * (i % 3)}f32 {'f64 ' * i})))" for i in range(200)
    )
    funcs = "".join(f"(func (type {i}) unreachable)" for i in range(199, -1, -1))
    info = parse_module(build(f'(module {types} {funcs} (export "last" (func 199)))'))
    assert len(info.func_type_indices) == 200
    assert list(info.func_type_indices)[:3] == [199, 198, 197]
    assert info.func_type_indices[-1] == 0
    assert info.func_type_index(0) == 199
    assert info.exports[0].type == info.type_text(0)


def _big_function_section() -> tuple[bytes, int, list[int]]:
    """20,000 functions, each with a two-byte type index: a function section spanning several regex chunks."""
    types = "".join(f"(type (func (param {'i32 ' * (i % 4)})))" for i in range(200))
    wanted = [128 + (i * 7) % 72 for i in range(20_000)]
    data = build(f"(module {types} {''.join(f'(func (type {t}))' for t in wanted)})")
    section = next(s for s in read_sections(data)[1] if s.id == 3)
    return data, section.payload_offset + 3, wanted  # 20,000 takes three bytes as a count


def test_function_section_longer_than_one_chunk_reads_every_index() -> None:
    data, _, wanted = _big_function_section()
    assert list(parse_module(data).func_type_indices) == wanted


def test_bad_type_index_deep_in_a_long_function_section_names_its_offset() -> None:
    data, first, _ = _big_function_section()
    bad = bytearray(data)
    at = first + 2 * 15_000  # the 15,000th index, well past the first chunk
    bad[at:at + 6] = bytes([0x80] * 5 + [0x01])  # five continuation bytes: too long for any u32
    with pytest.raises(WasmFormatError, match="bad or missing type index") as e:
        parse_module(bytes(bad))
    assert e.value.offset == at


def test_code_bodies_are_never_decoded() -> None:
    data = bytearray(build('(module (func (export "f") (result i32) i32.const 7))'))
    code_at = data.index(bytes([0x41, 0x07]))
    data[code_at] = 0xFF  # an invalid opcode inside the body: still inspectable, it is not our business
    info = parse_module(bytes(data))
    assert info.exports[0].type == "(func (result i32))"


def test_function_and_code_count_mismatch_is_reported() -> None:
    data = bytearray(build("(module (func) (func))"))
    fsec = data.index(bytes([0x03, 0x03, 0x02, 0x00, 0x00]))
    data[fsec : fsec + 5] = bytes([0x03, 0x02, 0x01, 0x00])  # the function section now declares one function
    with pytest.raises(WasmFormatError, match="declares 1 functions but the code section has 2") as e:
        parse_module(bytes(data))
    assert e.value.offset == data.index(bytes([0x0A]), fsec)


def test_duplicate_section_is_an_error_with_offset() -> None:
    data = build("(module (memory 1))")
    mem = data.index(bytes([0x05, 0x03, 0x01, 0x00, 0x01]))
    doubled = data + data[mem : mem + 5]
    with pytest.raises(WasmFormatError, match="duplicate memory section") as e:
        parse_module(doubled)
    assert e.value.offset == len(data)


def test_component_is_refused_by_the_module_parser() -> None:
    with pytest.raises(WasmFormatError, match="component"):
        parse_module(build("(component)"))
