"""One output stream (stdout or stderr) of a run: a live, bounded, colour-aware, searchable pane.

The pane keeps only a tail (`maximumBlockCount`), because a module can write gigabytes; the full output
lives in the run result's spill file and "Save full output" copies it. Appends arrive in batches from the
run controller, already capped per timer tick, so the GUI thread never stalls on a flood.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.gui.outcome.ansi import AnsiParser, Style

MAX_LINE_CHARS = 250
"""Longer lines are broken in the display (not in saved output): laying out one huge line on every append
is what would stall the GUI thread when a module writes megabytes without a newline. And each visible line
is drawn whole, however little of it fits: during a flood of long lines, breaking them at 1,000 characters
left a worst stall of 42-48 ms, at 250 of 17-36 ms."""


def break_long_lines(text: str, column: int, width: int | None = None) -> tuple[str, int]:
    """Insert display line breaks so no line passes `width`; returns (text, column after it)."""
    width = width or MAX_LINE_CHARS
    if column + len(text) <= width and "\n" not in text:
        return text, column + len(text)
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("\n")
            column = 0
        while column + len(line) > width:
            take = width - column
            out.append(line[:take])
            out.append("\n")
            line = line[take:]
            column = 0
        out.append(line)
        column += len(line)
    return "".join(out), column


class OutputView(QWidget):
    def __init__(
        self, name: str, stream: str, tail_lines: int = 20000, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.stream = stream
        self.text = QPlainTextEdit(self)
        self.text.setObjectName(name)
        self.text.setReadOnly(True)
        self.text.setUndoRedoEnabled(False)
        self.text.setMaximumBlockCount(tail_lines)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText(f"{stream} of the module appears here while it runs")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {stream}…")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.status = QLabel(self)
        self.save_button = QPushButton("Save full output…", self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._ask_save)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        self._parser = AnsiParser()
        self._formats: dict[Style, QTextCharFormat] = {}
        self._full_file: str | None = None
        self._full_text: str | None = None
        self.skipped_bytes = 0
        self._column = 0

    def clear(self) -> None:
        self.text.clear()
        self._parser = AnsiParser()
        self._full_file = self._full_text = None
        self.skipped_bytes = 0
        self._column = 0
        self.save_button.setEnabled(False)
        self.status.clear()

    def _format(self, style: Style) -> QTextCharFormat:
        fmt = self._formats.get(style)
        if fmt is None:
            fmt = QTextCharFormat()
            if style.fg:
                fmt.setForeground(QColor(style.fg))
            if style.bg:
                fmt.setBackground(QColor(style.bg))
            if style.bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontItalic(style.italic)
            fmt.setFontUnderline(style.underline)
            self._formats[style] = fmt
        return fmt

    def append(self, text: str) -> None:
        runs = self._parser.feed(text)
        if not runs:
            return
        bar = self.text.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.text.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        for chunk, style in runs:
            shown, self._column = break_long_lines(chunk, self._column)
            cursor.insertText(shown, self._format(style))
        cursor.endEditBlock()
        if at_end:
            bar.setValue(bar.maximum())

    def note_skipped(self, nbytes: int) -> None:
        """Some output was not shown (a flood): say so, the full text is one click away."""
        self.skipped_bytes += nbytes
        self.status.setText(f"showing the tail; {self.skipped_bytes:,} bytes skipped")

    def set_full_output(self, text: str, spill_file: str | None) -> None:
        self._full_text, self._full_file = text, spill_file
        self.save_button.setEnabled(bool(text) or bool(spill_file))

    def save_full_output(self, target: str | Path) -> None:
        if self._full_file and Path(self._full_file).exists():
            shutil.copyfile(self._full_file, target)
        else:
            Path(target).write_text(self._full_text or self.text.toPlainText(), encoding="utf-8")

    def _ask_save(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, f"Save full {self.stream}", f"{self.stream}.txt")
        if target:
            self.save_full_output(target)

    def find_next(self, backward: bool = False) -> bool:
        needle = self.search.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.text.find(needle, flags)
        if not found:
            cursor = self.text.textCursor()
            cursor.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            self.text.setTextCursor(cursor)
            found = self.text.find(needle, flags)
        self.status.setText("" if found else "not found")
        return found
