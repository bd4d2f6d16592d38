"""Issue 17 in the window, through visible widgets: the Overview's runtime verdicts, the Run menu's "Copy as"
submenu and its OCI export, and the HTTP tab serving a wasi:http component through wasmtime serve."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMenu, QPlainTextEdit, QPushButton

from wasi_http_component import http_component, wasmtime_command
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(Path(__file__).parent))
from window_views import opened  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def show_view(doc: ModuleDocument, key: str) -> None:
    """Choose the view in the document's side list, as a person would."""
    assert key in doc.navigator.views.keys(), f"{key} is not offered for {doc.path.name}"
    doc.show_view(key)


def run_menu(window: MainWindow) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Run")


def test_overview_shows_where_else_it_runs(qtbot, window) -> None:
    doc = opened(qtbot, window, SAMPLES / "hello-component" / "hello-component.wasm")
    text = doc.findChild(type(doc.overview.browser), "overviewView").toPlainText()
    assert "Elsewhere" in text
    assert "wasmtime run hello-component.wasm" in text and "runs core modules, not components" in text


def test_copy_as_offers_what_runs_it_and_says_what_it_cannot(qtbot, window) -> None:
    from wasi_playground.core.samples import get_sample

    doc = window.open_sample(get_sample("cat"))  # the lesson, with its prepared configuration
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=30000)
    menu = window.findChild(QMenu, "copyAsMenu")
    assert menu is not None and menu.menuAction() in run_menu(window).actions()
    menu.aboutToShow.emit()
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == [
        "copyAs_wasmtime",
        "copyAs_wasmer",
        "copyAs_wasmedge",
        "copyAs_spin",
        "copyAs_docker",
        "exportOciAction",
    ]
    # the cat sample grants a read-only folder (its configuration is applied once the module is read)
    qtbot.waitUntil(lambda: any(p.read_only for p in doc.context.config.preopens), timeout=15000)
    with qtbot.waitSignal(window.messages.posted) as posted:
        menu.findChild(QAction, "copyAs_wasmer").trigger()
    level, text = posted.args
    assert level == "warning" and "Copied the wasmer command" in text and "read-only" in text
    clipboard = QGuiApplication.clipboard().text()
    assert clipboard.startswith("# wasmer cannot map a directory read-only") and "wasmer run" in clipboard

    calc = opened(qtbot, window, SAMPLES / "calc" / "calc.wasm")
    assert window.current_document() is calc
    menu.aboutToShow.emit()
    assert [a.objectName() for a in menu.actions() if a.objectName()] == [
        "copyAs_wasmtime",
        "copyAs_wasmer",
        "copyAs_wasmedge",
    ]


def test_export_oci_image_from_the_menu(qtbot, window, tmp_path: Path) -> None:
    opened(qtbot, window, SAMPLES / "hello" / "hello.wasm")
    menu = window.findChild(QMenu, "copyAsMenu")
    menu.choose_image_path = lambda suggested: str(tmp_path / "hello-image.tar")
    menu.aboutToShow.emit()
    with qtbot.waitSignal(window.messages.posted, timeout=15000) as posted:
        menu.findChild(QAction, "exportOciAction").trigger()
    assert posted.args[1].startswith(f"Wrote the OCI image {tmp_path / 'hello-image.tar'}")
    if shutil.which("skopeo"):
        out = subprocess.run(
            ["skopeo", "inspect", f"oci-archive:{tmp_path / 'hello-image.tar'}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert '"Architecture": "wasm"' in out.stdout


def _proxy_component(tmp_path: Path) -> Path:
    from wasi_playground.core.binary.tools import wasm_tools

    (tmp_path / "p.wat").write_text(
        '(component (import "wasi:http/types@0.2.0" (instance)) (instance $h)'
        ' (export "wasi:http/incoming-handler@0.2.0" (instance $h)))'
    )
    out = tmp_path / "proxy.wasm"
    subprocess.run([str(wasm_tools()), "parse", str(tmp_path / "p.wat"), "-o", str(out)], check=True)
    return out


def test_http_tab_says_how_to_get_wasmtime(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not Path(p, "wasmtime_cli").exists()])
    doc = opened(qtbot, window, _proxy_component(tmp_path))
    show_view(doc, "http")
    label = doc.findChild(QLabel, "httpModeLabel")
    qtbot.waitUntil(lambda: "wasmtime.dev" in label.text(), timeout=15000)
    assert label.isVisible()


@pytest.mark.slow
def test_http_tab_sends_to_a_wasi_http_component_and_stops_with_it(qtbot, window, monkeypatch) -> None:
    binary = wasmtime_command()
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    doc = opened(qtbot, window, http_component())
    show_view(doc, "http")
    label = doc.findChild(QLabel, "httpModeLabel")
    qtbot.waitUntil(lambda: "each request goes to" in label.text(), timeout=15000)
    path_edit = doc.findChild(QLineEdit, "httpPathEdit")
    path_edit.setText("/from-the-tab?x=1")
    status = doc.findChild(QLabel, "httpStatusLabel")
    qtbot.mouseClick(doc.findChild(QPushButton, "httpSendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.text().startswith("200 OK"), timeout=120000)
    body = doc.findChild(QPlainTextEdit, "httpResponseBodyView").toPlainText()
    assert body == "hello from wasi:http at /from-the-tab?x=1\n"
    assert "not traced" in doc.findChild(QPlainTextEdit, "httpTraceView").toPlainText()

    serve = doc.findChild(QCheckBox, "httpServeCheck")
    qtbot.mouseClick(serve, Qt.MouseButton.LeftButton)
    url_label = doc.findChild(QLabel, "httpServerUrlLabel")
    qtbot.waitUntil(lambda: "http://127.0.0.1:" in url_label.text(), timeout=60000)
    server = doc.panels["HTTP"].wasmtime.backend._server
    assert server is not None and server.running
    window.close_tab(window.tabs.indexOf(doc))
    assert not server.running
