"""The imports page's capability summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_gui_window import open_and_wait

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_the_capability_summary_keeps_one_line_per_capability_and_a_tooltip_with_all(qtbot, window) -> None:
    doc = open_and_wait(qtbot, window, SAMPLES / "write" / "write.wasm")
    doc.show_view("imports")
    qtbot.waitUntil(lambda: "filesystem" in doc.imports.summary.text())
    summary = doc.imports.summary
    assert not summary.wordWrap()
    assert summary.toolTip() == summary.text()
    assert summary.text().count("<br>") >= 2  # a heading, then one line per capability
