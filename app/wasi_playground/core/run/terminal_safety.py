"""Keep a module's output from taking over the user's terminal.

A module may print escape sequences that retitle the terminal, rewrite the clipboard (OSC 52), move the
cursor over earlier output or switch character sets. Colours (SGR) are harmless and useful, so they pass;
every other control sequence or control byte is shown as visible text (`^[` for ESC) instead of acting.
"""

from __future__ import annotations

import re

# SGR: ESC [ params m   — the only sequence allowed through.
_SGR = re.compile(rb"\x1b\[[0-9;:]{0,64}m")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b\x9d]")


def _visible(m: re.Match[bytes]) -> bytes:
    b = m.group()[0]
    if b == 0x7F:
        return b"^?"
    if b >= 0x80:
        return b"\\x%02x" % b
    return b"^" + bytes([b + 0x40])


def sanitize_for_terminal(data: bytes) -> bytes:
    """Bytes safe to write to a terminal: text, newlines, tabs, carriage returns and colours only."""
    if not _CONTROL.search(data):
        return data
    out = []
    pos = 0
    for sgr in _SGR.finditer(data):
        out.append(_CONTROL.sub(_visible, data[pos:sgr.start()]))
        out.append(sgr.group())
        pos = sgr.end()
    out.append(_CONTROL.sub(_visible, data[pos:]))
    return b"".join(out)


class TerminalSanitizer:
    """Sanitizes a stream written in arbitrary chunks: an SGR sequence split across two writes stays
    intact."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._pending + chunk
        cut = data.rfind(b"\x1b", max(0, len(data) - 70))
        if cut != -1 and not _SGR.match(data, cut) and re.fullmatch(rb"\x1b(\[[0-9;:]*)?", data[cut:]):
            self._pending, data = data[cut:], data[:cut]
        else:
            self._pending = b""
        return sanitize_for_terminal(data)

    def flush(self) -> bytes:
        data, self._pending = self._pending, b""
        return sanitize_for_terminal(data)
