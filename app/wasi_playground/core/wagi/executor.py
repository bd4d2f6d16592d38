"""How a matched request runs through the runner, one fresh instance per request.

`RunnerExecutor` hands each request to `core.run.runner.run`, which compiles through the engine's
compiled-code cache and owns limits, timeouts, traps and tracing (`http`, the HTTP tab, `serve` with a
sink). `PrecompiledExecutor` (in `precompiled.py`) keeps one compiled module per route in memory.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from wasi_playground.core.engine.config import ConfigError
from wasi_playground.core.wagi.environment import ServerInfo
from wasi_playground.core.wagi.exchange import (
    CaptureSink,
    WagiExchange,
    exchange_for_run,
    prepare_request_run,
)
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import gateway_error
from wasi_playground.core.wagi.routes import RouteMatch


class RunnerExecutor:
    def __init__(self, sink: Any = None) -> None:
        self.sink = sink

    def execute(self, match: RouteMatch, request: HttpRequest, server: ServerInfo) -> WagiExchange:
        # Imported on the first request, not with this module: wasmtime is slow to import, and the window
        # and `http` import the WAGI package long before (or without ever) running a handler.
        from wasi_playground.core.run.runner import run

        started = time.perf_counter()
        capture = CaptureSink(self.sink)
        with tempfile.TemporaryDirectory(prefix="wagi-request-") as tmp:
            try:
                config = prepare_request_run(match, request, server, Path(tmp))
            except (ConfigError, OSError) as e:
                return WagiExchange(request=request, route=match.route.route,
                                    response=gateway_error(500, f"the request could not be prepared: {e}"))
            result = run(match.route.module, config, capture)
        return exchange_for_run(match, request, config, result, capture, started)

    def close(self) -> None:
        pass
