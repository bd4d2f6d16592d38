"""The same messages in a window's words: the core explains problems in the terms of the command line
(`use --invoke NAME`), which the CLI prints as they are; the window names its own fields instead.

`window_words(text)` rewrites the flags the core mentions into the field or control that does the same in
the window; text without a flag comes back unchanged.
"""

from __future__ import annotations

import re

FLAG_WORDS: tuple[tuple[str, str], ...] = (
    (r"use --invoke NAME", "choose a function in the Entry point field"),
    (r"need --invoke NAME", "need a function chosen in the Entry point field"),
    (r"--invoke NAME", "the Entry point field"),
    (r"--invoke", "the Entry point field"),
    (r"--dir-ro HOST(::GUEST)?", "a read-only folder in \"Folders the module may use\""),
    (r"--dir HOST(::GUEST)?", "a folder in \"Folders the module may use\""),
    (r"--dir(-ro)?", "\"Folders the module may use\""),
    (r"--env NAME=VALUE", "a variable in the Environment table"),
    (r"--env", "the Environment table"),
    (r"--deny GROUP", "a switch in the Capabilities view"),
    (r"--deny", "the Capabilities view"),
    (r"--fuel N", "the Fuel field"),
    (r"--fuel", "the Fuel field"),
    (r"--max-memory BYTES", "the Memory limit field"),
    (r"--max-memory", "the Memory limit field"),
    (r"--timeout SECONDS", "the Timeout field"),
    (r"--timeout", "the Timeout field"),
    (r"--stdin FILE", "Standard input"),
    (r"--stdin", "Standard input"),
    (r"--trace FILE", "the Trace view"),
    (r"--trace", "the Trace view"),
)
"""(pattern, replacement), longest first: "--invoke NAME" before "--invoke"."""
_PATTERN = re.compile("|".join(f"(?:{p})" for p, _ in FLAG_WORDS))
_COMPILED = [(re.compile(p), words) for p, words in FLAG_WORDS]


def window_words(text: str) -> str:
    """`text` with every command-line flag replaced by the window's field for it."""
    if "--" not in text:
        return text
    return _PATTERN.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    found = match.group(0)
    return next(words for pattern, words in _COMPILED if pattern.fullmatch(found))
