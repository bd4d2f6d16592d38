"""The single channel for user-facing messages: a strip at the top of the window, never a modal storm.

Anything that wants to tell the user something (a malformed file, a missing folder, a corrupt settings
file) calls `MessageStrip.post(text, level)`; repeated identical messages are collapsed, and the strip
keeps the last few so one message does not hide another.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from wasi_playground.core.window_words import window_words
from wasi_playground.gui.palette import is_dark

log = logging.getLogger(__name__)

LEVEL_COLOURS = {
    "info": ("#1f4e79", "#d6e9f8"),
    "warning": ("#7a4b00", "#fff1cc"),
    "error": ("#7f1d1d", "#fde2e2"),
}
DARK_LEVEL_COLOURS = {
    "info": ("#cfe4ff", "#1d3550"),
    "warning": ("#ffe3a3", "#4a3711"),
    "error": ("#ffd0d0", "#5a2424"),
}


class MessageStrip(QWidget):
    posted = Signal(str, str)
    """(level, text) of each message, for the status bar and for tests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageStrip")
        self.history: deque[tuple[str, str]] = deque(maxlen=50)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count = QLabel(self)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.setAutoFillBackground(True)
        self._coloured_as: tuple[str, bool] | None = None
        self.hide()

    def post(self, text: str, level: str = "info") -> None:
        text = window_words(text.strip())
        if not text:
            return
        log.info("%s: %s", level, text)
        if not self.isHidden() and self.history and self.history[-1] == (level, text):
            return
        self.history.append((level, text))
        self._colour(level)
        self.label.setText(text)
        visible_count = sum(1 for _ in self.history)
        self.count.setText(f"({visible_count} messages)" if visible_count > 1 else "")
        self.show()
        self.posted.emit(level, text)

    def _colour(self, level: str) -> None:
        """A palette, not a style sheet: re-styling the strip on every message costs the GUI thread
        milliseconds it needs while a module opens."""
        dark = is_dark()
        if (level, dark) == self._coloured_as:
            return
        self._coloured_as = (level, dark)
        colours = DARK_LEVEL_COLOURS if dark else LEVEL_COLOURS
        fg, bg = (QColor(c) for c in colours.get(level, colours["info"]))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, bg)
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
            palette.setColor(role, fg)
        self.setPalette(palette)

    def current_text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def dismiss(self) -> None:
        self.history.clear()
        self.hide()
