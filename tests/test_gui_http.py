"""The HTTP tab: send a request from the editor and read the response; serve on loopback and see the log."""

from __future__ import annotations

import urllib.request

from test_wagi_handlers import ECHO_WAT, STATUS_WAT
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.http.http_panel import HttpPanel


def _panel(qtbot, path) -> HttpPanel:
    panel = HttpPanel(DocumentContext(path))
    qtbot.addWidget(panel)
    return panel


def test_send_shows_status_headers_and_body(qtbot, wat) -> None:
    panel = _panel(qtbot, wat(ECHO_WAT))
    panel.methodCombo.setCurrentText("POST")
    panel.pathEdit.setText("/from/window?k=v")
    panel.add_header("X-Test", "gui")
    panel.bodyEdit.setPlainText("typed body")
    panel.sendButton.click()
    qtbot.waitUntil(lambda: panel.sendButton.isEnabled(), timeout=20000)
    assert panel.statusLabel.text().startswith("200"), panel.statusLabel.text()
    body = panel.responseBodyView.toPlainText()
    lines = body.split("\n")
    assert "REQUEST_METHOD=POST" in lines and "HTTP_X_TEST=gui" in lines and "k=v" in lines
    assert body.endswith("typed body")
    assert "Content-Type: text/plain" in panel.responseHeadersView.toPlainText()
    assert panel.sendButton.isEnabled()
    assert panel.responseTabs.currentWidget() is panel.responseBodyView


def test_html_response_is_previewed(qtbot, wat) -> None:
    panel = _panel(qtbot, wat(STATUS_WAT))
    panel.sendButton.click()
    qtbot.waitUntil(lambda: panel.statusLabel.text().startswith("201"), timeout=20000)
    assert panel.responseTabs.currentWidget() is panel.previewView
    assert panel.previewView.toPlainText().strip() == "made"


def test_bad_header_is_reported_not_sent(qtbot, wat) -> None:
    panel = _panel(qtbot, wat(ECHO_WAT))
    panel.add_header("Bad Name", "x")
    panel.sendButton.click()
    assert "Cannot send" in panel.statusLabel.text() and panel.sendButton.isEnabled()


def test_local_server_switch_serves_and_logs(qtbot, wat) -> None:
    panel = _panel(qtbot, wat(ECHO_WAT))
    panel.serveCheck.setChecked(True)
    qtbot.waitUntil(lambda: panel.server is not None, timeout=20000)
    url = panel.server.url
    assert url.startswith("http://127.0.0.1:") and url in panel.urlLabel.text()
    with urllib.request.urlopen(url + "logged?x=1", timeout=20) as reply:
        assert reply.status == 200 and b"REQUEST_METHOD=GET" in reply.read()
    qtbot.waitUntil(lambda: "GET /logged?x=1 200" in panel.serverLog.toPlainText(), timeout=5000)
    panel.serveCheck.setChecked(False)
    assert panel.server is None and "server stopped" in panel.serverLog.toPlainText()
