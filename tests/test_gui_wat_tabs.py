"""The Call and HTTP tabs take a `.wat` file as they take a `.wasm` (both go through the engine room's
`read_source`), instead of failing with "wrong magic"."""

from __future__ import annotations

from pathlib import Path

from test_gui_calls import COUNTER, call_and_read, make_panel, select  # noqa: F401 - make_panel is a fixture
from test_wagi_handlers import ECHO_WAT
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.http.http_panel import HttpPanel


def test_call_tab_calls_a_wat_module(qtbot, make_panel, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "counter.wat"
    source.write_text(COUNTER)
    panel = make_panel(source)
    assert [f.name for f in panel.function_list] == ["add", "mul32"]
    select(panel, "mul32")
    panel.editors[0].setText("6")
    panel.editors[1].setText("7")
    assert "result: 42" in call_and_read(qtbot, panel)


def test_http_tab_sends_to_a_wat_handler(qtbot, tmp_path: Path) -> None:
    source = tmp_path / "echo.wat"
    source.write_text(ECHO_WAT)
    panel = HttpPanel(DocumentContext(source))
    qtbot.addWidget(panel)
    panel.pathEdit.setText("/from/wat?k=v")
    panel.sendButton.click()
    qtbot.waitUntil(lambda: panel.sendButton.isEnabled(), timeout=20000)
    assert panel.statusLabel.text().startswith("200"), panel.statusLabel.text()
    assert "k=v" in panel.responseBodyView.toPlainText().split("\n")
