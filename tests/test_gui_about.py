"""The About text names the versions; the Help menu has one entry per README section."""

from __future__ import annotations

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMenu, QWidget

from wasi_playground import __version__
from wasi_playground.gui.shell.about import about_text, app_icon
from wasi_playground.gui.shell.help_menu import HelpWindow, build_help_menu, readme_sections, readme_text


def test_about_names_app_wasmtime_and_qt_versions(qtbot) -> None:
    text = about_text()
    assert __version__ in text and qVersion() in text and "wasmtime-py" in text
    assert not app_icon().isNull()


def test_help_menu_lists_readme_sections(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = QMenu(parent)
    build_help_menu(menu, parent)
    titles = [a.text() for a in menu.actions() if a.text()]
    sections = [t for t, _ in readme_sections(readme_text())]
    assert "Quick start" in sections
    assert titles[: len(sections)] == sections
    assert "About WASI Playground" in titles


def test_help_window_shows_the_section(qtbot) -> None:
    title, markdown = readme_sections(readme_text())[0]
    window = HelpWindow(title, markdown)
    qtbot.addWidget(window)
    assert "pip install" in window.browser.toPlainText()


def test_version_flag_prints_app_and_wasmtime(capsys) -> None:
    from wasi_playground.cli import main

    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert __version__ in out and "wasmtime" in out
