"""A `.wat` file works wherever a module is taken: run, http, serve, inspect, wat, call sessions; and
`run --deny GROUP` switches a capability group off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from test_wagi_handlers import ECHO_WAT
from wasi_playground.commands import http_cmd, inspect_cmd, run_cmd, wat_cmd
from wasi_playground.core.calls import CallSession, open_session
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.source import read_source
from wasi_playground.core.run.runner import run
from wasi_playground.core.wagi.routes import RouteTable
from wasi_playground.core.wagi.server import WagiServer

HELLO_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wat\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
"""

# Exits with the errno of environ_sizes_get: 0 when the environment group is granted.
ENV_ERRNO_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (call $sizes (i32.const 0) (i32.const 4)))))
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wasi_playground", *args], capture_output=True, timeout=60,
                          env=os.environ.copy())


def test_read_source_assembles_wat_by_suffix_or_content(tmp_path: Path) -> None:
    by_suffix = read_source(write(tmp_path, "hello.wat", HELLO_WAT))
    assert by_suffix.from_wat and by_suffix.kind == "module" and by_suffix.data.startswith(b"\0asm")
    by_content = read_source(write(tmp_path, "hello.txt", HELLO_WAT))
    assert by_content.from_wat and by_content.data == by_suffix.data and by_content.name == "hello.txt"
    with pytest.raises(ConfigError, match=r"broken.wat is not valid WAT: .*\(line 1, column \d+\)"):
        read_source(write(tmp_path, "broken.wat", "(module (func"))
    with pytest.raises(ConfigError, match="not a WebAssembly module"):
        read_source(write(tmp_path, "junk.wasm", "hello"))
    with pytest.raises(ConfigError, match="is a directory"):
        read_source(tmp_path)


def test_run_command_runs_a_wat_file(tmp_path: Path) -> None:
    done = cli("run", str(write(tmp_path, "hello.wat", HELLO_WAT)))
    assert done.returncode == 0 and done.stdout == b"hello from wat\n", done.stderr
    invoked = cli("run", str(tmp_path / "hello.wat"), "--invoke", "add", "--", "2", "3")
    assert invoked.returncode == 0 and invoked.stdout == b"5\n"


def test_run_deny_switches_a_group_off(tmp_path: Path) -> None:
    module = str(write(tmp_path, "env.wat", ENV_ERRNO_WAT))
    assert run_cmd.main([module]) == 0
    assert run_cmd.main([module, "--deny", "environment"]) != 0
    denied = run(module, run_cmd.build_config([module, "--deny", "environment", "--deny", "clocks"])[1])
    assert denied.exit_code not in (0, None) and denied.explanations


def test_run_deny_names_the_valid_groups(tmp_path: Path) -> None:
    done = cli("run", str(write(tmp_path, "env.wat", ENV_ERRNO_WAT)), "--deny", "network")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert b"--deny network" in done.stderr and b"filesystem" in done.stderr and b"environment" in done.stderr


def test_http_command_takes_a_wat_handler(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert http_cmd.main([str(write(tmp_path, "echo.wat", ECHO_WAT)), "--path", "/x?y=1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["response"]["status"] == 200 and "REQUEST_METHOD=GET" in data["response"]["body"]


def test_server_serves_a_wat_handler(tmp_path: Path) -> None:
    with WagiServer(RouteTable.single(write(tmp_path, "echo.wat", ECHO_WAT))) as server:
        with urllib.request.urlopen(server.url + "wat?z=2", timeout=20) as reply:
            assert reply.status == 200 and b"z=2" in reply.read()


def test_inspect_and_wat_commands_take_wat(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    source = str(write(tmp_path, "hello.wat", HELLO_WAT))
    assert inspect_cmd.main([source, "--json"]) == 0
    report = json.loads(capfd.readouterr().out)
    assert report["kind"] == "module" and {e["name"] for e in report["exports"]} >= {"_start", "add"}
    assert wat_cmd.main([source]) == 0  # the printer writes to the file descriptor itself
    assert '(export "add"' in capfd.readouterr().out
    assert wat_cmd.main([str(write(tmp_path, "broken.wat", "(module (func"))]) == 2
    assert "broken.wat is not valid WAT" in capfd.readouterr().err


def test_call_sessions_open_wat(tmp_path: Path) -> None:
    session = open_session(write(tmp_path, "hello.wat", HELLO_WAT), RunConfig())
    try:
        assert isinstance(session, CallSession)
        assert session.call("add", ["40", "2"]).results == [42]
        assert session.call("_start", []).stdout == "hello from wat\n"
    finally:
        session.close()
