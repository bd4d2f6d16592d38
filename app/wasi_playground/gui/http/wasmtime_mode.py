"""The HTTP tab for a wasi:http component: its requests and its server go through `wasmtime serve`.

The tab keeps its request editor and response views; this object takes over sending and serving when the
inspected file is a wasi:http/proxy component (which wasmtime-py cannot call), tells the user so in
`httpModeLabel`, and says how to get the wasmtime command line when it is missing. Its server stops with
the tab (`close`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.gui.http.wasmtime_backend import WasmtimeHttpBackend, is_wasi_http

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report
    from wasi_playground.gui.http.http_panel import HttpPanel

ACTIVE_TEXT = (
    "A wasi:http component: each request goes to <code>wasmtime serve</code> on loopback "
    "(started on the first request; the first start compiles it)"
)


class WasmtimeMode:
    def __init__(self, panel: HttpPanel) -> None:
        self.panel = panel
        self.label = QLabel("", panel, wordWrap=True)
        self.label.setObjectName("httpModeLabel")
        self.label.hide()
        self._backends: list[WasmtimeHttpBackend] = []  # a list, so the panel's destroyed hook can close it
        panel.destroyed.connect(partial(_close, self._backends))

    @property
    def backend(self) -> WasmtimeHttpBackend | None:
        return self._backends[0] if self._backends else None

    @property
    def active(self) -> bool:
        return self.backend is not None

    def show_report(self, report: Report | None) -> None:
        _close(self._backends)
        if report is None or not is_wasi_http(report):
            self.label.hide()
            return
        self._backends.append(WasmtimeHttpBackend(self.panel.context.path))
        self.label.setText(ACTIVE_TEXT + " — looking for the wasmtime command line…")
        self.label.show()
        self.panel.in_background(
            WasmtimeHttpBackend.missing, self._show_missing, key=f"http-wasmtime-{id(self)}"
        )

    def _show_missing(self, missing: str | None) -> None:
        self.label.setText(ACTIVE_TEXT if missing is None else missing)

    def config(self) -> RunConfig:
        return replace(self.panel.context.config, trace=False, invoke=None, invoke_args=[], args=[])

    def send(self, request: HttpRequest) -> None:
        backend, config = self.backend, self.config()
        assert backend is not None
        self.panel.in_background(
            lambda: (backend.exchange(request, config), None),
            self.panel._show_exchange,
            self.panel._show_error,
            key=self.panel._task_key,
        )

    def set_serving(self, on: bool) -> None:
        backend, config, panel = self.backend, self.config(), self.panel
        assert backend is not None
        if not on:
            backend.stop()
            panel.urlLabel.setText("")
            panel.serverLog.appendPlainText("wasmtime serve stopped")
            return
        panel.urlLabel.setText("starting wasmtime serve...")
        panel.in_background(
            lambda: backend.server(config).url,
            self._started,
            panel._server_failed,
            key=f"http-serve-{id(panel)}",
        )

    def _started(self, url: str) -> None:
        panel = self.panel
        if not panel.serveCheck.isChecked() and self.backend is not None:
            self.backend.stop()
            return
        panel.urlLabel.setText(f'<a href="{url}">{url}</a>')
        panel.serverLog.appendPlainText(f"serving {panel.context.path.name} through wasmtime serve on {url}")

    def close(self) -> None:
        _close(self._backends)


def _close(holder: list[WasmtimeHttpBackend]) -> None:
    while holder:
        holder.pop().close()
