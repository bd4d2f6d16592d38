"""The HTTP tab's way to a wasi:http component: one `wasmtime serve` per tab, on loopback, on a free port.

wasmtime-py cannot call `wasi:http/incoming-handler`, so requests go to a `wasmtime serve` process (see
`core.wagi.wasmtime_serve`). Everything that may block (finding the command, the first compile, a request)
runs in the caller's worker thread; the server restarts when the run configuration changes and stops with
the tab (`close`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.wagi.exchange import WagiExchange
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.wasmtime_serve import WasmtimeServe, find_wasmtime


def is_wasi_http(report: object) -> bool:
    """A component of the wasi:http/proxy world (what this backend serves instead of WAGI)."""
    component = getattr(report, "component", None)
    return component is not None and "wasi:http/proxy" in component.worlds


class WasmtimeHttpBackend:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._server: WasmtimeServe | None = None
        self._config_key = ""
        self._closed = False

    @staticmethod
    def missing() -> str | None:
        """None when a wasmtime command line is usable, else the sentence saying how to get one (blocks)."""
        from wasi_playground.core.wagi.wasmtime_serve import WasmtimeMissing

        try:
            find_wasmtime()
        except WasmtimeMissing as e:
            return str(e)
        return None

    def server(self, config: RunConfig) -> WasmtimeServe:
        """The running server for this configuration, started (or restarted) as needed. Blocks."""
        key = config.to_json()
        with self._lock:
            if self._closed:
                raise RuntimeError("the HTTP tab was closed")
            if self._server is not None and (key != self._config_key or not self._server.running):
                self._server.close()
                self._server = None
            if self._server is None:
                self._server, self._config_key = WasmtimeServe(self.path, config), key
            server = self._server
        server.ensure_started()
        return server

    def exchange(self, request: HttpRequest, config: RunConfig) -> WagiExchange:
        return self.server(config).exchange(request)

    @property
    def url(self) -> str | None:
        server = self._server
        return server.url if server is not None and server.running else None

    def stop(self) -> None:
        """Stop the server (the next request starts it again)."""
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            server, self._server = self._server, None
        if server is not None:
            server.close()
