"""One-function WAT: names, links for calls and branches, and text that assembles back to the same code."""

from __future__ import annotations

import re

import pytest
import wasmtime

from wasi_playground.core.binary.reader import WasmFormatError, read_sections
from wasi_playground.core.lookinside.disasm.printer import MAX_INDENT
from wasi_playground.core.lookinside.functions import FunctionTable

TYPES = """
  (type (func (param i32) (result i32)))
  (type (func (param i32 i32) (result i32)))
  (type (func))
"""
HEADER = TYPES + """
  (import "env" "ext" (func $ext (type 0)))
  (global $counter (mut i32) (i32.const 0))
  (memory 1)
  (table 2 funcref)
"""
FUNCS = """
  (func $helper (type 0) (param $x i32) (result i32)
    local.get $x
    i32.const 1
    i32.add)
  (func $main (type 1) (param $n i32) (param $m i32) (result i32) (local $acc i32) (local f64 i64)
    block $out
      loop $again
        local.get $n
        i32.eqz
        br_if $out
        local.get $n
        call $helper
        local.set $acc
        global.get $counter
        i32.load offset=4 align=1
        i64.load8_s offset=3
        drop
        f64.const -0x1.8p+1
        local.set 3
        f32.const nan:0x200000
        drop
        local.get $n
        i32.const -7
        i32.const 0
        call_indirect (type 1)
        br_table $out $again $out
      end
    end
    local.get $acc
    if (result i32)
      i32.const 1
    else
      local.get $m
      call $ext
    end
    return)
  (func $bulk (type 2)
    i32.const 0
    i32.const 1
    i32.const 2
    memory.copy
    i32.const 0
    i32.extend8_s
    i32.trunc_sat_f32_s
    drop
    ref.func $helper
    drop)
  (elem declare func $helper)
"""


@pytest.fixture
def table() -> FunctionTable:
    return FunctionTable.from_bytes(wasmtime.wat2wasm(f"(module {HEADER} {FUNCS})"))


def _code_section(data: bytes) -> bytes:
    _, sections = read_sections(data)
    code = next(s for s in sections if s.name == "code")
    return data[code.payload_offset:code.end]


def test_names_from_name_section_including_locals(table: FunctionTable) -> None:
    text = table.wat(2).text
    assert text.splitlines()[0] == "(func $main (;2;) (type 1) (param $n i32) (param $m i32) (result i32)"
    assert "(local $acc i32) (local f64 i64)" in text
    assert "global.get $counter" in text
    assert "local.set $acc" in text and "local.set 3" in text


def test_call_links_point_at_callees(table: FunctionTable) -> None:
    ft = table.wat(2)
    calls = {ft.text[link.start:link.end]: link.target for link in ft.links if link.kind == "func"}
    assert calls == {"$helper": 1, "$ext": 0}
    assert "call $helper" in ft.text and "call $ext" in ft.text


def test_branch_labels_and_links_to_the_block_line(table: FunctionTable) -> None:
    ft = table.wat(2)
    lines = ft.text.splitlines()
    assert lines[2].strip() == "block $label0"
    assert lines[3].strip() == "loop $label1"
    assert "br_if $label0" in ft.text
    assert "br_table $label0 $label1 $label0" in ft.text
    label_links = [link for link in ft.links if link.kind == "label"]
    assert len(label_links) == 4
    for link in label_links:
        name = ft.text[link.start:link.end]
        assert lines[link.target].split()[-1] == name


def test_memarg_constants_and_prefixed_ops(table: FunctionTable) -> None:
    main = table.wat(2).text
    assert "i32.load offset=4 align=1" in main
    assert re.search(r"i64.load8_s offset=3\n", main)
    assert "f64.const -3.0" in main and "f32.const nan:0x200000" in main
    assert "i32.const -7" in main and "call_indirect (type 1)" in main
    bulk = table.wat(3).text
    for op in ("memory.copy", "i32.extend8_s", "i32.trunc_sat_f32_s", "ref.func $helper"):
        assert op in bulk


def test_function_texts_assemble_back_to_the_same_code(table: FunctionTable) -> None:
    original = wasmtime.wat2wasm(f"(module {HEADER} {FUNCS})")
    rebuilt_funcs = "\n".join(table.wat(i).text for i in range(1, len(table)))
    rebuilt = wasmtime.wat2wasm(f"(module {HEADER} {rebuilt_funcs} (elem declare func $helper))")
    assert _code_section(rebuilt) == _code_section(original)


def test_deep_nesting_indent_is_capped(wat) -> None:
    depth = 120
    body = "block\n" * depth + "end\n" * depth
    t = FunctionTable.from_path(wat(f"(module (func {body}))"))
    text = t.wat(0).text
    assert text.count("block $label") == depth
    assert max(len(line) - len(line.lstrip()) for line in text.splitlines()) == 2 * (MAX_INDENT + 1)


def test_import_shows_its_declaration(table: FunctionTable) -> None:
    assert table.wat(0).text.strip() == '(import "env" "ext" (func (param i32) (result i32)))'


