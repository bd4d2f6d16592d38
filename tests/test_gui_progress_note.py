"""The progress note: what is going on, for how long, and Cancel when the work can stop."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from wasi_playground.gui.document.progress_note import ProgressNote

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def note(qtbot) -> ProgressNote:
    widget = ProgressNote()
    qtbot.addWidget(widget)
    return widget


def test_long_work_shows_its_elapsed_time(note, qtbot):
    note.start("Scanning data")
    assert not note.isVisible()
    qtbot.waitUntil(note.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: note.elapsed_s() >= 0.45, timeout=3000)
    qtbot.waitUntil(lambda: float(note.text().split("… ")[1].split()[0]) >= 0.4, timeout=2000)
    assert note.text().startswith("Scanning data… ")
    assert not note.cancel_button.isVisible()
    note.finish()
    assert not note.isVisible() and not note.busy


def test_short_work_never_flashes(note, qtbot):
    note.start("Measuring sizes")
    note.finish()
    qtbot.wait(300)
    assert not note.isVisible()


def test_cancel_stops_work_that_can_stop(note, qtbot):
    stop = threading.Event()
    note.start("Compiling", cancel=stop.set)
    qtbot.waitUntil(note.isVisible, timeout=2000)
    assert note.cancel_button.isVisible()
    with qtbot.waitSignal(note.cancelled):
        qtbot.mouseClick(note.cancel_button, Qt.MouseButton.LeftButton)
    assert stop.is_set() and not note.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: note.text().startswith("Cancelling compiling… "), timeout=2000)
