"""The WAT text of one function (`watView`), with calls and branch targets that work as links.

A click on a call asks for the callee (`functionActivated`); a click on a branch label moves to the line
that opens the block. The panel around it keeps a back/forward history of visited functions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from wasi_playground.core.lookinside.disasm import FunctionText, Link
from wasi_playground.gui.lookinside.wat_highlight import (
    INLINE_HIGHLIGHT_CHARS,
    Span,
    WatHighlighter,
    tokenize_wat,
)


@dataclass
class RenderedFunction:
    """What the worker thread prepares for the view: text, links and highlighting spans."""

    function: FunctionText
    spans: list[list[Span]] | None
    title: str


def render_function(table: object, index: int) -> RenderedFunction:
    """Worker-thread half of showing a function: disassemble, and tokenize when the text is short (a long
    text is shown at once and coloured by a second task, see `WatView.needs_highlighting`)."""
    ft = table.wat(index)  # type: ignore[attr-defined]
    title = f"{index}: {table.display_name(index)}"  # type: ignore[attr-defined]
    spans = tokenize_wat(ft.text) if len(ft.text) <= INLINE_HIGHLIGHT_CHARS else None
    return RenderedFunction(ft, spans, title)


class WatView(QPlainTextEdit):
    functionActivated = Signal(int)
    """A call (or ref.func) link was clicked: the target function index."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.highlighter = WatHighlighter(self.document())
        self.function: FunctionText | None = None
        self._link_starts: list[int] = []
        self._links: list[Link] = []
        self._links_by_line: dict[int, list[tuple[int, int]]] = {}

    def show_rendered(self, rendered: RenderedFunction) -> None:
        ft = rendered.function
        self.function = ft
        self._links = sorted(ft.links, key=lambda link: link.start)
        self._link_starts = [link.start for link in self._links]
        self._links_by_line = _links_by_line(ft.text, self._links)
        self.highlighter.set_spans(rendered.spans, self._links_by_line)
        # Without tokens the highlighter stays detached: it would be called for each of 60,000 lines.
        self.highlighter.setDocument(self.document() if rendered.spans is not None else None)
        self.setPlainText(ft.text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def needs_highlighting(self) -> bool:
        return self.function is not None and self.highlighter.document() is None

    def apply_spans(self, function: FunctionText, spans: list[list[Span]] | None) -> None:
        """Colour text that was shown before its tokens were ready (ignored if the view moved on)."""
        if spans is None or function is not self.function:
            return
        self.highlighter.set_spans(spans, self._links_by_line)
        self.highlighter.setDocument(self.document())

    def show_message(self, text: str) -> None:
        self.function = None
        self._links, self._link_starts = [], []
        self.highlighter.set_spans(None, {})
        self.highlighter.setDocument(None)
        self.setPlainText(text)

    def link_at(self, position: int) -> Link | None:
        i = bisect.bisect_right(self._link_starts, position) - 1
        if i >= 0 and self._links[i].start <= position < self._links[i].end:
            return self._links[i]
        return None

    def activate_link(self, link: Link) -> None:
        if link.kind == "func":
            self.functionActivated.emit(link.target)
        else:
            self.go_to_line(link.target)

    def go_to_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(line)
        if block.isValid():
            cursor = QTextCursor(block)
            self.setTextCursor(cursor)
            self.centerCursor()

    def select_line(self, line: int) -> None:
        """Select a whole line (e.g. the instruction a validation error points at) and centre it."""
        block = self.document().findBlockByNumber(line)
        if block.isValid():
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            self.centerCursor()

    def link_position(self, kind: str, target: int) -> int | None:
        """Text position of the first link of this kind and target (used by tests and keyboard users)."""
        for link in self._links:
            if link.kind == kind and link.target == target:
                return link.start
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseMoveEvent(event)
        link = self.link_at(self.cursorForPosition(event.position().toPoint()).position())
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        link = self.link_at(self.cursorForPosition(event.position().toPoint()).position())
        if link is not None:
            self.activate_link(link)


def _links_by_line(text: str, links: list[Link]) -> dict[int, list[tuple[int, int]]]:
    line_starts = _line_starts(text)
    by_line: dict[int, list[tuple[int, int]]] = {}
    for link in links:
        line = bisect.bisect_right(line_starts, link.start) - 1
        by_line.setdefault(line, []).append((link.start - line_starts[line], link.end - link.start))
    return by_line


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at != -1:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts
