"""The recent-files menu: most recent first, missing files dropped, kept in the window-state file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QWidget

from wasi_playground.core.state.settings import SettingsStore


def remember(store: SettingsStore, path: str | Path) -> None:
    """Put `path` first in the recent list (the caller saves the window state)."""
    p = str(Path(path).resolve())
    recent = [r for r in store.window.recent_files if r != p]
    store.window.recent_files = [p, *recent][: store.preferences.recent_limit]


class RecentFilesMenu(QMenu):
    def __init__(self, store: SettingsStore, save: Callable[[], None], open_path: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self.store = store
        self.save = save
        self.open_path = open_path
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        existing = [p for p in self.store.window.recent_files if Path(p).exists()]
        for p in existing:
            action = self.addAction(Path(p).name)
            action.setToolTip(p)
            action.setStatusTip(p)
            action.triggered.connect(lambda _=False, path=p: self.open_path(path))
        if not existing:
            self.addAction("(no recent modules)").setEnabled(False)
        else:
            self.addSeparator()
            self.addAction("Clear list").triggered.connect(self._clear)

    def _clear(self) -> None:
        self.store.window.recent_files = []
        self.save()
