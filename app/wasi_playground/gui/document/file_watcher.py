"""Notices when an open module changes on disk (a rebuild) and says so once, after the writes settle.

Build tools often replace a file (write a temp file, rename it over), which makes QFileSystemWatcher forget
the path; the watcher re-adds it. Bursts of change notifications are collapsed by a short debounce.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

DEBOUNCE_MS = 300


class FileWatcher(QObject):
    changed = Signal(str)
    """The watched file has new content (emitted once per burst of writes)."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = str(path)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_change)
        self._watcher.directoryChanged.connect(self._on_change)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._settled)
        self._stamp = self._signature()
        self._watch()

    def _signature(self) -> tuple[int, int] | None:
        try:
            st = Path(self.path).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _watch(self) -> None:
        if Path(self.path).exists() and self.path not in self._watcher.files():
            self._watcher.addPath(self.path)
        parent = str(Path(self.path).parent)
        if Path(parent).is_dir() and parent not in self._watcher.directories():
            self._watcher.addPath(parent)

    def _on_change(self, _path: str) -> None:
        self._timer.start()

    def _settled(self) -> None:
        self._watch()
        stamp = self._signature()
        if stamp is not None and stamp != self._stamp:
            self._stamp = stamp
            self.changed.emit(self.path)
