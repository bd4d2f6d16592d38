"""How the server runs a matched request: through the runner, one fresh instance per request.

`RunnerExecutor` hands each request to `core.runner.run`, which compiles through the engine's
compiled-code cache and owns limits, timeouts, traps and tracing. `PrecompiledExecutor` (in
`precompiled.py`) keeps one compiled module per route in memory and instantiates it per request.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from wasi_playground.core.config import ConfigError
from wasi_playground.core.wagi.environment import ServerInfo
from wasi_playground.core.wagi.handler import (
    CaptureSink,
    WagiExchange,
    prepare_request_run,
    response_for_run,
    with_stderr_hint,
)
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import gateway_error
from wasi_playground.core.wagi.routes import RouteMatch


class RunnerExecutor:
    def __init__(self, sink: Any = None) -> None:
        self.sink = sink

    def execute(self, match: RouteMatch, request: HttpRequest, server: ServerInfo) -> WagiExchange:
        from wasi_playground.core.runner import run

        started = time.perf_counter()
        capture = CaptureSink(self.sink)
        with tempfile.TemporaryDirectory(prefix="wagi-request-") as tmp:
            try:
                config = prepare_request_run(match, request, server, Path(tmp))
            except (ConfigError, OSError) as e:
                return WagiExchange(request=request, route=match.route.route,
                                    response=gateway_error(500, f"the request could not be prepared: {e}"))
            result = run(match.route.module, config, capture)
        stderr = bytes(capture.stderr).decode("utf-8", errors="replace")
        response = with_stderr_hint(response_for_run(result, bytes(capture.stdout), capture.overflowed), stderr)
        return WagiExchange(
            request=request, response=response, result=result, route=match.route.route,
            argv=[config.argv0 or "", *config.args], env=list(config.env), stderr=stderr,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def close(self) -> None:
        pass
