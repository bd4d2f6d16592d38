"""What a handler run means in HTTP terms: the request's run configuration, the captured output, and
the exchange (request, response, run) that `http --json`, the window and the server log show."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.wagi.environment import ServerInfo, request_config
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import HttpResponse, gateway_error, parse_cgi_output
from wasi_playground.core.wagi.routes import RouteMatch, RouteTable

DEFAULT_TIMEOUT_S = 30.0
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


@dataclass
class WagiExchange:
    """A request, the response it got, and the run behind it (for the window, `--json` and the log)."""

    request: HttpRequest
    response: HttpResponse
    result: RunResult | None = None
    route: str | None = None
    argv: list[str] = field(default_factory=list)
    env: list[tuple[str, str]] = field(default_factory=list)
    stderr: str = ""
    elapsed_ms: float = 0.0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "request": {"method": self.request.method, "path": self.request.path, "query": self.request.query,
                        "headers": [[k, v] for k, v in self.request.headers],
                        "body_bytes": len(self.request.body)},
            "response": self.response.to_json_dict(),
            "route": self.route,
            "argv": self.argv,
            "env": [[k, v] for k, v in self.env],
            "stderr": self.stderr,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "run": self.result.to_json_dict() if self.result is not None else None,
        }


class CaptureSink:
    """Keeps stdout as raw bytes (the body must stay byte-exact) and passes everything on to `inner`."""

    def __init__(self, inner: Any = None, limit: int = MAX_RESPONSE_BYTES) -> None:
        self.inner = inner
        self.limit = limit
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.overflowed = False
        self._lock = threading.Lock()

    def on_stdout(self, data: bytes) -> None:
        with self._lock:
            if len(self.stdout) + len(data) > self.limit:
                self.overflowed = True
            else:
                self.stdout += data
        self._forward("on_stdout", data)

    def on_stderr(self, data: bytes) -> None:
        with self._lock:
            if len(self.stderr) < self.limit:
                self.stderr += data
        self._forward("on_stderr", data)

    def on_trace(self, event: Any) -> None:
        self._forward("on_trace", event)

    def on_phase(self, name: str) -> None:
        self._forward("on_phase", name)

    def _forward(self, method: str, value: Any) -> None:
        fn = getattr(self.inner, method, None)
        if fn is not None:
            fn(value)


def response_for_run(result: RunResult | None, stdout: bytes, overflowed: bool = False) -> HttpResponse:
    """What a finished handler run means in HTTP: its output, or a 5xx that says why there is none."""
    if result is None:
        return gateway_error(500, "the handler did not run")
    if result.error:
        return gateway_error(500, f"the handler could not start: {result.error}")
    if result.timed_out:
        limit = f" after {result.timings_ms.get('run', 0) / 1000:.2f} s" if result.timings_ms else ""
        return gateway_error(504, f"the handler timed out{limit} and was stopped")
    if result.cancelled:
        return gateway_error(503, "the handler was stopped before it answered (the server is shutting down)")
    if result.trap is not None:
        detail = f" ({result.limit_message})" if result.limit_message else ""
        return gateway_error(500, f"the handler trapped: {result.trap.message.strip()}{detail}")
    if overflowed:
        return gateway_error(500, f"the handler's output passed the {MAX_RESPONSE_BYTES // 2**20} MiB limit")
    response = parse_cgi_output(stdout)
    if response.problem and result.exit_code not in (0, None):
        response = gateway_error(
            response.status, f"{response.problem}; it exited with code {result.exit_code}"
        )
    return response


def with_stderr_hint(response: HttpResponse, stderr: str) -> HttpResponse:
    """Name the handler's last stderr line in a gateway error: it is usually the real reason."""
    last = next((line for line in reversed(stderr.strip().splitlines()) if line.strip()), "")
    if response.problem and last:
        return gateway_error(response.status, f"{response.problem} (its stderr ends: {last.strip()[:200]})")
    return response


def exchange_for_run(
    match: RouteMatch,
    request: HttpRequest,
    config: RunConfig,
    result: RunResult | None,
    capture: CaptureSink,
    started: float,
) -> WagiExchange:
    """What a finished handler run gave, as an exchange: the response, with the stderr hint when it is an
    error, and the argv, environment and stderr it ran with. `started` is the request's `perf_counter`."""
    stderr = bytes(capture.stderr).decode("utf-8", errors="replace")
    response = with_stderr_hint(response_for_run(result, bytes(capture.stdout), capture.overflowed), stderr)
    return WagiExchange(
        request=request,
        response=response,
        result=result,
        route=match.route.route,
        argv=[config.argv0 or "", *config.args],
        env=list(config.env),
        stderr=stderr,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def prepare_request_run(
    match: RouteMatch, request: HttpRequest, server: ServerInfo, workdir: Path
) -> RunConfig:
    body_file = None
    if request.body:
        body_file = workdir / "request-body"
        body_file.write_bytes(request.body)
    config = request_config(match.route.run_config(), request, match, server, body_file)
    if config.limits.timeout_s is None:
        config.limits.timeout_s = DEFAULT_TIMEOUT_S
    return config


def not_found(request: HttpRequest, table: RouteTable) -> HttpResponse:
    routes = ", ".join(r.route for r in table.routes)
    return gateway_error(404, f"no route matches {request.path} (routes: {routes})")
