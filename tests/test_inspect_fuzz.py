"""Hypothesis throws mutated and truncated real modules at the inspector: only WasmFormatError may escape."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.inspect.report import inspect_bytes

RICH_WAT = """(module $m
  (type $t (func (param i32 i64) (result f32)))
  (rec (type $s (struct (field i32) (field (mut (ref null $s))))))
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "env" "mem" (memory 1 100 shared))
  (import "env" "g" (global (mut i32)))
  (import "env" "tag" (tag (param i32)))
  (table 3 funcref)
  (global $k i64 (i64.add (i64.const 1) (i64.const 2)))
  (func $f (export "f") (type $t) (local $x i32) f32.const 1)
  (func $start)
  (start $start)
  (elem (i32.const 0) func $f)
  (data (i32.const 0) "data")
  (export "k" (global $k)))"""

COMPONENT_WAT = """(component
  (import "wasi:cli/environment@0.2.0" (instance (export "get-arguments" (func (result (list string))))))
  (core module $m (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $inst (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $inst)))"""


@pytest.fixture(scope="module")
def seeds(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    source = tmp_path_factory.mktemp("fuzz") / "prog.c"
    source.write_text('#include <stdio.h>\n#include <stdlib.h>\nint main(int c, char **v) {'
                      ' printf("%s %d\\n", getenv("HOME"), c); return 0; }\n')
    zig_module = zig_cc(source, "-Wl,--strip-debug").read_bytes()
    return [bytes(wasmtime.wat2wasm(RICH_WAT)), bytes(wasmtime.wat2wasm(COMPONENT_WAT)), zig_module]


def exercise(data: bytes) -> None:
    """Inspect and touch every lazy part of the report, as the window would."""
    try:
        report = inspect_bytes(data)
    except WasmFormatError as e:
        assert isinstance(e.offset, int) and 0 <= e.offset <= len(data) + 16
        assert str(e)
        return
    report.to_json_dict()
    if report.names is not None:
        report.names.function_names()
        report.names.local_names(0)
        report.names.names_of("global")
    if report.module is not None:
        for i in range(min(report.module.function_count, 50)):
            report.module.func_type_of(i)


mutation = st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255),
                     st.sampled_from(["set", "insert", "delete", "truncate", "leb-bomb"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=2), edits=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_modules_raise_only_format_errors(seeds: list[bytes], which: int,
                                                   edits: list[tuple[int, int, str]]) -> None:
    data = bytearray(seeds[which])
    for position, value, op in edits:
        at = position % (len(data) + 1)
        if op == "set" and at < len(data):
            data[at] = value
        elif op == "insert":
            data[at:at] = bytes([value])
        elif op == "delete":
            del data[at:at + 1 + value % 8]
        elif op == "truncate":
            del data[at:]
        elif op == "leb-bomb":
            data[at:at] = b"\xff" * (1 + value % 12)
    exercise(bytes(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=2), cut=st.integers(min_value=0))
def test_every_truncation_inside_a_section_is_a_format_error(
    seeds: list[bytes], which: int, cut: int
) -> None:
    """Cutting between two sections may leave a shorter valid file; cutting anywhere else must be an error."""
    data = seeds[which]
    cut %= len(data)
    boundaries = {8} | {s.end for s in inspect_bytes(data).sections}
    if cut in boundaries:
        exercise(data[:cut])
        return
    with pytest.raises(WasmFormatError):
        inspect_bytes(data[:cut])


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_random_bytes_after_a_valid_header(tail: bytes) -> None:
    exercise(b"\0asm\x01\x00\x00\x00" + tail)
    exercise(b"\0asm\x0d\x00\x01\x00" + tail)


def test_seeds_themselves_inspect_cleanly(seeds: list[bytes], tmp_path: Path) -> None:
    kinds = [inspect_bytes(s).kind for s in seeds]
    assert kinds == ["module", "component", "module"]
