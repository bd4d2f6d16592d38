"""Hostile modules stay contained: every one ends with a clear result, and the host is unharmed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from wasi_playground.core.engine.config import Limits, Preopen, RunConfig
from wasi_playground.core.run.runner import run

HERE = Path(__file__).resolve().parent / "hardening"
MiB = 1024 * 1024


def test_infinite_loop_is_stopped_by_the_timeout(wat) -> None:
    module = wat('(module (func (export "_start") (loop br 0)))')
    result = run(module, RunConfig(limits=Limits(timeout_s=0.3)))
    assert result.timed_out and result.trap is not None
    assert result.timings_ms["run"] < 2000


def test_unbounded_recursion_is_a_stack_overflow_trap(wat) -> None:
    module = wat('(module (func $f (export "_start") call $f))')
    result = run(module, RunConfig())
    assert result.trap is not None
    assert "stack" in result.trap.message.lower()
    assert result.exit_code is None


def test_memory_growth_to_4_gib_is_refused_by_a_limit_in_words(wat) -> None:
    module = wat("""(module (memory 1)
      (func (export "_start")
        (loop (br_if 0 (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))))""")
    result = run(module, RunConfig(limits=Limits(max_memory_bytes=64 * MiB)))
    assert result.memory_bytes is not None and result.memory_bytes <= 64 * MiB
    assert result.limit_message and "64 MiB" in result.limit_message


def test_memory_growth_to_4_gib_without_a_limit_does_not_commit_host_memory(wat) -> None:
    psutil = pytest.importorskip("psutil")
    module = wat("""(module (memory 1)
      (func (export "_start")
        (loop (br_if 0 (i32.ne (memory.grow (i32.const 4096)) (i32.const -1))))))""")
    rss_before = psutil.Process().memory_info().rss
    result = run(module, RunConfig())
    assert result.exit_code == 0
    assert result.memory_bytes is not None and result.memory_bytes >= 3840 * MiB
    assert psutil.Process().memory_info().rss - rss_before < 200 * MiB


def test_table_growth_is_refused_by_a_limit(wat) -> None:
    module = wat("""(module (table 1 funcref)
      (func (export "_start")
        (loop (br_if 0 (i32.ne (table.grow (ref.null func) (i32.const 100000)) (i32.const -1))))))""")
    result = run(module, RunConfig(limits=Limits(max_table_elements=10_000)))
    assert result.exit_code == 0
    assert result.limit_message and "table" in result.limit_message


def test_output_flood_is_kept_bounded_and_spilled_whole(wat) -> None:
    # 64 KiB page of 'x' written 800 times: 50 MiB.
    module = wat("""(module (import "wasi_snapshot_preview1" "fd_write"
        (func $w (param i32 i32 i32 i32) (result i32)))
      (memory 2)
      (func (export "_start") (local $i i32)
        (memory.fill (i32.const 1024) (i32.const 120) (i32.const 65536))
        (i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const 65536))
        (loop (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if 0 (i32.lt_u (local.get $i) (i32.const 800))))))""")
    result = run(module, RunConfig())
    assert result.exit_code == 0
    assert result.stdout_bytes == 800 * 65536
    assert result.stdout_truncated and len(result.stdout) < 20 * MiB
    assert result.stdout_file and os.path.getsize(result.stdout_file) == 800 * 65536


def test_invalid_utf8_and_escapes_arrive_as_text_not_as_an_error(wat) -> None:
    module = wat(r"""(module (import "wasi_snapshot_preview1" "fd_write"
        (func $w (param i32 i32 i32 i32) (result i32)))
      (memory 1) (data (i32.const 16) "\ff\fe\1b]0;pwned\07ok\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 15))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""")
    result = run(module, RunConfig())
    assert result.exit_code == 0
    assert result.stdout.endswith("ok\n") and "\ufffd" in result.stdout


def test_enormous_argv_and_env_run_or_fail_clearly(wat) -> None:
    module = wat('(module (memory (export "memory") 1) (func (export "_start")))')
    config = RunConfig(args=["a" * 1000] * 2000, env=[(f"V{i}", "v" * 500) for i in range(2000)])
    result = run(module, config)
    assert result.exit_code == 0 or (result.error and "argument" in result.error.lower())


def test_thousands_of_open_files_stay_inside_the_guest(zig_cc, tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    (box / "inside.txt").write_text("inside\n")
    fds_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    result = run(
        zig_cc(HERE / "many_files.c"), RunConfig(args=["5000"], preopens=[Preopen(str(box), "/box")])
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(("opened 5000", "stopped after"))
    if fds_before is not None:
        assert len(os.listdir("/proc/self/fd")) - fds_before < 50


def test_every_sandbox_escape_is_denied(zig_cc, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret\n")
    box, other = tmp_path / "box", tmp_path / "other"
    box.mkdir()
    other.mkdir()
    (box / "inside.txt").write_text("inside\n")
    (box / "link-out").symlink_to("../secret.txt")
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    result = run(
        zig_cc(HERE / "escape_all.c"),
        RunConfig(preopens=[Preopen(str(box), "/box"), Preopen(str(other), "/other")]),
    )
    assert result.exit_code == 0, result
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    escapes = [
        "dotdot",
        "deep-dotdot",
        "absolute",
        "symlink-out",
        "new-symlink",
        "hardlink-out",
        "hardlink-in-to-out",
        "rename-out",
    ]
    assert {k: lines[k] for k in escapes if lines[k] == "ALLOWED"} == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before
    assert (tmp_path / "secret.txt").read_text() == "secret\n"
    assert (box / "inside.txt").exists()


def test_a_hostile_run_does_not_disturb_a_concurrent_one(wat) -> None:
    spin = wat('(module (func (export "_start") (loop br 0)))')
    ok = wat('(module (memory (export "memory") 1) (func (export "_start")))')
    results = {}
    t = threading.Thread(
        target=lambda: results.setdefault("spin", run(spin, RunConfig(limits=Limits(timeout_s=1))))
    )
    t.start()
    results["ok"] = run(ok, RunConfig())
    t.join(10)
    assert results["ok"].exit_code == 0 and not results["ok"].timed_out
    assert results["spin"].timed_out
