"""A small WAGI server: HTTP on loopback, each request on a fresh instance, concurrency bounded.

Connections get a thread each (keep-alive clients such as load tools hold one for their whole life), but
at most `max_concurrency` handler runs execute at once: the others wait for a slot, and a request that
waits longer than its timeout gets a 503 instead of queueing forever. Running a handler is the
executor's job (`precompiled.PrecompiledExecutor` by default); this file only speaks HTTP and keeps the log.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from wasi_playground.core.wagi.environment import ServerInfo
from wasi_playground.core.wagi.exchange import WagiExchange, not_found
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import HttpResponse, gateway_error
from wasi_playground.core.wagi.routes import RouteMatch, RouteTable

MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_CONCURRENCY = 8
QUEUE_WAIT_S = 30.0


class Executor(Protocol):
    def execute(self, match: RouteMatch, request: HttpRequest, server: ServerInfo) -> WagiExchange: ...

    def close(self) -> None: ...


@dataclass
class LogEntry:
    method: str
    target: str
    status: int
    elapsed_ms: float
    body_bytes: int
    problem: str | None = None

    def line(self) -> str:
        text = f"{self.method} {self.target} {self.status} {self.elapsed_ms:.1f}ms {self.body_bytes}B"
        return text + (f" - {self.problem}" if self.problem else "")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_listen(address: str) -> tuple[str, int]:
    """`127.0.0.1:8080`, `[::1]:0` or `localhost:3000` -> (host, port); ValueError explains a bad one."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"--listen needs HOST:PORT such as 127.0.0.1:3000, got {address!r}")
    if int(port) > 65535:
        raise ValueError(f"port {port} is out of range (0-65535)")
    return host.strip("[]"), int(port)


def default_executor(table: RouteTable) -> Executor:
    """Precompiled instances when the engine offers them, else one runner run per request."""
    try:
        from wasi_playground.core.wagi.precompiled import PrecompiledExecutor
    except ImportError:
        from wasi_playground.core.wagi.executor import RunnerExecutor

        return RunnerExecutor()
    return PrecompiledExecutor(table)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], wagi: WagiServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.wagi = wagi
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small responses must not wait for delayed ACKs (40 ms each)
    server: _HttpServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        """Silenced: the WAGI server writes its own one-line log per request."""

    def _serve(self) -> None:
        started = time.perf_counter()
        wagi = self.server.wagi
        response = self._read_and_run(wagi)
        payload = b"" if self.command == "HEAD" else response.body
        try:
            self.send_response(response.status, response.reason or None)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        wagi.record(LogEntry(self.command, self.path, response.status,
                             (time.perf_counter() - started) * 1000, len(payload), response.problem))

    def _read_and_run(self, wagi: WagiServer) -> HttpResponse:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            return gateway_error(
                411, "send the request body with a Content-Length (chunked is not supported)"
            )
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return gateway_error(400, "Content-Length is not a number")
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            return gateway_error(413, f"request bodies are limited to {MAX_BODY_BYTES // 2**20} MiB")
        body = self.rfile.read(length) if length else b""
        try:
            request = HttpRequest.from_target(
                self.path, method=self.command, headers=list(self.headers.items()), body=body
            )
        except ValueError as e:
            return gateway_error(400, str(e))
        request.remote_addr = self.client_address[0]
        return wagi.handle(request).response

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve


class WagiServer:
    """Serves a route table; `start()` runs it on a background thread, `close()` stops it cleanly."""

    def __init__(
        self,
        table: RouteTable,
        host: str = "127.0.0.1",
        port: int = 0,
        executor: Executor | None = None,
        max_concurrency: int = DEFAULT_CONCURRENCY,
        on_log: Callable[[LogEntry], None] | None = None,
        on_exchange: Callable[[WagiExchange], None] | None = None,
    ) -> None:
        if executor is None:
            executor = default_executor(table)
        self.table = table
        self.executor = executor
        self.on_log = on_log
        self.on_exchange = on_exchange
        self.max_concurrency = max(1, max_concurrency)
        self._slots = threading.BoundedSemaphore(self.max_concurrency)
        self._httpd = _HttpServer((host, port), self)
        address = self._httpd.server_address
        self.host: str = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
        self.port: int = int(address[1])
        self.info = ServerInfo(name="localhost" if is_loopback(self.host) else self.host, port=self.port)
        self._thread: threading.Thread | None = None
        self.requests_served = 0
        self._count_lock = threading.Lock()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def handle(self, request: HttpRequest) -> WagiExchange:
        """Route and run one request; also usable without a socket (tests, the window)."""
        match = self.table.match(request.path)
        if match is None:
            return WagiExchange(request=request, response=not_found(request, self.table))
        if not self._slots.acquire(timeout=QUEUE_WAIT_S):
            return WagiExchange(
                request=request,
                response=gateway_error(
                    503, f"all {self.max_concurrency} handler slots stayed busy for {QUEUE_WAIT_S:g} s"
                ),
            )
        try:
            exchange = self.executor.execute(match, request, self.info)
        except Exception as e:  # a bug must cost one request a 500, never the server
            exchange = WagiExchange(request=request, response=gateway_error(500, f"internal error: {e!r}"))
        finally:
            self._slots.release()
        if self.on_exchange is not None:
            self.on_exchange(exchange)
        return exchange

    def record(self, entry: LogEntry) -> None:
        with self._count_lock:
            self.requests_served += 1
        if self.on_log is not None:
            self.on_log(entry)

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def start(self) -> WagiServer:
        self._thread = threading.Thread(target=self.serve_forever, name="wagi-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting, let the serving loop end, release the socket and the executor."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
        self.executor.close()

    def __enter__(self) -> WagiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
