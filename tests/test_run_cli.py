"""`wasi-playground run` as a user types it: options anywhere, `--`, stdin, exit codes, JSON, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "run_programs"
JSON_KEYS = {"exit_code", "stdout", "stderr", "trap", "timings_ms", "fuel_consumed", "memory_bytes",
             "cancelled", "timed_out", "results"}


@pytest.fixture(scope="module")
def probe(zig_cc) -> Path:
    return zig_cc(PROGRAMS / "probe.c")


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wasi_playground", "run", *args], input=stdin,
                          capture_output=True, timeout=60, env=os.environ.copy())


def test_output_streams_and_exit_status_is_the_modules(probe: Path) -> None:
    done = cli(str(probe), "--", "exit", "7")
    assert done.returncode == 7 and done.stdout == b"exiting\n" and done.stderr == b""


def test_options_before_or_after_file_and_dashdash_passes_the_rest(probe: Path, tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("from dir\n")
    before = cli("--dir", f"{tmp_path}::/d", str(probe), "--env", "X=1", "--", "read", "/d/f.txt")
    assert before.returncode == 0 and before.stdout == b"from dir\n"
    after = cli(str(probe), "--env", "X=1", "--", "env", "--json")
    assert after.stdout == b"X=1\n"  # --json after -- belongs to the module


def test_dir_ro_blocks_writes(probe: Path, tmp_path: Path) -> None:
    done = cli(str(probe), "--dir-ro", f"{tmp_path}::/d", "--", "write", "/d/x", "y")
    assert done.returncode == 1 and done.stdout.startswith(b"write failed")
    assert not (tmp_path / "x").exists()


def test_stdin_dash_passes_our_stdin_through(probe: Path, tmp_path: Path) -> None:
    assert cli(str(probe), "--stdin", "-", "--", "stdin", stdin=b"piped\n").stdout == b"PIPED\n"
    source = tmp_path / "in.txt"
    source.write_bytes(b"file\n")
    assert cli(str(probe), "--stdin", str(source), "--", "stdin").stdout == b"FILE\n"
    assert cli(str(probe), "--", "stdin", stdin=b"not granted").stdout == b""


def test_json_has_the_design_keys(probe: Path) -> None:
    done = cli("--json", str(probe), "--fuel", "100000000", "--", "args", "a")
    data = json.loads(done.stdout)
    assert JSON_KEYS <= set(data)
    assert data["exit_code"] == 0 and data["stdout"].endswith("1=args\n2=a\n")
    assert set(data["timings_ms"]) >= {"read", "compile", "instantiate", "run", "total"}
    assert data["fuel_consumed"] > 0 and data["trap"] is None and data["memory_bytes"] > 0


def test_trap_exits_134_with_one_line(wat) -> None:
    module = wat('(module (func $explode (export "_start") unreachable))')
    done = cli(str(module))
    assert done.returncode == 134
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "unreachable" in lines[0] and "explode" in lines[0]
    data = json.loads(cli("--json", str(module)).stdout)
    assert data["trap"]["code"] == "unreachable"
    assert data["trap"]["frames"][0]["func_name"] == "explode"
    assert set(data["trap"]["frames"][0]) == {"func_index", "func_name", "module_offset"}


def test_timeout_and_memory_limit_options(wat) -> None:
    spin = wat('(module (func (export "_start") (loop br 0)))')
    done = cli(str(spin), "--timeout", "0.2", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 134 and data["timed_out"] is True
    # Grows one page at a time until refused, then exits with the number of 64 KiB pages it holds.
    grower = wat("""(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory 1) (func (export "_start")
        (loop (br_if 0 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        (call $exit (memory.size))))""")
    limited = cli(str(grower), "--max-memory", "2MiB")
    assert limited.returncode == 32, limited.stderr  # 2 MiB: the guest really was refused there
    assert b"limit is 2 MiB" in limited.stderr
    data = json.loads(cli(str(grower), "--max-memory", "3MiB", "--json").stdout)
    assert data["exit_code"] == 48 and data["memory_bytes"] == 3 * 1024 * 1024


def test_invoke_with_typed_args(wat) -> None:
    module = wat(
        '(module (func (export "mul") (param i64 f64) (result f64)'
        ' (f64.mul (f64.convert_i64_s (local.get 0)) (local.get 1))))'
    )
    data = json.loads(cli(str(module), "--invoke", "mul", "--json", "--", "-3", "2.5").stdout)
    assert data["results"] == [-7.5] and data["exit_code"] == 0
    plain = cli(str(module), "--invoke", "mul", "--", "4", "0.5")
    assert plain.returncode == 0 and plain.stdout == b"2.0\n"
    wrong = cli(str(module), "--invoke", "mul", "--", "1")
    assert wrong.returncode == 2 and b"takes 2 arguments" in wrong.stderr


def test_invoke_on_a_component_export_prints_wave_results() -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "typed-component" / "typed-component.wasm"
    if not sample.exists():
        pytest.skip("typed-component sample not built")
    done = cli(str(sample), "--invoke", "greet", "--", '"you"')
    assert done.returncode == 0 and b"you" in done.stdout
    missing = cli(str(sample), "--invoke", "nope")
    assert missing.returncode == 2 and b"nope" in missing.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), b"required"),
        (("missing.wasm",), b"module not found"),
        (("{probe}", "--dir", "/no/such/dir"), b"does not exist"),
        (("{probe}", "--fuel", "lots"), b"--fuel"),
        (("{probe}", "--env", "NOT_SET_ANYWHERE_123"), b"not set here"),
        (("{probe}", "--bogus"), b"unrecognized"),
    ],
)
def test_usage_errors_exit_2_with_one_line(probe: Path, args, words: bytes) -> None:
    done = cli(*(a.format(probe=probe) for a in args))
    assert done.returncode == 2 and done.stdout == b""
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_not_wasm_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wasm"
    junk.write_text("hello")
    done = cli(str(junk))
    assert done.returncode == 2 and b"not a WebAssembly module" in done.stderr


def test_ctrl_c_ends_a_run_without_timeout_at_once(probe: Path) -> None:
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "wasi_playground", "run", str(probe), "--", "spin"],
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(10) == 130
    finally:
        proc.kill()
    assert proc.stderr.read() == b"wasi-playground run: interrupted\n"


def test_no_rust_panic_text_at_exit(probe: Path) -> None:
    for _ in range(3):
        done = cli(str(probe), "--", "args", "x")
        assert b"panic" not in done.stderr and done.stderr == b""
