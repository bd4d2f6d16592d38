"""One request through one handler module, run to completion with the runner (blocking).

Used by `http` and the window's HTTP tab; the server runs requests through an executor (`executor`,
`precompiled`). What a run is given and what its outcome means in HTTP terms is in `exchange`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wasi_playground.core.wagi.environment import ServerInfo
from wasi_playground.core.wagi.exchange import WagiExchange, not_found
from wasi_playground.core.wagi.executor import RunnerExecutor
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.routes import Route, RouteTable

__all__ = ["WagiExchange", "handle_request", "not_found"]


def handle_request(
    table: RouteTable | Route | str | Path,
    request: HttpRequest,
    server: ServerInfo | None = None,
    sink: Any = None,
) -> WagiExchange:
    """Run one request to completion with the runner (blocking). Never raises for a handler's failure."""
    if isinstance(table, Route):
        table = RouteTable(routes=[table])
    elif not isinstance(table, RouteTable):
        table = RouteTable.single(Path(table))
    match = table.match(request.path)
    if match is None:
        return WagiExchange(request=request, response=not_found(request, table))
    return RunnerExecutor(sink).execute(match, request, server or ServerInfo())
