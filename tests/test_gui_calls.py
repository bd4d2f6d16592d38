"""The Call and WIT tabs driven like a person would: pick a function, fill the form, call, read the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from wasi_playground.gui.calls.call_panel import CallPanel, CoreArgEdit
from wasi_playground.gui.calls.value_editor import CaseEditor, FieldsEditor, FlagsEditor, ListEditor
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.inspector.wit_view import WitPanel

REPO = Path(__file__).resolve().parent.parent
TYPED = REPO / "samples" / "typed-component" / "typed-component.wasm"

COUNTER = r'''
(module
  (memory (export "memory") 1)
  (data (i32.const 32) "WASM")
  (global $n (export "n") (mut i64) (i64.const 0))
  (func (export "add") (param $by i64) (result i64)
    global.get $n local.get $by i64.add global.set $n global.get $n)
  (func (export "mul32") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul))
'''


@pytest.fixture
def make_panel(qtbot):
    panels = []

    def make(path: Path) -> CallPanel:
        panel = CallPanel(DocumentContext(path))
        qtbot.addWidget(panel)
        panels.append(panel)
        panel.load()
        qtbot.waitUntil(lambda: panel.session is not None, timeout=10000)
        return panel

    yield make
    for panel in panels:
        panel.context.background.wait_idle()
    for panel in panels:
        panel.close_session()


def select(panel: CallPanel, name: str) -> None:
    names = [f.name for f in panel.function_list]
    match = next(i for i, n in enumerate(names) if n == name or n.endswith("#" + name))
    panel.functions.setCurrentRow(match)


def call_and_read(qtbot, panel: CallPanel) -> str:
    qtbot.mouseClick(panel.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)
    return panel.results.toPlainText()


def test_core_form_call_keeps_state_and_shows_globals_and_memory(qtbot, make_panel, wat) -> None:
    panel = make_panel(wat(COUNTER))
    assert [f.name for f in panel.function_list] == ["add", "mul32"]
    select(panel, "add")
    assert panel.signature.text() == "add: (i64) -> (i64)"
    field = panel.editors[0]
    assert isinstance(field, CoreArgEdit)
    field.setText("0x10")
    assert "result: 16" in call_and_read(qtbot, panel)
    assert "result: 32" in call_and_read(qtbot, panel)
    assert panel.globals_table.item(0, 0).text() == "n"
    assert panel.globals_table.item(0, 2).text() == "32"
    panel.fresh.setChecked(True)
    text = call_and_read(qtbot, panel)
    assert "result: 16" in text and "fresh instance" in text
    panel.memory.address.setText("0x20")
    panel.memory.refresh()
    assert panel.memory.dump.toPlainText().startswith("00000020  57 41 53 4d")


def test_core_field_validation_and_refused_call(qtbot, make_panel, wat) -> None:
    panel = make_panel(wat(COUNTER))
    select(panel, "mul32")
    first, second = panel.editors
    first.setText("4294967296")
    assert not first.check()
    assert "does not fit in 32 bits" in first.toolTip()
    second.setText("3")
    assert "not called: argument 1 (i32)" in call_and_read(qtbot, panel)
    first.setText("-7")
    assert first.check()
    assert "result: -21" in call_and_read(qtbot, panel)


def test_component_form_with_nested_editors(qtbot, make_panel) -> None:
    panel = make_panel(TYPED)
    select(panel, "describe")
    (person,) = panel.editors
    assert isinstance(person, FieldsEditor)
    fields = dict(person.fields)
    fields["name"].edit.setText('Ada "the first"')
    fields["age"].edit.setText("36")
    tags = fields["tags"]
    assert isinstance(tags, ListEditor)
    qtbot.mouseClick(tags.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tags.add_button, Qt.MouseButton.LeftButton)
    tags.items[0].edit.setText("math")
    tags.items[1].edit.setText("poetry")
    assert call_and_read(qtbot, panel).startswith('result: "Ada \\"the first\\" (36) [math, poetry]"')


def test_component_variant_enum_flags_option_result(qtbot, make_panel) -> None:
    panel = make_panel(TYPED)
    select(panel, "area")
    (shape,) = panel.editors
    assert isinstance(shape, CaseEditor)
    shape.set_case("rectangle")
    rect = shape.payloads[1]
    dict(rect.fields)["x"].edit.setText("3")
    dict(rect.fields)["y"].edit.setText("-4")
    assert "result: 12.0" in call_and_read(qtbot, panel)

    select(panel, "next-color")
    combo = panel.editors[0].findChild(QComboBox)
    combo.setCurrentText("green")
    assert "result: blue" in call_and_read(qtbot, panel)

    select(panel, "invert")
    flags = panel.editors[0]
    assert isinstance(flags, FlagsEditor)
    flags.boxes["write"].setChecked(True)
    assert "result: {read, exec}" in call_and_read(qtbot, panel)

    select(panel, "divide")
    panel.editors[0].edit.setText("1")
    panel.editors[1].edit.setText("0")
    assert 'result: err("division by zero")' in call_and_read(qtbot, panel)

    select(panel, "negate")
    panel.editors[0].findChild(QCheckBox).setChecked(True)
    assert "result: false" in call_and_read(qtbot, panel)


def test_component_resource_state_between_calls(qtbot, make_panel) -> None:
    panel = make_panel(TYPED)
    select(panel, "[constructor]counter")
    panel.editors[0].edit.setText("41")
    assert "result: counter#1" in call_and_read(qtbot, panel)
    select(panel, "[method]counter.increment")
    panel.editors[0].edit.setText("counter#1")
    assert "result: 42" in call_and_read(qtbot, panel)
    assert "result: 43" in call_and_read(qtbot, panel)
    panel.editors[0].edit.setText("counter#7")
    assert "not called" in call_and_read(qtbot, panel)
    assert panel.inside.isHidden()


def test_not_webassembly_is_explained(qtbot, tmp_path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"nope")
    panel = CallPanel(DocumentContext(bad))
    qtbot.addWidget(panel)
    panel.load()
    qtbot.waitUntil(lambda: "Cannot call" in panel.status.text(), timeout=10000)
    assert not panel.call_button.isEnabled()


def test_wit_panel_shows_component_wit(qtbot) -> None:
    panel = WitPanel(DocumentContext(TYPED))
    qtbot.addWidget(panel)
    panel.load()
    view = panel.findChild(QPlainTextEdit, "witView")
    qtbot.waitUntil(lambda: "interface types" in view.toPlainText(), timeout=15000)
    assert "divide: func(a: s32, b: s32) -> result<s32, string>;" in view.toPlainText()
    assert panel.source.text() == "wasm-tools component wit"


def test_wit_panel_core_module(qtbot, wat) -> None:
    panel = WitPanel(DocumentContext(wat(COUNTER)))
    qtbot.addWidget(panel)
    panel.load()
    qtbot.waitUntil(lambda: panel.source.text() == "core module", timeout=10000)
    assert "no WIT world" in panel.view.toPlainText()


def test_registered_panels() -> None:
    from wasi_playground.gui.document.panels import PANELS

    assert ("Call", "wasi_playground.gui.calls.call_panel:CallPanel") in PANELS
    assert ("WIT", "wasi_playground.gui.inspector.wit_view:WitPanel") in PANELS
    assert QLineEdit  # the value editors are line edits underneath


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_session_opens_only_when_the_tab_is_shown(qtbot, wat) -> None:
    panel = CallPanel(DocumentContext(wat(COUNTER)))
    qtbot.addWidget(panel)
    panel.context.set_report(None)
    qtbot.wait(100)
    panel.context.background.wait_idle()
    assert panel.session is None
    panel.show()
    qtbot.waitUntil(lambda: panel.session is not None, timeout=10000)
    assert [f.name for f in panel.function_list] == ["add", "mul32"]
    panel.close_session()


def test_deleting_the_panel_closes_its_session(qtbot, wat) -> None:
    panel = CallPanel(DocumentContext(wat(COUNTER)))
    panel.load()
    qtbot.waitUntil(lambda: panel.session is not None, timeout=10000)
    session, owner = panel.session, panel.owner
    select(panel, "add")
    assert "result: 0" in call_and_read(qtbot, panel)
    assert session.instance is not None
    panel.deleteLater()
    qtbot.waitUntil(lambda: owner.closed, timeout=5000)
    assert owner.session is None and session.instance is None


def test_a_session_arriving_after_close_is_closed_on_arrival(qtbot, wat) -> None:
    from wasi_playground.core.calls.module_session import CallSession

    panel = CallPanel(DocumentContext(wat(COUNTER)))
    qtbot.addWidget(panel)
    panel.close_session()
    late = CallSession(panel.context.path)
    late.call("add", ["1"])
    panel._adopt(late)
    assert panel.session is None and late.instance is None


def test_component_arguments_as_wave_text(qtbot, make_panel) -> None:
    panel = make_panel(TYPED)
    select(panel, "add-points")
    first = dict(panel.editors[0].fields)
    first["x"].edit.setText("5")
    panel.text_mode.setChecked(True)
    assert [e.text() for e in panel.editors] == ["{x: 5, y: 0}", "{x: 0, y: 0}"]
    panel.editors[1].setText("{y: 7, x: 1}")
    assert "result: {x: 6, y: 7}" in call_and_read(qtbot, panel)
    panel.editors[1].setText("{y: 7}")
    assert "needs field 'x'" in call_and_read(qtbot, panel)
    panel.text_mode.setChecked(False)
    assert isinstance(panel.editors[0], FieldsEditor)
