"""The document's navigation: views grouped by question, only those that apply, pages made on demand, the
configuration column folding away and coming back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextEdit

from wasi_playground.core.inspect.report import inspect_path
from wasi_playground.core.inspect.views import read_view_facts, view_verdicts
from wasi_playground.gui.document.navigator import NOT_HERE_TITLE, DocumentNavigator

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def verdicts(name: str):
    report = inspect_path(SAMPLES / name / f"{name}.wasm")
    return view_verdicts(report, read_view_facts(report))


@pytest.fixture
def nav(qtbot):
    widget = DocumentNavigator()
    qtbot.addWidget(widget)
    widget.made = []
    for v in verdicts("hello"):
        widget.add_view(v.key, lambda key=v.key: widget.made.append(key) or QLabel(f"page {key}"))
    config = QTextEdit("the configuration")
    config.setObjectName("fakeConfig")
    widget.set_config_widget(config)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def listed(nav: DocumentNavigator) -> dict[str, list[str]]:
    tree = nav.views
    return {tree.topLevelItem(i).text(0): [tree.topLevelItem(i).child(j).text(0)
                                          for j in range(tree.topLevelItem(i).childCount())]
            for i in range(tree.topLevelItemCount())}


def test_a_command_module_lists_only_the_views_that_apply_by_question(nav):
    nav.set_verdicts(verdicts("hello"))
    groups = listed(nav)
    assert groups["What is it"] == ["Overview", "Imports", "Exports"]
    assert groups["Try it"] == ["Run output", "Trace"]
    assert "Functions" in groups["What is inside"]
    absent_heading = next(h for h in groups if h.startswith(NOT_HERE_TITLE))
    assert {"HTTP", "WIT", "Contents"} <= set(groups[absent_heading])
    assert not nav.views.topLevelItem(len(groups) - 1).isExpanded()
    assert nav.current_view() == "overview"


def test_a_component_lists_its_world_calls_and_contents(nav):
    nav.set_verdicts(verdicts("typed-component"))
    groups = listed(nav)
    assert "WIT" in groups["What does it need"] and "Contents" in groups["What is inside"]
    assert "Call" in groups["Try it"] and "Contents" in groups["What is inside"]


def test_pages_are_made_when_first_shown(nav, qtbot):
    nav.set_verdicts(verdicts("hello"))
    assert nav.made == ["overview"]
    built = []
    nav.pageBuilt.connect(lambda key, widget: built.append((key, widget.text())))
    nav.views.select("trace")
    assert nav.pages.currentWidget().text() == "page trace"
    assert built == [("trace", "page trace")]
    nav.views.select("overview")
    assert nav.made == ["overview", "trace"]


def test_pending_pages_are_made_one_at_a_time(nav):
    nav.set_verdicts(verdicts("hello"))
    made = []
    while (key := nav.build_next_pending()) is not None:
        made.append(key)
    assert made[0] == "imports" and "overview" not in made
    assert set(nav.built_pages()) == {v.key for v in verdicts("hello")}


def test_a_view_that_does_not_apply_says_why(nav, qtbot):
    nav.set_verdicts(verdicts("hello"))
    nav.views.select("http")
    assert nav.pages.currentWidget() is nav.why_page
    assert "REQUEST_METHOD" in nav.why_page.text() and "HTTP" in nav.why_page.text()
    assert "http" not in nav.made


def test_next_and_previous_view_step_through_the_views_that_apply(nav, qtbot):
    nav.set_verdicts(verdicts("hello"))
    seen = [nav.next_view() for _ in range(len(nav.views.keys()))]
    assert seen[-1] == "overview" and seen[0] == "imports"
    assert "http" not in seen
    assert nav.previous_view() == "trace"
    with qtbot.waitSignal(nav.viewChanged) as changed:
        nav.views.setFocus()
        qtbot.keyClick(nav.views, Qt.Key.Key_Up)
    assert changed.args == ["output"]


def test_the_current_view_stays_when_the_module_is_reinspected(nav):
    nav.set_verdicts(verdicts("hello"))
    nav.show_view("functions")
    nav.set_verdicts(verdicts("hello"))
    assert nav.current_view() == "functions"
    nav.set_verdicts(verdicts("typed-component"))
    nav.show_view("wit")
    assert nav.current_view() == "wit"
    nav.set_verdicts(verdicts("hello"))  # WIT does not apply to a core module: back to the Overview
    assert nav.current_view() == "overview"


def test_the_configuration_folds_away_and_comes_back(nav, qtbot):
    nav.set_verdicts(verdicts("hello"))
    config = nav.findChild(QTextEdit, "fakeConfig")
    wide_before = nav.pages.width()
    qtbot.mouseClick(nav.config.fold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nav.pages.width() > wide_before + 200)
    assert not config.isVisible() and nav.config.strip.isVisible()
    assert nav.layout_state()["config_folded"] is True
    qtbot.mouseClick(nav.config.strip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: config.isVisible())
    qtbot.waitUntil(lambda: abs(nav.pages.width() - wide_before) < 20)


def test_the_layout_is_restored_from_its_state(nav, qtbot):
    nav.set_verdicts(verdicts("hello"))
    nav.restore_layout({"sizes": [200, 700, 400], "config_folded": True})
    assert nav.config.folded
    state = nav.layout_state()
    assert state["config_folded"] is True and state["sizes"][0] == 200 and state["sizes"][2] == 400
    nav.set_config_folded(False)
    assert nav.splitter.sizes()[2] == 400
    nav.restore_layout({"sizes": "nonsense"})
    assert not nav.config.folded


def test_unlabelled_controls_have_accessible_names(nav):
    assert nav.views.accessibleName() == "Views"
    assert nav.config.fold_button.accessibleName() and nav.config.strip.accessibleName()
