"""The runner on a real C program built with zig: args, env, preopens, stdin, exit codes, output streaming."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wasi_playground.core.engine.config import Preopen, RunConfig, Stdin
from wasi_playground.core.run.runner import run, start_run

PROGRAMS = Path(__file__).resolve().parent / "run_programs"


@pytest.fixture(scope="module")
def probe(zig_cc) -> Path:
    return zig_cc(PROGRAMS / "probe.c")


def test_args_reach_the_module_with_argv0_from_the_file_name(probe: Path) -> None:
    result = run(probe, RunConfig(args=["args", "one", "two words"]))
    assert result.exit_code == 0, result.error
    assert result.stdout.splitlines() == [f"0={probe.name}", "1=args", "2=one", "3=two words"]


def test_argv0_can_be_set(probe: Path) -> None:
    result = run(probe, RunConfig(args=["args"], argv0="tool"))
    assert result.stdout.splitlines()[0] == "0=tool"


def test_environment_is_exactly_what_was_granted(probe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST_SECRET", "do-not-leak")
    result = run(probe, RunConfig(args=["env"], env=[("GREETING", "hello"), ("EMPTY", "")]))
    assert result.stdout.splitlines() == ["GREETING=hello", "EMPTY="]
    assert run(probe, RunConfig(args=["env"])).stdout == ""


def test_read_write_preopen_lets_the_module_write(probe: Path, tmp_path: Path) -> None:
    result = run(probe, RunConfig(args=["write", "/data/out.txt", "written"],
                                  preopens=[Preopen(str(tmp_path), "/data")]))
    assert result.exit_code == 0 and result.stdout == "wrote /data/out.txt\n"
    assert (tmp_path / "out.txt").read_text() == "written"


def test_read_only_preopen_refuses_a_write_but_allows_reading(probe: Path, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("inside\n")
    config = RunConfig(args=["write", "/data/out.txt", "x"], preopens=[Preopen(str(tmp_path), "/data", True)])
    result = run(probe, config)
    assert result.exit_code == 1
    assert result.stdout.startswith("write failed:")
    assert not (tmp_path / "out.txt").exists()
    config.args = ["read", "/data/in.txt"]
    assert run(probe, config).stdout == "inside\n"


def test_no_directory_means_no_file_access(probe: Path) -> None:
    result = run(probe, RunConfig(args=["read", "/etc/hostname"]))
    assert result.exit_code == 1 and result.stdout.startswith("read failed:")


def test_stdin_from_text_and_from_a_file(probe: Path, tmp_path: Path) -> None:
    result = run(probe, RunConfig(args=["stdin"], stdin=Stdin(kind="text", text="abc\n")))
    assert result.stdout == "ABC\n" and result.stderr == "read 4 bytes\n"
    source = tmp_path / "in.txt"
    source.write_text("file input")
    result = run(probe, RunConfig(args=["stdin"], stdin=Stdin(kind="file", path=str(source))))
    assert result.stdout == "FILE INPUT"


def test_no_stdin_reads_as_empty(probe: Path) -> None:
    result = run(probe, RunConfig(args=["stdin"]))
    assert result.stdout == "" and result.stderr == "read 0 bytes\n"


@pytest.mark.parametrize("code", [0, 3, 42, 125])
def test_exit_code_is_an_exit_not_a_trap(probe: Path, code: int) -> None:
    result = run(probe, RunConfig(args=["exit", str(code)]))
    assert result.exit_code == code and result.trap is None
    assert result.stdout == "exiting\n"


def test_exit_status_of_126_or_more_is_refused_by_wasi_as_a_trap(probe: Path) -> None:
    result = run(probe, RunConfig(args=["exit", "200"]))
    assert result.exit_code is None and result.trap is not None
    assert "exit status" in result.trap.message


def test_output_streams_to_the_sink_while_the_module_runs(probe: Path) -> None:
    chunks: list[bytes] = []
    phases: list[str] = []
    first_chunk = threading.Event()

    class Sink:
        def on_stdout(self, data: bytes) -> None:
            chunks.append(data)
            first_chunk.set()

        def on_phase(self, name: str) -> None:
            phases.append(name)

    handle = start_run(probe, RunConfig(args=["args", "streamed"]), Sink())
    result = handle.wait(30)
    assert first_chunk.is_set() and b"".join(chunks).decode() == result.stdout
    assert phases == ["read", "compile", "instantiate", "run", "done"]
    assert set(result.timings_ms) >= {"read", "compile", "instantiate", "run", "total"}
    assert result.timings_ms["total"] >= result.timings_ms["run"]


def test_bad_configuration_is_refused_before_running(probe: Path, tmp_path: Path) -> None:
    cases = {
        "does not exist": RunConfig(preopens=[Preopen(str(tmp_path / "missing"), "/m")]),
        "given twice": RunConfig(preopens=[Preopen(str(tmp_path), "/a"), Preopen(str(tmp_path), "/a/")]),
        "contains '='": RunConfig(env=[("A=B", "1")]),
        "no function named": RunConfig(invoke="nope"),
        "stdin file": RunConfig(stdin=Stdin(kind="file", path=str(tmp_path / "none.txt"))),
    }
    for words, config in cases.items():
        result = run(probe, config)
        assert result.error and words in result.error, (words, result.error)
        assert result.exit_code is None and result.stdout == ""
