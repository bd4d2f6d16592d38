"""The Qt front end. `MainWindow` is exported lazily so importing one small GUI module stays cheap."""

from __future__ import annotations

from typing import Any

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from wasi_playground.gui.shell.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)
