"""Tracing hand-written modules: ring flushes, process denial, memory rewriting, the wrapper cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasi_playground.core.engine.config import ConfigError, Preopen, RunConfig
from wasi_playground.core.engine.engines import get_engine
from wasi_playground.core.run.runner import run
from wasi_playground.core.trace import TraceEvent, TraceSession
from wasi_playground.core.trace.layout import RING_RECORDS
from wasi_playground.core.trace.rewrite import rewrite_memory_as_import
from wasi_playground.core.trace.wrapper import wrapper_module

CLOCK_LOOP = """
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1 3)
  (data (i32.const 0) "\\2a\\2a\\2a\\2a\\2a\\2a\\2a\\2a")
  (func (export "_start") (local $i i32) (local $bad i32)
    (loop $l
      (if (i32.ne (call $clock (i32.const 1) (i64.const 1) (i32.const 64)) (i32.const 0))
        (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const N))))
    ;; memory byte 0..7 must still hold the data segment: the wrapper's clock probe restores it
    (if (i64.ne (i64.load (i32.const 0)) (i64.const 0x2a2a2a2a2a2a2a2a)) (then unreachable))
    (call $exit (i32.add (i32.mul (local.get $bad) (i32.const 0)) (call $yield)))))
"""


class Collect:
    def __init__(self) -> None:
        self.events: list[TraceEvent] = []

    def on_trace(self, event: TraceEvent) -> None:
        self.events.append(event)


def test_many_calls_cross_ring_flushes_in_order(wat) -> None:
    n = RING_RECORDS * 3 + 17
    path = wat(CLOCK_LOOP.replace("N", str(n)))
    sink = Collect()
    result = run(path, RunConfig(trace=True), sink)
    assert result.error is None and result.trap is None, result
    assert result.exit_code == 0
    assert result.trace_calls == n + 2 == len(sink.events)
    assert [e.seq for e in sink.events] == list(range(1, n + 3))
    assert {e.func for e in sink.events[:n]} == {"clock_time_get"}
    assert sink.events[0].out_value is not None and sink.events[0].out_value > 0
    assert [e.func for e in sink.events[-2:]] == ["sched_yield", "proc_exit"]


def test_process_denied_blocks_yield_but_not_exit(wat) -> None:
    path = wat(CLOCK_LOOP.replace("N", "3"))
    sink = Collect()
    result = run(path, RunConfig(trace=True, denied=["process"]), sink)
    yield_event, exit_event = sink.events[-2:]
    assert yield_event.denied and yield_event.result == "ENOTCAPABLE"
    assert not exit_event.denied and dict(exit_event.args)["rval"] == "76"
    assert result.exit_code == 76
    assert any("sched_yield denied: process switched off" in x for x in result.explanations)
    assert any("proc_exit ran although process calls are switched off" in x for x in result.explanations)


def test_memory_limits_survive_the_rewrite(wat) -> None:
    path = wat(CLOCK_LOOP.replace("N", "1"))
    plain = run(path, RunConfig())
    traced = run(path, RunConfig(trace=True))
    assert traced.memory_bytes == plain.memory_bytes == 65536
    rewritten = rewrite_memory_as_import(path.read_bytes())
    assert rewritten.memory is not None and (rewritten.memory.minimum, rewritten.memory.maximum) == (1, 3)
    module = wasmtime.Module(wasmtime.Engine(), rewritten.data)
    assert [(i.module, i.name, type(i.type)) for i in module.imports][-1] == ("", "", wasmtime.MemoryType)
    assert rewritten.wasi_imports == ("clock_time_get", "proc_exit", "sched_yield")


def test_direct_path_open_without_preopen_explains(wat) -> None:
    path = wat("""
    (module
      (import "wasi_snapshot_preview1" "path_open"
        (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "secret.txt")
      (func (export "_start")
        (drop (call $open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 10) (i32.const 0)
                          (i64.const 0x3fffffff) (i64.const 0x3fffffff) (i32.const 0) (i32.const 100)))))""")
    sink = Collect()
    result = run(path, RunConfig(trace=True), sink)
    (event,) = sink.events
    assert event.result == "EBADF" and event.paths == ("secret.txt",)
    assert dict(event.args)["fs_rights_base"].startswith("all")
    assert result.explanations == ['path_open("secret.txt") failed with EBADF: the module has no preopened '
                                   'directory; add one in Directories']


def test_read_only_preopen_write_is_explained(wat, tmp_path: Path) -> None:
    path = wat("""
    (module
      (import "wasi_snapshot_preview1" "path_open"
        (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "new.txt")
      (func (export "_start")
        (drop (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 7) (i32.const 1)
                          (i64.const 0x3fffffff) (i64.const 0x3fffffff) (i32.const 0) (i32.const 100)))))""")
    sink = Collect()
    result = run(path, RunConfig(trace=True, preopens=[Preopen(str(tmp_path), "/ro", read_only=True)]), sink)
    (event,) = sink.events
    assert dict(event.args)["oflags"] == "CREAT" and event.result != "ESUCCESS"
    assert not (tmp_path / "new.txt").exists()
    assert result.explanations and "new.txt" in result.explanations[0]
    assert result.fs_changes == []


def test_module_without_memory_fails_the_same_when_traced(wat) -> None:
    path = wat("""
    (module
      (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))
      (func (export "_start") (drop (call $y))))""")
    plain = run(path, RunConfig())
    traced = run(path, RunConfig(trace=True))
    assert plain.trap is not None and traced.trap is not None
    assert traced.trap.message == plain.trap.message == "missing required memory export"
    assert traced.exit_code is plain.exit_code is None and traced.trace_calls == 0


def test_wrapper_is_compiled_once_per_combination() -> None:
    engine = get_engine()
    a = wrapper_module(engine, ("fd_write",), frozenset(), True)
    b = wrapper_module(engine, ("fd_write",), frozenset(), True)
    c = wrapper_module(engine, ("fd_write",), frozenset({"stdio"}), True)
    assert a is b and a is not c


def test_components_and_imported_memory_are_refused_clearly(wat) -> None:
    imported = wat('(module (import "env" "memory" (memory 1)))')
    with pytest.raises(ConfigError, match="imports its memory"):
        TraceSession(RunConfig(trace=True), lambda e: None).prepare(imported.read_bytes())
    with pytest.raises(ConfigError, match="core modules"):
        TraceSession(RunConfig(trace=True), lambda e: None).prepare(b"\0asm\x0d\0\x01\0")


def test_trap_backtrace_is_the_same_when_traced() -> None:
    from wasi_playground.core.samples import get_sample

    sample = get_sample("trap")
    plain = run(sample.wasm_path, sample.config)
    traced = run(sample.wasm_path, RunConfig(**{**sample.config.__dict__, "trace": True}))
    assert plain.trap is not None and traced.trap is not None
    assert traced.trap.message == plain.trap.message
    assert traced.trap.frames == plain.trap.frames
    rewritten = rewrite_memory_as_import(sample.wasm_path.read_bytes()).data
    assert len(rewritten) == sample.wasm_path.stat().st_size
