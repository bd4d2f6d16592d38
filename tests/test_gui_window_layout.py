"""The window around the documents: the first screen as its empty state, the View menu's shortcuts, and one
layout (columns, configuration folded or not) for every module of the window, kept across sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def make_window(qtbot, folder: Path) -> MainWindow:
    window = MainWindow(SettingsStore(folder))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_sample(qtbot, window: MainWindow, name: str):
    doc = window.open_path(SAMPLES / name / f"{name}.wasm")
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=20000)
    return doc


def menu_actions(window: MainWindow, title: str) -> dict[str, QAction]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    assert isinstance(menu, QMenu)
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def test_the_first_screen_is_the_empty_state_and_lists_what_was_opened(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    assert window.stack.currentWidget() is window.first_screen
    doc = open_sample(qtbot, window, "hello")
    assert window.stack.currentWidget() is not window.first_screen
    window.close_tab(window.tabs.indexOf(doc))
    assert window.stack.currentWidget() is window.first_screen
    recent = window.first_screen.recent
    assert recent.count() == 1 and recent.item(0).toolTip() == str(doc.path)


@pytest.mark.parametrize(("menu", "name", "keys"), [
    ("&File", "openAction", "Ctrl+O"),
    ("&Run", "runAction", "F5"),
    ("&Run", "stopAction", "Shift+F5"),
    ("&View", "findAction", "Ctrl+F"),
    ("&View", "nextViewAction", "Ctrl+PgDown"),
    ("&View", "previousViewAction", "Ctrl+PgUp"),
    ("&View", "configurationAction", "F9"),
])
def test_each_shortcut_is_shown_in_its_menu(qtbot, tmp_path, menu, name, keys):
    window = make_window(qtbot, tmp_path)
    action = menu_actions(window, menu)[name]
    assert action.shortcut().toString() == keys


def test_next_and_previous_view_and_find_from_the_view_menu(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    doc = open_sample(qtbot, window, "hello")
    actions = menu_actions(window, "&View")
    assert doc.navigator.current_view() == "overview"
    actions["nextViewAction"].trigger()
    assert doc.navigator.current_view() == "imports"
    actions["findAction"].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is doc.imports.filter, timeout=3000)
    actions["previousViewAction"].trigger()
    actions["previousViewAction"].trigger()
    assert doc.navigator.current_view() == doc.navigator.views.keys()[-1]


def test_folding_the_configuration_applies_to_every_module_and_is_kept(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    first = open_sample(qtbot, window, "hello")
    qtbot.waitUntil(lambda: first._editor is not None, timeout=5000)
    qtbot.mouseClick(first.navigator.config.fold_button, Qt.MouseButton.LeftButton)
    assert first.navigator.config.folded
    assert not menu_actions(window, "&View")["configurationAction"].isChecked()
    second = open_sample(qtbot, window, "env")
    assert second.navigator.config.folded
    menu_actions(window, "&View")["configurationAction"].trigger()
    assert not second.navigator.config.folded
    window.tabs.setCurrentWidget(first)
    assert not first.navigator.config.folded
    first.navigator.set_config_folded(True)
    window.close()
    window.background.wait_in_order(5000)

    again = make_window(qtbot, tmp_path)
    doc = open_sample(qtbot, again, "hello")
    assert doc.navigator.config.folded


def test_run_pressed_while_the_module_is_still_read_runs_with_its_configuration(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    doc = window.open_path(SAMPLES / "cat" / "cat.wasm")
    with qtbot.waitSignal(doc.controller.finished, timeout=30000) as finished:
        window.findChild(QAction, "runAction").trigger()
    result = finished.args[0]
    assert result.exit_code == 0 and "A module wakes inside its box" in result.stdout


def test_controls_without_a_visible_label_have_an_accessible_name(qtbot, tmp_path):
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    window = make_window(qtbot, tmp_path)
    doc = open_sample(qtbot, window, "hello")
    for key in doc.navigator.views.keys():
        doc.show_view(key)
    unnamed = [w.objectName() or repr(w) for w in doc.findChildren(QLineEdit)
               if w.placeholderText() and not w.accessibleName()]
    unnamed += [w.objectName() or w.toolTip() for w in doc.findChildren(QAbstractButton)
                if not any(c.isalnum() for c in w.text()) and w.toolTip() and not w.accessibleName()]
    assert not unnamed
    assert doc.navigator.views.accessibleName() == "Views"


def test_the_function_list_shows_at_least_20_rows_at_1366_by_768(qtbot, tmp_path):
    from PySide6.QtWidgets import QTableView

    from wasi_playground.gui.document.item_views import visible_rows

    window = make_window(qtbot, tmp_path)
    doc = open_sample(qtbot, window, "args")
    doc.show_view("functions")
    view = doc.findChild(QTableView, "functionsView")
    qtbot.waitUntil(lambda: view.model().rowCount() > 40, timeout=20000)
    qtbot.waitUntil(lambda: visible_rows(view) >= 20, timeout=3000)


@pytest.mark.parametrize("sample", ["typed-component", "cat"])
def test_every_control_of_every_view_is_reachable_by_tab(qtbot, tmp_path, sample):
    """Walk the real focus chain from the list of views, as a keyboard user pressing Tab would: every
    visible, enabled control of every view must be on it and take focus from Tab."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit,
                QTextEdit)
    window = make_window(qtbot, tmp_path)
    doc = open_sample(qtbot, window, sample)
    for key in doc.navigator.views.keys():
        doc.show_view(key)
        qtbot.wait(10)
        wanted = {w for w in doc.findChildren(QWidget)
                  if isinstance(w, controls) and not isinstance(w, QHeaderView)  # headers: mouse only
                  and w.isVisible() and w.isEnabled()}
        first: QWidget = doc.navigator.views
        chain, widget = {first}, first.nextInFocusChain()
        while widget is not first and len(chain) < 5000:
            chain.add(widget)
            widget = widget.nextInFocusChain()
        reachable = {w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus}
        missed = sorted(w.objectName() or w.accessibleName() or type(w).__name__ for w in wanted - reachable)
        assert not missed, f"{key}: not reachable by Tab: {missed}"
