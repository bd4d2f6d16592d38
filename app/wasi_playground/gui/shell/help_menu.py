"""The Help menu: one entry per section of the README, shown in a help window, plus About.

The README travels with every install as the package's long description (pyproject `readme`), so the
help text is read from the installed metadata and never goes stale or needs a network.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMenu, QTextBrowser, QVBoxLayout, QWidget

from wasi_playground.gui.shell.about import show_about


def readme_text() -> str:
    checkout = Path(__file__).resolve().parents[3] / "README.md"
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    try:
        return str(metadata.metadata("wasi-playground").json.get("description", ""))
    except metadata.PackageNotFoundError:
        return ""


def readme_sections(text: str) -> list[tuple[str, str]]:
    """(title, markdown) for each `## ` section, in order."""
    parts = re.split(r"^## +(.+)$", text, flags=re.MULTILINE)
    return [(parts[i].strip(), f"## {parts[i].strip()}\n{parts[i + 1]}") for i in range(1, len(parts) - 1, 2)]


class HelpWindow(QDialog):
    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.setWindowTitle(f"WASI Playground help: {title}")
        self.resize(720, 560)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(markdown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)


def build_help_menu(menu: QMenu, parent: QWidget) -> None:
    """Fill `menu` (the window's Help menu) with the README sections, About and About Qt."""
    for title, markdown in readme_sections(readme_text()):
        action = menu.addAction(title)
        action.triggered.connect(lambda _=False, t=title, m=markdown: HelpWindow(t, m, parent).show())
    menu.addSeparator()
    about = menu.addAction("About WASI Playground")
    about.setObjectName("aboutAction")
    about.triggered.connect(lambda: show_about(parent))
    menu.addAction("About Qt").triggered.connect(QApplication.aboutQt)
