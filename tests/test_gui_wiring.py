"""The window's wiring, end to end through visible widgets: a real `MainWindow`, real samples, real runs.

Each test drives what a person would touch (a capability switch, the Run action, a menu entry, the limits
fields) and reads what a person would read, so cutting the wire between them fails the test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
)

from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

sys.path.insert(0, str(Path(__file__).parent))
from window_views import choose_view  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def open_sample(qtbot, window: MainWindow, name: str) -> ModuleDocument:
    doc = window.open_path(SAMPLES / name / f"{name}.wasm")
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=15000)
    return doc


def run_from_toolbar(qtbot, window: MainWindow, doc: ModuleDocument):
    with qtbot.waitSignal(doc.controller.finished, timeout=30000) as blocker:
        window.findChild(QAction, "runAction").trigger()
    return blocker.args[0]


def show_tab(tabs: QTabWidget, title: str) -> None:
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    tabs.setCurrentIndex(index)


def stdout_text(window: MainWindow) -> str:
    return window.findChild(QPlainTextEdit, "stdoutView").toPlainText()


def test_switching_a_capability_off_in_the_tab_denies_it_in_the_windows_run(qtbot, window) -> None:
    doc = open_sample(qtbot, window, "cat")
    run_from_toolbar(qtbot, window, doc)
    assert "A module wakes inside its box" in stdout_text(window)

    choose_view(qtbot, doc, "Capabilities")
    switch = doc.findChild(QCheckBox, "capability_filesystem")
    assert switch.isVisible() and switch.isChecked()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert not switch.isChecked()
    result = run_from_toolbar(qtbot, window, doc)

    assert result.exit_code != 0 and "A module wakes" not in stdout_text(window)
    choose_view(qtbot, doc, "Trace")
    status = doc.findChild(QLabel, "traceStatus").text()
    assert " denied" in status and not status.startswith("0 calls")
    assert "0 denied" not in status
    explanations = doc.findChild(QPlainTextEdit, "traceExplanations").toPlainText()
    assert "filesystem" in explanations


def test_files_a_run_writes_in_a_preopened_folder_are_listed(qtbot, window) -> None:
    doc = open_sample(qtbot, window, "write")
    result = run_from_toolbar(qtbot, window, doc)
    assert result.exit_code == 0
    choose_view(qtbot, doc, "Trace")
    changes = doc.findChild(QListWidget, "fsChangesList")
    listed = [changes.item(i).text() for i in range(changes.count())]
    assert any("note.txt" in line for line in listed), listed
    diff = doc.findChild(QPlainTextEdit, "fsDiffView").toPlainText()
    assert "written from inside the sandbox" in diff


def test_view_theme_dark_and_light_change_the_application_palette(qtbot, window) -> None:
    app = QApplication.instance()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    theme_menu = next(a.menu() for a in view_menu.actions() if a.text() == "&Theme")
    entries = {a.text(): a for a in theme_menu.actions()}
    try:
        entries["Dark"].trigger()
        dark = app.palette().color(QPalette.ColorRole.Window)
        entries["Light"].trigger()
        light = app.palette().color(QPalette.ColorRole.Window)
        assert dark.lightness() < 100 < light.lightness()
        assert window.store.preferences.theme == "light"
    finally:
        entries["System"].trigger()


def test_fuel_used_is_shown_in_timings_after_a_run_with_a_fuel_limit(qtbot, window) -> None:
    doc = open_sample(qtbot, window, "hello")
    fuel = doc.findChild(QLineEdit, "fuelEdit")
    assert fuel is not None
    fuel.clear()
    qtbot.keyClicks(fuel, "50000000")
    qtbot.waitUntil(lambda: doc.context.config.limits.fuel == 50_000_000, timeout=2000)
    result = run_from_toolbar(qtbot, window, doc)
    assert result.exit_code == 0 and result.fuel_consumed
    choose_view(qtbot, doc, "Run output")
    show_tab(doc.output_tabs, "Timings")
    timings = window.findChild(QTableWidget, "timingsView")
    rows = {timings.item(r, 0).text(): timings.item(r, 1).text() for r in range(timings.rowCount())}
    assert rows["Fuel used"] == f"{result.fuel_consumed:,}"
