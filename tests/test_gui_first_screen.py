"""The first screen: lessons grouped, recent files, a drop target, the deny-by-default paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from wasi_playground.core.samples import lessons
from wasi_playground.gui.shell.first_screen import FirstScreen

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def screen(qtbot) -> FirstScreen:
    widget = FirstScreen()
    qtbot.addWidget(widget)
    widget.set_lessons(lessons())
    widget.resize(1366, 680)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_lesson_is_shown_under_its_group_with_its_one_line_lesson(screen):
    for group in lessons():
        box = screen.findChild(QWidget, f"lessonGroup_{group.key}")
        assert box is not None and box.isVisible()
        for sample in group.samples:
            button = screen.lesson_buttons[sample.name]
            assert button.isVisible() and box.isAncestorOf(button)
            assert button.text() == sample.title and button.description() == sample.teaches
            assert button.toolTip() == sample.description


def test_all_lessons_fit_at_1366_by_768_without_scrolling(screen):
    for button in screen.lesson_buttons.values():
        assert not button.visibleRegion().isEmpty(), f"{button.text()} is scrolled out of sight"


def test_clicking_a_lesson_asks_to_open_it(screen, qtbot):
    with qtbot.waitSignal(screen.lessonChosen) as chosen:
        qtbot.mouseClick(screen.lesson_buttons["env"], Qt.MouseButton.LeftButton)
    assert chosen.args[0].name == "env"


def test_a_lesson_opens_from_the_keyboard(screen, qtbot):
    button = screen.lesson_buttons["cat"]
    button.setFocus()
    with qtbot.waitSignal(screen.lessonChosen) as chosen:
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert chosen.args[0].name == "cat"


def test_recent_files_that_exist_are_listed_and_open(screen, qtbot, tmp_path):
    kept = tmp_path / "kept.wasm"
    kept.write_bytes(b"\0asm\1\0\0\0")
    screen.set_recent_files([str(kept), str(tmp_path / "gone.wasm")])
    assert screen.recent.count() == 1
    item = screen.recent.item(0)
    assert item.toolTip() == str(kept) and item.text().startswith("kept.wasm")
    with qtbot.waitSignal(screen.fileChosen) as chosen:
        screen.recent.itemActivated.emit(item)
    assert chosen.args == [str(kept)]


def test_no_recent_files_says_so(screen):
    screen.set_recent_files([])
    assert screen.recent.count() == 1
    assert "No recent files" in screen.recent.item(0).text()
    assert not screen.recent.item(0).flags() & Qt.ItemFlag.ItemIsEnabled


def test_a_dropped_file_asks_to_open_it(screen, qtbot, tmp_path):
    path = tmp_path / "dropped.wasm"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = screen.drop_target
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(screen.fileChosen) as chosen:
        QApplication.sendEvent(target, drop)
    assert Path(chosen.args[0]) == path


def test_the_open_button_asks_for_the_open_dialog(screen, qtbot):
    with qtbot.waitSignal(screen.openRequested):
        qtbot.mouseClick(screen.drop_target.open_button, Qt.MouseButton.LeftButton)


def test_deny_by_default_is_explained_and_controls_are_named(screen):
    about = screen.findChild(QLabel, "denyByDefault")
    assert "only what the host grants" in about.text()
    assert screen.recent.accessibleName() == "Recent files"
    assert screen.drop_target.accessibleName()


def test_no_samples_installed_is_said(qtbot):
    widget = FirstScreen()
    qtbot.addWidget(widget)
    widget.set_lessons([])
    assert any("No samples" in label.text() for label in widget.findChildren(QLabel))