def test_body_without_final_end_is_a_format_error(table: FunctionTable) -> None:
    start, end = table.body_range(1)
    data = bytearray(table.data)
    assert data[end - 1] == 0x0B
    data[end - 1] = 0x01  # the final `end` becomes a `nop`
    damaged = FunctionTable(bytes(data), table.module, table.names, table.body_starts, table.body_sizes)
    with pytest.raises(WasmFormatError, match="no final end"):
        damaged.wat(1)
    data[start + 1] = 0xFF  # an opcode that does not exist
    damaged = FunctionTable(bytes(data), table.module, table.names, table.body_starts, table.body_sizes)
    with pytest.raises(WasmFormatError, match="unknown opcode 0xff") as err:
        damaged.wat(1)
    assert err.value.offset == start + 1


EH_HEADER = """
  (type (func (param i32)))
  (type (func (result i32)))
  (tag $e (type 0))
"""
EH_FUNCS = """
  (func $thrower (type 0) (param i32) local.get 0 throw $e)
  (func $legacy (type 1) (result i32)
    try (result i32)
      i32.const 1
      call $thrower
      i32.const 2
    catch $e
    catch_all
      i32.const 3
    end)
  (func $delegating (type 0) (param i32)
    block $outer
      try $t
        try
          local.get 0
          call $thrower
        delegate $outer
      catch_all
        rethrow $t
      end
    end)
  (func $modern (type 1) (result i32)
    block $h (result i32)
      try_table (catch $e $h)
        i32.const 7
        call $thrower
      end
      i32.const 0
    end)
  (func $with_ref (type 1) (result i32)
    block $b (result exnref)
      try_table (catch_all_ref $b)
        i32.const 1
        call $thrower
      end
      unreachable
    end
    throw_ref)
"""


def test_exception_handling_legacy_and_try_table() -> None:
    original = wasmtime.wat2wasm(f"(module {EH_HEADER} {EH_FUNCS})")
    table = FunctionTable.from_bytes(bytes(original))
    delegating = table.wat(2).text
    assert "delegate $label0" in delegating and "rethrow $label1" in delegating
    assert "try_table $label1 (catch $e $label0)" in table.wat(3).text
    assert "(catch_all_ref $label0)" in table.wat(4).text
    assert "catch $e\n  catch_all\n" in table.wat(1).text
    bodies = "".join(table.wat(i).text for i in range(len(table)))
    rebuilt = wasmtime.wat2wasm(f"(module {EH_HEADER} {bodies})")
    assert _code_section(rebuilt) == _code_section(original)


PROPOSALS_HEADER = """
  (type $pt (struct (field (mut i32)) (field i64)))
  (type $arr (array (mut i8)))
  (type $f (func (param i32) (result i32)))
  (memory $m0 1)
  (memory $m1 1)
  (table $t0 2 funcref)
  (table $t1 2 funcref)
  (data $d "abc")
  (elem $e func $id)
  (global $g (mut i32) (i32.const 0))
"""
PROPOSALS_FUNCS = """
  (func $id (type $f) (param i32) (result i32) local.get 0)
  (func $many (type $f) (param i32) (result i32)
    (local v128 (ref null $pt) anyref)
    i32.const 0
    v128.load offset=16 align=8
    v128.const i32x4 1 2 3 4
    i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i32x4.extract_lane 2
    drop
    i32.const 0
    i32.const 0
    v128.load64_splat
    v128.store32_lane 1 offset=4 3
    i32.const 0 i32.const 0 i32.const 3 memory.init $m1 $d
    i32.const 0 i32.const 0 i32.const 3 memory.copy $m1 $m0
    i32.const 0 i32.const 0 i32.const 1 table.copy $t1 $t0
    i32.const 0 i32.const 0 i32.const 1 table.init $t1 $e
    data.drop $d
    i32.const 1 i32.load8_u $m1 offset=2
    drop
    i32.const 0 i32.const 1 i32.atomic.rmw.add offset=4
    drop
    atomic.fence
    i32.const 5 i64.const 6 struct.new $pt
    local.set 2
    local.get 2 struct.get $pt 0
    drop
    i32.const 1 i32.const 4 array.new $arr
    array.len
    drop
    local.get 3
    ref.test (ref null $pt)
    drop
    block $l (result anyref)
      local.get 3
      br_on_cast $l anyref (ref $pt)
      drop
      ref.null any
    end
    drop
    f32.const 0x1p-149 drop
    f64.const -nan:0x8 drop
    f32.const inf drop
    f64.const -0.0 drop
    f32.const 0.1 drop
    local.get 0
    i32.const 0
    call_indirect $t1 (type $f)
    return_call $id)
"""


def test_simd_bulk_memory_threads_gc_multi_memory_round_trip() -> None:
    original = wasmtime.wat2wasm(f"(module {PROPOSALS_HEADER} {PROPOSALS_FUNCS})")
    table = FunctionTable.from_bytes(bytes(original))
    text = table.wat(1).text
    for expected in (
        "v128.store32_lane 1 offset=4 3",
        "memory.init 1 0",
        "i32.load8_u 1 offset=2",
        "br_on_cast $label0 (ref null any) (ref 0)",
        "call_indirect 1 (type 2)",
        "array.len\n",
        "f64.const -nan:0x8",
        "f32.const 0.1\n",
        "return_call $id",
    ):
        assert expected in text
    rebuilt = wasmtime.wat2wasm(f"(module {PROPOSALS_HEADER} {''.join(table.wat(i).text for i in range(2))})")
    assert _code_section(rebuilt) == _code_section(original)
