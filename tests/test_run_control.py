"""The runner on WAT modules: traps with backtraces, stop, timeout, fuel, limits in words, typed invoke."""

from __future__ import annotations

import threading
import time

import pytest

from wasi_playground.core.engine.config import Limits, RunConfig
from wasi_playground.core.run.runner import run, start_run

MiB = 1024 * 1024
SPIN = '(module (func $spin (export "_start") (loop br 0)))'


def test_trap_has_message_code_and_named_frames(wat) -> None:
    module = wat("""(module
      (func $main (export "_start") (call $middle))
      (func $middle (call $divide (i32.const 0)))
      (func $divide (param i32) (drop (i32.div_s (i32.const 1) (local.get 0)))))""")
    result = run(module, RunConfig())
    assert result.exit_code is None and result.trap is not None
    assert result.trap.code == "integer_division_by_zero"
    assert "divide by zero" in result.trap.message and "backtrace" not in result.trap.message
    assert [(f.func_index, f.func_name) for f in result.trap.frames] == [
        (2, "divide"), (1, "middle"), (0, "main")]
    data = module.read_bytes()
    # offsets point into the file as given, at the div_s instruction (0x6d)
    assert data[result.trap.frames[0].module_offset] == 0x6D


def test_trap_offsets_stay_true_when_the_runner_exports_memory_for_probing(wat) -> None:
    module = wat('(module (memory 1) (table 1 funcref) (func $f (export "_start") unreachable))')
    result = run(module, RunConfig())
    assert result.trap.code == "unreachable"
    assert module.read_bytes()[result.trap.frames[0].module_offset] == 0x00
    assert result.memory_bytes == 65536


def test_stop_ends_an_infinite_loop_within_100_ms(wat) -> None:
    handle = start_run(wat(SPIN), RunConfig())
    time.sleep(0.2)
    assert not handle.done
    started = time.perf_counter()
    handle.cancel()
    result = handle.wait(5)
    latency = time.perf_counter() - started
    assert result.cancelled and not result.timed_out
    assert result.trap is not None and result.trap.code == "interrupt"
    assert result.trap.frames and result.trap.frames[0].func_name == "spin"
    assert latency < 1.0  # the benchmark measures the real figure; this only guards against a hang


def test_output_arrives_while_the_module_is_still_running(wat) -> None:
    module = wat(r"""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 16) "before the loop\n")
      (func (export "_start") (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 16))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (loop br 0)))""")
    arrived = threading.Event()

    class Sink:
        def on_stdout(self, data: bytes) -> None:
            arrived.set()

    handle = start_run(module, RunConfig(), Sink())
    try:
        assert arrived.wait(5), "output did not stream before the run ended"
        assert not handle.done
    finally:
        handle.cancel()
    assert handle.wait(5).stdout == "before the loop\n"


def test_timeout_stops_the_run_and_says_so(wat) -> None:
    result = run(wat(SPIN), RunConfig(limits=Limits(timeout_s=0.2)))
    assert result.timed_out and not result.cancelled
    assert result.trap.message == "timed out after 0.2 s"
    assert 150 < result.timings_ms["run"] < 3000


def test_stopping_one_run_leaves_another_running(wat) -> None:
    first = start_run(wat(SPIN), RunConfig())
    second = start_run(wat(SPIN), RunConfig())
    time.sleep(0.1)
    first.cancel()
    assert first.wait(5).cancelled
    time.sleep(0.2)
    assert not second.done
    second.cancel()
    assert second.wait(5).cancelled


def test_cancel_before_the_code_starts_still_gives_a_result(wat) -> None:
    handle = start_run(wat(SPIN), RunConfig())
    handle.cancel()
    result = handle.wait(5)
    assert result.cancelled and result.exit_code is None


def test_fuel_exhaustion_is_a_trap_with_the_budget_in_words(wat) -> None:
    result = run(wat(SPIN), RunConfig(limits=Limits(fuel=50_000)))
    assert result.trap.code == "out_of_fuel"
    assert result.fuel_consumed == 50_000
    assert "50,000" in result.limit_message


def test_fuel_consumed_is_reported_and_flagged_after_a_trap(wat) -> None:
    ok = run(
        wat('(module (func (export "_start") (local i32) (local.set 0 (i32.const 1))))'),
        RunConfig(limits=Limits(fuel=1000)),
    )
    assert ok.exit_code == 0 and 0 < ok.fuel_consumed < 1000 and ok.notes == []
    trapped = run(wat('(module (func (export "_start") unreachable))'), RunConfig(limits=Limits(fuel=1000)))
    assert trapped.trap.code == "unreachable"
    assert any("under-report" in note for note in trapped.notes)


