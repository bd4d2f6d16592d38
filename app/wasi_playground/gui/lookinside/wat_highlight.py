"""WAT syntax colours: pygments' `WatLexer` tokenizes on a worker thread, the highlighter only paints.

QSyntaxHighlighter calls `highlightBlock` for every line on the GUI thread as soon as text is set, so the
expensive part (lexing) happens beforehand in `tokenize_wat`, and each call just applies prepared spans.
Very long texts are shown uncoloured rather than freezing the window.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from wasi_playground.core.yielding import STEP, give_way

MAX_HIGHLIGHT_CHARS = 600_000
"""Beyond this (~20,000 lines) text stays uncoloured: lexing would take seconds and painting would stall."""
INLINE_HIGHLIGHT_CHARS = 20_000
"""Up to this, tokens come with the text; longer text is shown first and coloured when lexing finishes."""

Span = tuple[int, int, str]

_CATEGORIES = (
    ("Comment", "comment"), ("Literal.String", "string"), ("Literal.Number", "number"),
    ("Keyword.Type", "type"), ("Keyword", "keyword"), ("Name.Builtin", "instruction"),
    ("Name.Variable", "name"), ("Name", "name"), ("Error", "name"),
)


def _category(token_type: object) -> str | None:
    text = str(token_type)
    for prefix, category in _CATEGORIES:
        if text.startswith("Token." + prefix):
            return category
    return None


def tokenize_wat(text: str) -> list[list[Span]] | None:
    """Per line, (column, length, category) spans; None when the text is too long to colour."""
    if len(text) > MAX_HIGHLIGHT_CHARS:
        return None
    from pygments.lexers import WatLexer

    lines: list[list[Span]] = [[]]
    column = 0
    for count, (token_type, value) in enumerate(WatLexer().get_tokens(text)):
        if not count % STEP:
            give_way()
        category = _category(token_type)
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
                column = 0
            if part and category is not None:
                lines[-1].append((column, len(part), category))
            column += len(part)
    return lines


def _formats(dark: bool) -> dict[str, QTextCharFormat]:
    colours = {
        "comment": ("#7f8c8d", "#8a9499"),
        "string": ("#a31515", "#ce9178"),
        "number": ("#098658", "#b5cea8"),
        "type": ("#267f99", "#4ec9b0"),
        "keyword": ("#0000c0", "#569cd6"),
        "instruction": ("#795e26", "#dcdcaa"),
        "name": ("#001080", "#9cdcfe"),
        "link": ("#0b61c4", "#6cb6ff"),
    }
    out = {}
    for name, (light, darkc) in colours.items():
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(darkc if dark else light))
        if name == "link":
            fmt.setFontUnderline(True)
        if name == "keyword":
            fmt.setFontWeight(QFont.Weight.DemiBold)
        out[name] = fmt
    return out


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().base().color().lightness() < 128  # type: ignore[attr-defined]


class WatHighlighter(QSyntaxHighlighter):
    """Paints prepared token spans and link underlines; lexes nothing itself."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._lines: list[list[Span]] = []
        self._links: dict[int, list[tuple[int, int]]] = {}
        self._formats = _formats(is_dark())

    def set_spans(self, lines: list[list[Span]] | None, links: dict[int, list[tuple[int, int]]]) -> None:
        """Call before setting the document's text; `links` maps line -> [(column, length)]."""
        self._lines = lines or []
        self._links = links

    def has_spans(self) -> bool:
        return bool(self._lines)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        n = self.currentBlock().blockNumber()
        formats = self._formats
        if n < len(self._lines):
            for column, length, category in self._lines[n]:
                self.setFormat(column, length, formats[category])
        for column, length in self._links.get(n, ()):
            self.setFormat(column, length, formats["link"])
