"""ANSI colour escapes in module output, turned into text runs with colours.

Only SGR sequences (ESC [ ... m) are rendered; any other escape (cursor moves, title changes) is dropped
so output can neither hide text nor take over the pane. A sequence split across two chunks is kept until
the next chunk arrives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

BASIC = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5"]
BRIGHT = ["#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]

ESCAPE = re.compile(r"\x1b(?:\[([0-9;?]*)([A-Za-z])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


@dataclass(frozen=True)
class Style:
    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False


def _xterm256(n: int) -> str:
    if n < 8:
        return BASIC[n]
    if n < 16:
        return BRIGHT[n - 8]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return f"#{levels[n // 36]:02x}{levels[(n // 6) % 6]:02x}{levels[n % 6]:02x}"
    grey = 8 + (n - 232) * 10
    return f"#{grey:02x}{grey:02x}{grey:02x}"


_ATTRIBUTES: dict[int, dict[str, object]] = {
    1: {"bold": True}, 3: {"italic": True}, 4: {"underline": True},
    22: {"bold": False}, 23: {"italic": False}, 24: {"underline": False}, 39: {"fg": None}, 49: {"bg": None},
}
"""SGR codes that set one attribute to one value."""


def _palette_colour(c: int) -> dict[str, object] | None:
    """The 8 basic and 8 bright foreground/background codes (30-37, 40-47, 90-97, 100-107)."""
    for first, key, table in ((30, "fg", BASIC), (90, "fg", BRIGHT), (40, "bg", BASIC), (100, "bg", BRIGHT)):
        if first <= c <= first + 7:
            return {key: table[c - first]}
    return None


def _extended_colour(codes: list[int], i: int) -> tuple[dict[str, object], int] | None:
    """38/48;5;N (xterm 256) or 38/48;2;R;G;B at `codes[i]`: the change and how many codes it used."""
    key = "fg" if codes[i] == 38 else "bg"
    if i + 2 < len(codes) and codes[i + 1] == 5:
        return {key: _xterm256(codes[i + 2] % 256)}, 3
    if i + 4 < len(codes) and codes[i + 1] == 2:
        r, g, b = (max(0, min(255, x)) for x in codes[i + 2 : i + 5])
        return {key: f"#{r:02x}{g:02x}{b:02x}"}, 5
    return None


def apply_sgr(style: Style, params: str) -> Style:
    codes = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c, used = codes[i], 1
        change = _ATTRIBUTES.get(c) or _palette_colour(c)
        if c == 0:
            style = Style()
        elif change is not None:
            style = replace(style, **change)  # type: ignore[arg-type]
        elif c in (38, 48) and (extended := _extended_colour(codes, i)) is not None:
            change, used = extended
            style = replace(style, **change)  # type: ignore[arg-type]
        i += used
    return style


class AnsiParser:
    """Stateful: the style carries over between chunks, like in a terminal."""

    def __init__(self) -> None:
        self.style = Style()
        self._pending = ""

    def feed(self, text: str) -> list[tuple[str, Style]]:
        text = self._pending + text
        self._pending = ""
        cut = text.rfind("\x1b")
        if cut != -1 and cut > len(text) - 32 and not ESCAPE.match(text, cut):
            text, self._pending = text[:cut], text[cut:]
        runs: list[tuple[str, Style]] = []
        pos = 0
        for m in ESCAPE.finditer(text):
            if m.start() > pos:
                runs.append((text[pos : m.start()], self.style))
            if m.group(2) == "m":
                self.style = apply_sgr(self.style, m.group(1) or "")
            pos = m.end()
        if pos < len(text):
            runs.append((text[pos:].replace("\x1b", ""), self.style))
        return [(t, s) for t, s in runs if t]