def test_memory_limit_that_bites_is_said_in_words(wat) -> None:
    module = wat("""(module (memory 1)
      (func (export "_start") (drop (memory.grow (i32.const 1279)))))""")  # to 80 MiB
    result = run(module, RunConfig(limits=Limits(max_memory_bytes=64 * MiB)))
    assert result.exit_code == 0 and result.memory_bytes == 65536
    assert result.limit_message is None  # one failed grow at 64 KiB is not "near the limit": see below
    grower = wat("""(module (memory 1)
      (func (export "_start")
        (loop (br_if 0 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))))""")
    result = run(grower, RunConfig(limits=Limits(max_memory_bytes=64 * MiB)))
    assert result.memory_bytes == 64 * MiB
    assert result.limit_message.startswith("memory.grow past 64 MiB refused: limit is 64 MiB")


def test_memory_needed_at_start_beyond_the_limit_is_an_error(wat) -> None:
    result = run(
        wat('(module (memory 2000) (func (export "_start")))'),
        RunConfig(limits=Limits(max_memory_bytes=64 * MiB)),
    )
    assert result.error and "cannot be instantiated" in result.error


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["7", "-1", "1.5", "2.25"], [6, 3.75]),
        (["0x7fffffff", "1", "0", "-0.5"], [2147483648, -0.5]),
    ],
)
def test_invoke_with_typed_arguments_reports_results(wat, args, expected) -> None:
    module = wat("""(module (func (export "calc") (param i32 i64 f32 f64) (result i64 f64)
        (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))
        (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))""")
    result = run(module, RunConfig(invoke="calc", invoke_args=args))
    assert result.error is None and result.results == expected and result.exit_code == 0


def test_invoke_argument_errors_are_clear(wat) -> None:
    module = wat(
        '(module (func (export "one") (param i32) (result i32) (local.get 0)) (memory (export "m") 1))'
    )
    cases = {
        "takes 1 argument (i32) -> (i32), but 2 were given": ["1", "2"],
        "argument 1 (i32): 'x' is not an integer": ["x"],
        "argument 1 (i32): 4294967296 does not fit in 32 bits": ["4294967296"],
    }
    for words, args in cases.items():
        assert words in run(module, RunConfig(invoke="one", invoke_args=args)).error
    assert "not a function" in run(module, RunConfig(invoke="m")).error
    assert "no _start" in run(module, RunConfig()).error
    assert run(module, RunConfig(invoke="one", invoke_args=["-1"])).results == [-1]


def test_v128_arguments_and_results_are_hex(wat) -> None:
    module = wat('(module (func (export "id") (param v128) (result v128) (local.get 0)))')
    value = "000102030405060708090a0b0c0d0e0f"
    result = run(module, RunConfig(invoke="id", invoke_args=[value]))
    assert result.error is None and result.results == ["0x" + value]


def test_not_webassembly_and_missing_files_are_errors_not_tracebacks(tmp_path) -> None:
    junk = tmp_path / "junk.wasm"
    junk.write_bytes(b"hello world")
    assert "not a WebAssembly module" in run(junk, RunConfig()).error
    assert "module not found" in run(tmp_path / "none.wasm", RunConfig()).error
    assert "does not compile" in run(b"\0asm\x01\0\0\0\x01\x05", RunConfig()).error


def test_unknown_import_is_an_instantiation_error(wat) -> None:
    module = wat('(module (import "env" "magic" (func)) (func (export "_start")))')
    result = run(module, RunConfig())
    assert result.error and "env" in result.error and "magic" in result.error


def test_a_thousand_runs_keep_memory_flat(wat) -> None:
    psutil = pytest.importorskip("psutil")
    module = wat("""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 16) "hi\\n")
      (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""").read_bytes()
    for _ in range(100):
        run(module, RunConfig())
    rss_before = psutil.Process().memory_info().rss
    threads_before = threading.active_count()
    for _ in range(1000):
        assert run(module, RunConfig()).stdout == "hi\n"
    growth = psutil.Process().memory_info().rss - rss_before
    assert growth < 20 * MiB, f"grew {growth / MiB:.1f} MiB over 1000 runs"
    assert threading.active_count() <= threads_before + 1
