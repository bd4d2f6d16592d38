"""Malformed input never hurts: hypothesis over the inspector, the WAT path and the run path.

Binary modules are fuzzed by mutating real ones (the committed samples, core modules and components), WAT text
by mutating real WAT and by random text. The contract checked everywhere: the inspector returns a Report or
raises `WasmFormatError` whose message names a byte offset (and a line and column for WAT); the runner returns
a `RunResult` that ends in an exit, a trap or an error in words, never an exception, and within its time
limit.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import time
from pathlib import Path

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.engine.config import Limits, RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.inspect.report import Report, inspect_bytes, inspect_path
from wasi_playground.core.run.runner import run

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CORE_SEEDS = ["hello", "calc", "trap", "spin", "random", "env", "args"]
COMPONENT_SEEDS = ["hello-component", "typed-component"]
OFFSET = re.compile(r"byte offset \d+")
LINE_COLUMN = re.compile(r"line \d+, column \d+")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
TIGHT = RunConfig(
    limits=Limits(timeout_s=0.5, fuel=2_000_000, max_memory_bytes=32 << 20, max_table_elements=10_000)
)

WAT_SEED = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\\n")
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""
WAT_TOKENS = [
    "(",
    ")",
    "module",
    "func",
    "param",
    "result",
    "i32",
    "i64",
    "f32",
    "local.get",
    "$x",
    "0",
    "-1",
    "0xffffffff",
    '"',
    "\\",
    "memory",
    "export",
    "import",
    "call",
    "br",
    "loop",
    "block",
    ";;",
    "(;",
    ";)",
    "\n",
    " ",
    "component",
    "core",
    "type",
    "\u00e9",
    "\x00",
    "end",
    "table",
]


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name / f"{name}.wasm").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> bytes:
    """A real module with 1-4 edits: bit flips, byte sets, truncation, insertion, splicing, deletion."""
    data = bytearray(sample_bytes(draw(st.sampled_from(seeds))))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        op = draw(st.integers(0, 5))
        i = draw(st.integers(0, len(data) - 1))
        if op == 0:
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == 1:
            data[i] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF]) | st.integers(0, 255))
        elif op == 2:
            del data[max(i, 8) :]
        elif op == 3:
            data[i:i] = draw(st.binary(min_size=1, max_size=12))
        elif op == 4:
            j = draw(st.integers(0, len(data) - 1))
            data[i:i] = data[j : j + draw(st.integers(1, 64))]
        else:
            del data[i : i + draw(st.integers(1, 16))]
    return bytes(data)


def check_inspection(data: bytes, path: str | None = None) -> Report | None:
    """The inspector's whole contract for one input."""
    try:
        report = inspect_bytes(data, path)
    except WasmFormatError as e:
        message = str(e)
        assert message and "\n" not in message and "Traceback" not in message
        assert OFFSET.search(message) or e.offset == 0, message
        assert 0 <= e.offset <= max(len(data), 1)
        return None
    assert report.kind in ("module", "component")
    report.to_json_dict()  # the --json form of any accepted input must serialise
    return report


@FUZZ
@given(mutated(CORE_SEEDS))
def test_inspector_on_mutated_core_modules(data: bytes) -> None:
    check_inspection(data)


@FUZZ
@given(mutated(COMPONENT_SEEDS))
def test_inspector_on_mutated_components(data: bytes) -> None:
    report = check_inspection(data)
    if report is not None and report.kind == "component":
        assert report.component is not None


def test_component_seeds_are_read_as_components() -> None:
    """Guards the fuzz above: the unmutated seeds are components the inspector understands."""
    for name in COMPONENT_SEEDS:
        report = inspect_bytes(sample_bytes(name))
        assert report.kind == "component" and report.component is not None


@st.composite
def mutated_wat(draw: st.DrawFn) -> str:
    text = WAT_SEED
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 2))
        if op == 0:
            text = text[:i] + draw(st.sampled_from(WAT_TOKENS)) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + draw(st.integers(1, 20)) :]
        else:
            text = text[:i]
    return text


