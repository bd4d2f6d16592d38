"""The HTTP tab: send one request through the module as a WAGI handler, or serve it on loopback.

The panel only edits a request and shows what came back; building the CGI run, parsing the output and
serving live in `core.wagi`. Sending runs on the window's `Background` (a newer Send makes an older answer
stale); the local server runs on its own threads and posts each request's log line to the GUI thread.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.wagi.handler import WagiExchange
from wasi_playground.core.wagi.request import METHODS, HttpRequest, RequestError, parse_header_line
from wasi_playground.core.wagi.routes import RouteTable
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel

_LOG_LINES = 2000


class _TraceCollector:
    """Collects the WASI trace of one request on the run's worker threads (read after it finishes)."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self._lock = threading.Lock()

    def on_trace(self, event: Any) -> None:
        with self._lock:
            self.events.append(event)


def describe_event(event: Any) -> str:
    for attr in ("summary", "to_text", "describe"):
        fn = getattr(event, attr, None)
        if callable(fn):
            return str(fn())
    to_dict = getattr(event, "to_json_dict", None) or getattr(event, "to_dict", None)
    if callable(to_dict):
        return json.dumps(to_dict(), default=str)
    return str(event)


def trace_available() -> bool:
    """The WASI trace is optional: without the trace module a request still runs, untraced."""
    try:
        return importlib.util.find_spec("wasi_playground.core.trace") is not None
    except (ImportError, ValueError):
        return False


def _close_server(holder: list[Any]) -> None:
    while holder:
        holder.pop().close()


class HttpPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._task_key = f"http-send-{id(self)}"
        self._servers: list[Any] = []  # at most one; a list so the destroyed hook can close it without self
        self.destroyed.connect(partial(_close_server, self._servers))
        self._build()

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.methodCombo = QComboBox(objectName="httpMethodCombo", editable=True)
        self.methodCombo.addItems(METHODS)
        self.pathEdit = QLineEdit("/", objectName="httpPathEdit", placeholderText="/path?name=value")
        self.sendButton = QPushButton("Send", objectName="httpSendButton")
        self.sendButton.clicked.connect(self.send)
        self.pathEdit.returnPressed.connect(self.send)
        line = QHBoxLayout()
        line.addWidget(self.methodCombo)
        line.addWidget(self.pathEdit, 1)
        line.addWidget(self.sendButton)

        self.headersTable = QTableWidget(0, 2, objectName="httpHeadersTable")
        self.headersTable.setHorizontalHeaderLabels(["Header", "Value"])
        self.headersTable.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        add = QPushButton("Add header", objectName="httpAddHeaderButton")
        add.clicked.connect(lambda: self.add_header("", ""))
        self.bodyEdit = QPlainTextEdit(objectName="httpBodyEdit",
                                       placeholderText="request body (sent on stdin)")
        request_box = QWidget()
        form = QFormLayout(request_box)
        form.addRow(line)
        form.addRow("Headers", self.headersTable)
        form.addRow("", add)
        form.addRow("Body", self.bodyEdit)

        self.statusLabel = QLabel("No request sent yet.", objectName="httpStatusLabel", wordWrap=True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.responseHeadersView = QPlainTextEdit(objectName="httpResponseHeadersView", readOnly=True)
        self.responseBodyView = QPlainTextEdit(objectName="httpResponseBodyView", readOnly=True)
        self.previewView = QTextBrowser(objectName="httpPreviewView", openExternalLinks=False)
        self.traceView = QPlainTextEdit(objectName="httpTraceView", readOnly=True)
        self.stderrView = QPlainTextEdit(objectName="httpStderrView", readOnly=True)
        self.responseTabs = QTabWidget(objectName="httpResponseTabs")
        for widget, title in (
            (self.responseBodyView, "Body"),
            (self.previewView, "Preview"),
            (self.responseHeadersView, "Headers"),
            (self.traceView, "WASI trace"),
            (self.stderrView, "Stderr"),
        ):
            self.responseTabs.addTab(widget, title)
        response_box = QWidget()
        response_layout = QVBoxLayout(response_box)
        response_layout.addWidget(self.statusLabel)
        response_layout.addWidget(self.responseTabs, 1)

        self.serveCheck = QCheckBox("Serve on loopback", objectName="httpServeCheck")
        self.serveCheck.toggled.connect(self.set_serving)
        self.urlLabel = QLabel("", objectName="httpServerUrlLabel", openExternalLinks=True)
        self.urlLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.serverLog = QPlainTextEdit(objectName="httpServerLog", readOnly=True)
        self.serverLog.setMaximumBlockCount(_LOG_LINES)
        server_box = QWidget()
        server_layout = QVBoxLayout(server_box)
        top = QHBoxLayout()
        top.addWidget(self.serveCheck)
        top.addWidget(self.urlLabel, 1)
        server_layout.addLayout(top)
        server_layout.addWidget(self.serverLog, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        for box in (request_box, response_box, server_box):
            splitter.addWidget(box)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def add_header(self, name: str, value: str) -> None:
        row = self.headersTable.rowCount()
        self.headersTable.insertRow(row)
        self.headersTable.setItem(row, 0, QTableWidgetItem(name))
        self.headersTable.setItem(row, 1, QTableWidgetItem(value))

    # --- one request ----------------------------------------------------------------------------

    def build_request(self) -> HttpRequest:
        headers = []
        for row in range(self.headersTable.rowCount()):
            name_item, value_item = self.headersTable.item(row, 0), self.headersTable.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            if name:
                headers.append(parse_header_line(f"{name}: {value_item.text() if value_item else ''}"))
        return HttpRequest.from_target(
            self.pathEdit.text(),
            method=self.methodCombo.currentText(),
            headers=headers,
            body=self.bodyEdit.toPlainText().encode("utf-8"),
        )

    def route_table(self, trace: bool) -> RouteTable:
        config = replace(self.context.config, trace=trace, invoke=None, invoke_args=[])
        return RouteTable.single(self.context.path, base=config)

    def send(self) -> None:
        from wasi_playground.core.wagi.handler import handle_request

        try:
            request = self.build_request()
        except RequestError as e:
            self.statusLabel.setText(f"Cannot send: {e}")
            return
        table = self.route_table(trace=trace_available())
        collector = _TraceCollector()
        self.sendButton.setEnabled(False)
        self.statusLabel.setText(f"Sending {request.method} {request.target}...")
        self.in_background(
            lambda: (handle_request(table, request, sink=collector), collector.events),
            self._show_exchange,
            self._show_error,
            key=self._task_key,
        )

    def _show_exchange(self, outcome: tuple[WagiExchange, list[Any]]) -> None:
        exchange, events = outcome
        response = exchange.response
        self.sendButton.setEnabled(True)
        status = (
            f"{response.status} {response.reason} · {len(response.body)} bytes · {exchange.elapsed_ms:.1f} ms"
        )
        self.statusLabel.setText(status + (f"\n{response.problem}" if response.problem else ""))
        self.responseHeadersView.setPlainText(
            "\n".join([response.status_line(), *(f"{k}: {v}" for k, v in response.headers)])
        )
        self.responseBodyView.setPlainText(response.body_text())
        if response.is_html:
            self.previewView.setHtml(response.body_text())
        else:
            self.previewView.setPlainText(
                "(the response is not HTML: " + (response.content_type or "no type") + ")"
            )
        self.traceView.setPlainText(
            "\n".join(describe_event(e) for e in events)
            or (
                "(no WASI calls recorded)"
                if trace_available()
                else "(the WASI trace is not available in this build)"
            )
        )
        self.stderrView.setPlainText(exchange.stderr)
        self.responseTabs.setCurrentWidget(self.previewView if response.is_html else self.responseBodyView)

    def _show_error(self, exc: BaseException) -> None:
        self.sendButton.setEnabled(True)
        self.statusLabel.setText(f"The request failed before a response: {exc}")

    # --- the local server -----------------------------------------------------------------------

    def set_serving(self, on: bool) -> None:
        if not on:
            _close_server(self._servers)
            self.urlLabel.setText("")
            self.serverLog.appendPlainText("server stopped")
            return
        from wasi_playground.core.wagi.server import WagiServer

        table = self.route_table(trace=False)
        background, log = self.context.background, self._append_log
        self.urlLabel.setText("starting...")
        self.in_background(
            lambda: WagiServer(
                table, on_log=lambda entry: background.post(self, partial(log, entry.line()))
            ).start(),
            self._server_started,
            self._server_failed,
            key=f"http-serve-{id(self)}",
        )

    def _server_started(self, server: Any) -> None:
        if not self.serveCheck.isChecked():
            server.close()
            return
        _close_server(self._servers)
        self._servers.append(server)
        self.urlLabel.setText(f'<a href="{server.url}">{server.url}</a>')
        self.serverLog.appendPlainText(f"serving {self.context.path.name} on {server.url}")

    def _server_failed(self, exc: BaseException) -> None:
        self.urlLabel.setText("")
        self.serverLog.appendPlainText(f"could not start the server: {exc}")
        self.serveCheck.blockSignals(True)
        self.serveCheck.setChecked(False)
        self.serveCheck.blockSignals(False)

    @property
    def server(self) -> Any:
        return self._servers[0] if self._servers else None

    def _append_log(self, line: str) -> None:
        self.serverLog.appendPlainText(line)

    def shutdown(self) -> None:
        """Stop the local server now."""
        _close_server(self._servers)

    def closing(self) -> None:
        self.shutdown()
