"""What the window hands to each document: its one `Background`, the settings, and how they are written.

Settings writes belong to the window (their owner), so a failure is reported on the message strip even
when the document that asked for the write has closed since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject

from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui.background import Background


@dataclass(frozen=True)
class WindowServices:
    background: Background
    store: SettingsStore
    owner: QObject
    """The window: owner of settings writes."""
    report: Callable[[str, str], None]
    """(text, level) to the window's message strip."""

    def write_settings(self, write: Callable[[], None]) -> None:
        """Run a settings write (a snapshot taken by the caller) on the serial lane, in order."""
        self.background.in_order(self.owner, write, lambda e: self.report(str(e), "error"))