def check_wat(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        inspect_bytes(data, "fuzz.wat")
    except WasmFormatError as e:
        message = str(e)
        assert "\n" not in message and "Traceback" not in message
        if message.startswith("WAT does not compile"):
            assert LINE_COLUMN.search(message), message
        assert OFFSET.search(message) or e.offset == 0, message


@FUZZ
@given(mutated_wat())
def test_mutated_wat_text_is_a_module_or_an_error_with_line_and_column(text: str) -> None:
    check_wat(text)


@FUZZ
@given(st.lists(st.sampled_from(WAT_TOKENS), max_size=40).map(" ".join) | st.text(max_size=200))
def test_random_wat_text_never_raises_anything_else(text: str) -> None:
    check_wat(text)


def test_wat_error_points_at_the_right_line_and_column() -> None:
    """The offset of a WAT error is where the mistake is, so the window can put the cursor there."""
    text = "(module\n  (func $f\n    (call $missing)))\n"
    with pytest.raises(WasmFormatError) as info:
        inspect_bytes(text.encode(), "bad.wat")
    assert "line 3, column 11" in str(info.value)
    assert text[info.value.offset :].startswith("$missing")


def check_run(data: bytes) -> RunResult:
    started = time.perf_counter()
    result = run(data, TIGHT)
    took = time.perf_counter() - started
    assert isinstance(result, RunResult)
    assert took < 10, f"one run took {took:.1f} s"
    ended = [result.error is not None, result.trap is not None, result.exit_code is not None]
    assert any(ended), result
    if result.error:
        assert "internal error" not in result.error, result.error
    return result


@settings(FUZZ, max_examples=40)
@given(mutated(CORE_SEEDS + COMPONENT_SEEDS))
def test_runner_on_mutated_modules_returns_a_result(data: bytes) -> None:
    check_run(data)


def test_run_seeds_are_runnable_so_the_fuzz_reaches_the_engine() -> None:
    """Guards the run fuzz above: unmutated, most seeds get past compilation."""
    outcomes = [check_run(sample_bytes(name)) for name in CORE_SEEDS]
    assert sum(r.error is None for r in outcomes) >= len(CORE_SEEDS) - 1


# ---- paths that are not ordinary small files -------------------------------------------------------------


def test_two_gigabyte_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    """A sparse 2 GB file whose only section claims to be larger than the file: rejected in well under a
    second and without the memory that reading it would take."""
    big = tmp_path / "huge.wasm"
    with open(big, "wb") as f:
        f.write(b"\0asm\x01\0\0\0\x00\xff\xff\xff\xff\x0f")
        f.truncate(2 * 1024**3 + 17)
    started = time.perf_counter()
    with pytest.raises(WasmFormatError) as info:
        inspect_path(big)
    assert time.perf_counter() - started < 5
    assert OFFSET.search(str(info.value)) and info.value.offset >= 8


def test_two_gigabyte_file_of_empty_custom_sections_is_read_lazily(tmp_path: Path) -> None:
    """Sections that are all zeros past a valid header end in a clear error, not a 2 GB read into memory."""
    psutil = pytest.importorskip("psutil")
    big = tmp_path / "zeros.wasm"
    with open(big, "wb") as f:
        f.write(b"\0asm\x01\0\0\0")
        f.truncate(2 * 1024**3)
    rss_before = psutil.Process().memory_info().rss
    with pytest.raises(WasmFormatError):
        inspect_path(big)
    assert psutil.Process().memory_info().rss - rss_before < 256 << 20


def test_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WasmFormatError, match="is a directory"):
        inspect_path(tmp_path)
    result = run(tmp_path, RunConfig())
    assert result.error and "directory" in result.error


def test_symlink_loop_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    loop = tmp_path / "loop.wasm"
    loop.symlink_to(loop)
    with pytest.raises(WasmFormatError, match="cannot read|no such file"):
        inspect_path(loop)
    with pytest.raises(WasmFormatError, match="no such file"):
        inspect_path(tmp_path / "absent.wasm")
    assert run(loop, RunConfig()).error


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.wasm"
    locked.write_bytes(sample_bytes("hello"))
    locked.chmod(0)
    try:
        with pytest.raises(WasmFormatError, match="permission denied"):
            inspect_path(locked)
        assert "cannot read" in (run(locked, RunConfig()).error or "")
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_proc_file_that_reports_size_zero_is_a_clear_error() -> None:
    """/proc files report size 0 but are not empty; whatever the inspector says, it says it in words."""
    try:
        inspect_path("/proc/self/status")
    except WasmFormatError as e:
        assert str(e)
    else:
        pytest.fail("a text file was accepted as a module")


def _blocks_on(target, fifo: Path) -> bool:
    """Call target(fifo) on a thread; True if it is still blocked after 2 s (then unblock it by opening the
    other end, so no thread is left behind)."""
    done = threading.Event()

    def call() -> None:
        try:
            target(fifo)
        except Exception:
            pass
        done.set()

    threading.Thread(target=call, daemon=True).start()
    if done.wait(2.0):
        return False
    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    os.close(fd)
    done.wait(5.0)
    return True


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_by_the_inspector_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.wasm"
    os.mkfifo(fifo)
    assert not _blocks_on(inspect_path, fifo)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_by_the_runner_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.wasm"
    os.mkfifo(fifo)
    assert not _blocks_on(lambda p: run(p, RunConfig(limits=Limits(timeout_s=0.5))), fifo)


def test_wat_that_compiles_runs_like_its_binary(tmp_path: Path) -> None:
    """The WAT path end to end: a .wat file is inspected as WAT and its binary runs."""
    path = tmp_path / "hi.wat"
    path.write_text(WAT_SEED)
    report = inspect_path(path)
    assert report.format == "wat" and report.wasm == wasmtime.wat2wasm(WAT_SEED)
    result = run(report.wasm, RunConfig())
    assert result.exit_code == 0 and result.stdout == "hi\n"


# ---- the command line on the same inputs ---------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    from wasi_playground.cli import main

    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@settings(FUZZ, max_examples=60)
@given(mutated(CORE_SEEDS + COMPONENT_SEEDS), st.booleans())
def test_inspect_command_on_mutated_files_is_a_report_or_one_line(
    tmp_path_factory, capsys, data: bytes, as_json: bool
) -> None:
    import json

    path = tmp_path_factory.mktemp("cli") / "mutated.wasm"
    path.write_bytes(data)
    code, out, err = cli(capsys, "inspect", *(["--json"] if as_json else []), str(path))
    if code == 0:
        assert out.strip() and err == ""
        if as_json:
            assert json.loads(out)["sha256"]
    else:
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err and str(path) in err


@settings(FUZZ, max_examples=20)
@given(mutated(CORE_SEEDS))
def test_run_command_on_mutated_files_is_json_or_one_line(tmp_path_factory, capsys, data: bytes) -> None:
    import json

    path = tmp_path_factory.mktemp("cli") / "mutated.wasm"
    path.write_bytes(data)
    code, out, err = cli(
        capsys,
        "run",
        "--json",
        "--timeout",
        "0.5",
        "--fuel",
        "2000000",
        "--max-memory",
        str(32 << 20),
        str(path),
    )
    assert "Traceback" not in err and "panicked" not in err
    if out:
        result = json.loads(out)
        assert set(result) >= {"exit_code", "trap", "timings_ms", "stdout", "stderr"}
    else:
        assert code == 2 and err.count("\n") == 1
