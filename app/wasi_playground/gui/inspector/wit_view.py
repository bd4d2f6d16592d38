"""The WIT tab: a component's WIT text, coloured by a small WIT lexer (pygments has none of its own)."""

from __future__ import annotations

from pathlib import Path

from pygments.token import Comment, Keyword, Name, Operator, _TokenType
from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from wasi_playground.core.binary.reader import WasmFormatError, header_kind
from wasi_playground.core.components.wit_text import WitLexer, component_wit
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel

_STYLE: list[tuple[_TokenType, str, bool]] = [
    (Comment, "#6a737d", False),
    (Keyword.Type, "#005cc5", False),
    (Keyword, "#d73a49", True),
    (Name.Namespace, "#6f42c1", False),
    (Name.Label, "#6f42c1", False),
    (Name.Function, "#22863a", True),
    (Operator, "#d73a49", False),
]


def _format_for(token: _TokenType) -> QTextCharFormat | None:
    for kind, color, bold in _STYLE:
        if token in kind:
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            return fmt
    return None


class WitHighlighter(QSyntaxHighlighter):
    """Colours each line with WitLexer tokens (WIT comments never span lines except /* */, rare in output)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.lexer = WitLexer(stripnl=False, ensurenl=False)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        position = 0
        for token, value in self.lexer.get_tokens(text):
            fmt = _format_for(token)
            if fmt is not None:
                self.setFormat(position, len(value), fmt)
            position += len(value)


class WitPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.source = QLabel("", self)
        self.source.setObjectName("witSource")
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("witView")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = WitHighlighter(self.view.document())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source)
        layout.addWidget(self.view, 1)

    def show_report(self, _report: object) -> None:
        self.load()

    def load(self) -> None:
        path = self.context.path
        self.source.setText("Reading the component's WIT...")
        self.in_background(lambda: _wit_or_reason(path), self._show, self._failed, key=f"wit-{id(self)}")

    def _show(self, answer: tuple[str, str]) -> None:
        text, source = answer
        self.view.setPlainText(text)
        self.source.setText(source)

    def _failed(self, error: BaseException) -> None:
        self.view.clear()
        self.source.setText(f"No WIT: {error}")


def _wit_or_reason(path: Path) -> tuple[str, str]:
    try:
        with open(path, "rb") as f:
            kind = header_kind(f.read(8))
    except (OSError, WasmFormatError) as e:
        raise ValueError(str(e)) from None
    if kind != "component":
        return ("// A core module has no WIT world: its imports and exports are plain functions,\n"
                "// memories, tables and globals (see the Imports and Exports tabs).\n",
                "core module")
    return component_wit(path)
