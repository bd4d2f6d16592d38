"""`wasi-playground run --trace FILE` and `--deny GROUP` on WASI 0.2 components, as a user types them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_component_trace_programs import probe


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wasi_playground", "run", *args], capture_output=True,
                          timeout=120, env=os.environ.copy())


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("component") / "probe.wasm"
    path.write_bytes(probe(3))
    return path


def test_trace_file_has_one_json_line_per_wasi_call(component: Path, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "in.txt").write_text("typed\n")
    trace = tmp_path / "trace.jsonl"
    done = cli(str(component), "--env", "A=1", "--dir", f"{tmp_path / 'data'}::/data", "--stdin",
               str(tmp_path / "in.txt"), "--trace", str(trace))
    assert done.returncode == 3  # exit-with-code(3)
    assert done.stdout == b"A=1\nrandom ok\nclock ok\nfile ok\nstdin:typed\n"
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert {"seq", "func", "group", "args", "result", "errno", "duration_ns", "denied"} <= set(lines[0])
    funcs = [line["func"] for line in lines]
    assert "wasi:filesystem/types@0.2.0#[method]descriptor.open-at" in funcs
    assert funcs[-1] == "wasi:cli/exit@0.2.0#exit-with-code"
    open_at = lines[funcs.index("wasi:filesystem/types@0.2.0#[method]descriptor.open-at")]
    assert open_at["args"]["path"] == '"out.txt"' and open_at["result"].startswith("ok(descriptor#")
    assert open_at["group"] == "filesystem" and open_at["errno"] is None


def test_deny_switches_groups_off_for_a_component(component: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace.jsonl"
    done = cli(str(component), "--env", "A=1", "--deny", "environment", "--deny", "clocks", "--trace",
               str(trace))
    assert done.returncode == 3
    assert done.stdout == b"random ok\nclock zero\nno dirs\nstdin closed\n"
    denied = [json.loads(line) for line in trace.read_text().splitlines() if '"denied": true' in line]
    assert [line["func"].split("#")[1] for line in denied] == ["get-environment", "now"]
    assert denied[0]["result"] == "[]"


def test_deny_without_trace_still_applies_and_trace_to_stderr(component: Path) -> None:
    done = cli(str(component), "--env", "A=1", "--deny", "environment")
    assert done.returncode == 3 and b"A=1" not in done.stdout
    done = cli(str(component), "--trace", "-")
    lines = [json.loads(line) for line in done.stderr.decode().splitlines() if line.startswith("{")]
    assert lines and all(line["func"].startswith("wasi:") for line in lines)
