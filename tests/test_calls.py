"""Call sessions: state kept between calls, fresh instances, typed arguments, memory, globals, components."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wasi_playground.core.calls.component_session import ComponentSession
from wasi_playground.core.calls.module_session import CallSession, open_session
from wasi_playground.core.engine.config import ConfigError, Limits, RunConfig

REPO = Path(__file__).resolve().parent.parent
TYPED = REPO / "samples" / "typed-component" / "typed-component.wasm"

LIBRARY = r'''
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "host_only" (func $host_only))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi there\n")
  (global $count (export "count") (mut i32) (i32.const 0))
  (global (export "answer") i64 (i64.const -42))
  (global (export "vec") v128 (v128.const i32x4 1 2 3 4))
  (func (export "increment") (result i32)
    global.get $count i32.const 1 i32.add global.set $count global.get $count)
  (func (export "print") (result i32)
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 9))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "add32") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "swap") (param f32 f64) (result f64 f32) local.get 1 local.get 0)
  (func (export "bump") (param v128) (result v128) local.get 0 (v128.const i64x2 1 0) i64x2.add)
  (func (export "lanes") (param v128 i32) (result i32 v128) local.get 1 local.get 0)
  (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "boom") unreachable)
  (func (export "spin") (loop br 0))
  (func (export "needs_host") call $host_only)
)'''


@pytest.fixture
def session(wat):
    s = CallSession(wat(LIBRARY))
    yield s
    s.close()


def test_lists_exported_functions_with_signatures(session) -> None:
    sigs = {f.name: f.signature for f in session.functions()}
    assert sigs["add64"] == "(i64, i64) -> (i64)"
    assert sigs["swap"] == "(f32, f64) -> (f64, f32)"
    assert sigs["bump"] == "(v128) -> (v128)"
    assert "memory" not in sigs


def test_state_persists_until_fresh_instance(session) -> None:
    assert session.call("increment", []).results == [1]
    assert session.call("increment", []).results == [2]
    outcome = session.call("increment", [], fresh=True)
    assert outcome.results == [1] and outcome.fresh_instance
    session.call("increment", [])
    session.reset()
    assert session.call("increment", []).results == [1]


def test_wasi_output_is_captured_per_call(session) -> None:
    outcome = session.call("print", [])
    assert outcome.results == [0]
    assert outcome.stdout == "hi there\n"
    assert session.call("increment", []).stdout == ""


def test_results_time_and_fuel(session) -> None:
    outcome = session.call("add64", ["0x10", "-1"])
    assert outcome.results == [15]
    assert outcome.elapsed_ms > 0
    assert outcome.fuel_consumed is not None and outcome.fuel_consumed > 0
    assert session.call("add32", ["0xffffffff", "2"]).results == [1]
    assert session.call("swap", ["1.5", "-2.25"]).results == [-2.25, 1.5]


def test_v128_in_and_out_as_hex(session) -> None:
    assert session.call("bump", ["0x" + "00" * 15 + "ff"]).results == ["0x" + "00" * 14 + "0100"]
    assert session.call("bump", ["00" * 8 + "ff" * 8]).results == ["0x" + "00" * 16]  # lane 0 wraps
    assert session.call("lanes", ["000102030405060708090a0b0c0d0e0f", "7"]).results == [
        7, "0x000102030405060708090a0b0c0d0e0f"]


@pytest.mark.parametrize(("name", "args", "message"), [
    ("add32", ["4294967296", "0"], "does not fit in 32 bits"),
    ("add32", ["-2147483649", "0"], "does not fit in 32 bits"),
    ("add32", ["0xZZ", "0"], "is not an integer"),
    ("add64", ["1"], "takes 2 arguments"),
    ("bump", ["0x1234"], "expected 32 hex digits"),
    ("bump", ["g" * 32], "is not hexadecimal"),
    ("swap", ["one", "2"], "is not a number"),
    ("nope", [], "exports no function 'nope'"),
])
def test_bad_arguments_are_refused_before_running(session, name, args, message) -> None:
    with pytest.raises(ConfigError, match=message):
        session.call(name, args)
    assert session.call("increment", []).results == [1]


def test_traps_are_reported_and_the_session_goes_on(session) -> None:
    session.call("increment", [])
    trap = session.call("boom", [])
    assert "unreachable" in trap.trap
    assert "env::host_only" in session.call("needs_host", []).trap
    assert session.call("increment", []).results == [2]


def test_stop_a_runaway_call(session) -> None:
    session.call("increment", [])
    timer = threading.Timer(0.2, session.cancel)
    timer.start()
    outcome = session.call("spin", [])
    timer.join()
    assert outcome.trap == "stopped by user"
    assert 150 < outcome.elapsed_ms < 5000


def test_timeout_and_fuel_limits(wat) -> None:
    with CallSession(wat(LIBRARY), RunConfig(limits=Limits(timeout_s=0.2))) as s:
        assert s.call("spin", []).trap == "timed out after 0.2 s"
    with CallSession(wat(LIBRARY), RunConfig(limits=Limits(fuel=1000))) as s:
        assert "fuel" in s.call("spin", []).trap


def test_memory_reads_and_bounds(session) -> None:
    assert session.memories() == ["memory"]
    assert session.read_memory(16, 9) == b"hi there\n"
    session.call("poke", ["100", "0xab"])
    assert session.read_memory(99, 3) == b"\x00\xab\x00"
    assert session.memory_size() == 65536
    with pytest.raises(ConfigError, match="past the end of memory"):
        session.read_memory(65530, 100)
    with pytest.raises(ConfigError, match="negative"):
        session.read_memory(-1, 4)


def test_globals_show_values(session) -> None:
    session.call("increment", [])
    values = {g.name: (g.type, g.mutable, g.value) for g in session.globals()}
    assert values["count"] == ("i32", True, 1)
    assert values["answer"] == ("i64", False, -42)
    assert values["vec"] == ("v128", False, "0x00000004000000030000000200000001")


def test_module_without_exported_memory_still_gets_wasi(wat) -> None:
    path = wat('(module (memory 1) (func (export "f") (result i32) i32.const 7))')
    with CallSession(path) as s:
        assert s.call("f", []).results == [7]
        assert s.read_memory(0, 2) == b"\x00\x00"


def test_open_session_picks_component_session() -> None:
    s = open_session(TYPED)
    try:
        assert isinstance(s, ComponentSession)
        names = [f.name for f in s.functions()]
        assert "playground:typed/types@0.1.0#greet" in names
    finally:
        s.close()


def test_not_webassembly(tmp_path) -> None:
    bad = tmp_path / "x.wasm"
    bad.write_bytes(b"hello")
    with pytest.raises(ConfigError, match="not WebAssembly"):
        open_session(bad)


def test_component_session_keeps_resources_and_state() -> None:
    with ComponentSession(TYPED) as s:
        made = s.call("counter.new", ["5"])
        assert made.results == ["counter#1"]
        assert s.call("counter.increment", ["counter#1"]).results == ["6"]
        assert s.call("counter.increment", ["counter#1"]).results == ["7"]
        second = s.call("counter.new", ["100"]).results[0]
        assert s.call("counter.value", [second]).results == ["100"]
        assert s.call("counter.value", ["counter#1"]).results == ["7"]
        outcome = s.call("divide", ["1", "0"])
        assert outcome.results == ['err("division by zero")'] and outcome.fuel_consumed > 0
        with pytest.raises(ConfigError, match="no resource counter#1"):
            s.call("counter.value", ["counter#1"], fresh=True)


def test_component_session_captures_output_of_a_command_component() -> None:
    with ComponentSession(REPO / "samples/hello-component/hello-component.wasm") as s:
        outcome = s.call("wasi:cli/run#run", [])
        assert outcome.results == ["ok"]
        assert outcome.stdout == "Hello from a WASI 0.2 component!\n"


def test_component_with_imports_this_host_lacks_still_opens(tmp_path) -> None:
    from test_components import build_component

    path = build_component(tmp_path, """
        package demo:lacks@1.0.0;
        interface logger { log: func(message: string); }
        world app { import logger; export twice: func(n: u32) -> u32; }
    """)
    with ComponentSession(path) as s:
        assert [m.interface for m in s.missing] == ["demo:lacks/logger"]
        assert [f.name for f in s.functions()] == ["twice"]
        outcome = s.call("twice", ["2"])
        assert outcome.trap is not None and outcome.results == []


STDIN_READER = r'''
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "read_stdin") (result i32)
    (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 32))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.load (i32.const 8))))
'''


def test_text_stdin_scratch_folder_is_removed_on_close_and_on_garbage_collection(
    wat, tmp_path, monkeypatch
) -> None:
    import gc
    import tempfile

    from wasi_playground.core.engine.config import Stdin

    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
    config = RunConfig(stdin=Stdin(kind="text", text="hello"))
    path = wat(STDIN_READER)
    s = CallSession(path, config)
    assert list(scratch_root.iterdir()) == []  # made only when an instance needs it
    assert s.call("read_stdin", []).results == [5]
    assert s.read_memory(64, 5) == b"hello"
    assert len(list(scratch_root.iterdir())) == 1
    s.close()
    assert list(scratch_root.iterdir()) == []

    dropped = CallSession(path, config)
    dropped.call("read_stdin", [])
    assert len(list(scratch_root.iterdir())) == 1
    del dropped
    gc.collect()
    assert list(scratch_root.iterdir()) == []

    with CallSession(path) as no_stdin:
        assert no_stdin.call("read_stdin", []).results == [0]
        assert list(scratch_root.iterdir()) == []
