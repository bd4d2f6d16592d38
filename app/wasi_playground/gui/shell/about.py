"""The application icon and the About dialog (versions of the app, wasmtime, Qt and Python)."""

from __future__ import annotations

import platform
from importlib import metadata
from importlib.resources import files

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox, QWidget

from wasi_playground import __version__


def app_icon() -> QIcon:
    icons = files("wasi_playground.resources") / "icons"
    icon = QIcon(str(icons / "wasi-playground.svg"))
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(icons / f"wasi-playground-{size}.png"))
    return icon


def versions() -> dict[str, str]:
    def dist(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {
        "WASI Playground": __version__,
        "wasmtime-py": dist("wasmtime"),
        "Qt": qVersion(),
        "PySide6": pyside_version,
        "Python": platform.python_version(),
    }


def about_text() -> str:
    rows = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in versions().items())
    return (
        "<h3>WASI Playground</h3>"
        "<p>Open a WebAssembly module built for WASI, see what it asks of the system, run it in a sandbox "
        "and watch every WASI call it makes.</p>"
        f"<table cellspacing='4'>{rows}</table>"
        "<p>Licensed under the Apache License 2.0.</p>"
    )


def show_about(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutDialog")
    box.setWindowTitle("About WASI Playground")
    box.setIconPixmap(app_icon().pixmap(96, 96))
    box.setText(about_text())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
