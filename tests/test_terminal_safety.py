"""Module output cannot hijack the terminal: colours pass, every other escape becomes visible text."""

from hypothesis import given
from hypothesis import strategies as st

from wasi_playground.core.terminal_safety import TerminalSanitizer, sanitize_for_terminal


def test_colours_and_plain_text_pass_unchanged() -> None:
    text = b"plain \x1b[1;31mred\x1b[0m\ttab\r\nnext line\n"
    assert sanitize_for_terminal(text) == text


def test_title_clipboard_and_cursor_sequences_are_defused() -> None:
    hostile = b"\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x1b[H\x1b(0"
    safe = sanitize_for_terminal(hostile)
    assert b"\x1b" not in safe and b"\x07" not in safe
    assert safe.startswith(b"^[]0;pwned^G")


def test_c1_control_introducers_are_defused() -> None:
    assert sanitize_for_terminal(b"a\x9b2Jb") == b"a\\x9b2Jb"


def test_an_sgr_split_across_writes_survives() -> None:
    s = TerminalSanitizer()
    out = s.feed(b"x\x1b[3") + s.feed(b"2mgreen") + s.flush()
    assert out == b"x\x1b[32mgreen"


@given(st.lists(st.binary(max_size=40), max_size=12))
def test_no_escape_other_than_sgr_ever_reaches_the_terminal(chunks: list[bytes]) -> None:
    s = TerminalSanitizer()
    out = b"".join(s.feed(c) for c in chunks) + s.flush()
    stripped = __import__("re").sub(rb"\x1b\[[0-9;:]{0,64}m", b"", out)
    assert b"\x1b" not in stripped and b"\x07" not in stripped and b"\x9b" not in stripped
