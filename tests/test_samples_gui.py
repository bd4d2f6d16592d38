"""In the app: a sample chosen from the Samples menu opens with its configuration and, run, makes its
point."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QTableWidget

from wasi_playground.core.samples import get_sample

pytest.importorskip("wasi_playground.core.inspect.report", reason="needs the inspector (issue 2)")
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def choose_sample(qtbot, window, name: str):
    action = next(a for a in window.samples_menu.actions() if a.data() == name)
    action.trigger()
    doc = window.current_document()
    assert doc is not None and doc.path == get_sample(name).wasm_path.resolve()
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=10000)
    return doc


def run_and_wait(qtbot, window, doc):
    with qtbot.waitSignal(doc.controller.finished, timeout=20000) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


def test_cat_sample_opens_with_its_preopen_and_prints_the_poem(qtbot, window):
    doc = choose_sample(qtbot, window, "cat")
    dirs = window.findChild(QTableWidget, "dirsView")
    assert dirs.item(0, 1).text() == "/data"
    result = run_and_wait(qtbot, window, doc)
    assert result.exit_code == 0, (result.error, result.stderr)
    view = window.findChild(QPlainTextEdit, "stdoutView")
    qtbot.waitUntil(lambda: view.toPlainText() == get_sample("cat").expect["stdout"], timeout=5000)


def test_escape_sample_run_from_the_window_is_denied_everywhere(qtbot, window):
    doc = choose_sample(qtbot, window, "escape")
    result = run_and_wait(qtbot, window, doc)
    assert result.exit_code == 0, (result.error, result.stdout, result.stderr)
    view = window.findChild(QPlainTextEdit, "stdoutView")
    qtbot.waitUntil(lambda: view.toPlainText().rstrip().endswith("every attempt was denied"), timeout=5000)
    assert "ESCAPED" not in view.toPlainText()
