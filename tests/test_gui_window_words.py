"""The window speaks of its fields: a library run without a chosen function names the Entry point field."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_running_a_library_names_the_entry_point_field_not_a_flag(qtbot, wat, tmp_path: Path):
    window = MainWindow(SettingsStore(tmp_path / "settings"))
    qtbot.addWidget(window)
    doc = window.open_path(wat('(module (func (export "add") (param i32 i32) (result i32) local.get 0))'))
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=10000)
    with qtbot.waitSignal(doc.controller.finished, timeout=30000) as finished:
        window.findChild(QAction, "runAction").trigger()
    assert "--invoke" in finished.args[0].error  # the core's words, as the command line prints them
    shown = doc.banner.text() + " " + window.messages.current_text()
    assert "Entry point field" in shown and "--invoke" not in shown
    doc.close_document()
