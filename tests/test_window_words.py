"""Messages in the window's words: flags become the fields that do the same."""

from __future__ import annotations

import pytest

from wasi_playground.core.window_words import window_words


@pytest.mark.parametrize(("cli", "window"), [
    ("the module has no _start (it is not a command); use --invoke NAME; exports: add",
     "the module has no _start (it is not a command); choose a function in the Entry point field; "
     "exports: add"),
    ("typed arguments need --invoke NAME (they are for an exported function)",
     "typed arguments need a function chosen in the Entry point field (they are for an exported function)"),
    ("the component exports no wasi:cli/run (it exports x); use --invoke NAME",
     "the component exports no wasi:cli/run (it exports x); choose a function in the Entry point field"),
    ("pass --dir HOST::GUEST", 'pass a folder in "Folders the module may use"'),
    ("give it --dir-ro HOST", 'give it a read-only folder in "Folders the module may use"'),
    ("raise --fuel N or --timeout SECONDS", "raise the Fuel field or the Timeout field"),
    ("switch it on again (--deny GROUP)", "switch it on again (a switch in the Capabilities view)"),
])
def test_flags_become_the_windows_fields(cli, window):
    assert window_words(cli) == window


def test_text_without_flags_is_unchanged():
    text = "exit code 3 -- as the module chose"
    assert window_words(text) == text
    assert window_words("") == ""
