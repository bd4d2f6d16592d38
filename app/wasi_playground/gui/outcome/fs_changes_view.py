"""What the last run created, changed and deleted in its preopened directories, with a text diff."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from wasi_playground.core.trace.fsdiff import describe


class FsChangesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fsChangesView")
        self.changes: list[dict[str, Any]] = []
        self.list = QListWidget(objectName="fsChangesList")
        self.diff = QPlainTextEdit(objectName="fsDiffView", readOnly=True)
        split = QSplitter(self)
        split.addWidget(self.list)
        split.addWidget(self.diff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.list.currentRowChanged.connect(self._show_diff)
        self.show_changes(None)

    def show_changes(self, changes: list[dict[str, Any]] | None) -> None:
        self.changes = list(changes or [])
        self.list.clear()
        self.diff.clear()
        if changes is None:
            self.list.addItem("(files are compared when a traced run has preopened directories)")
            return
        if not self.changes:
            self.list.addItem("(no file created, changed or deleted)")
            return
        self.list.addItems([describe(c) for c in self.changes])
        self.list.setCurrentRow(0)

    def _show_diff(self, row: int) -> None:
        if 0 <= row < len(self.changes):
            change = self.changes[row]
            self.diff.setPlainText(change.get("diff") or "(no text diff: binary, large or deleted file)")
