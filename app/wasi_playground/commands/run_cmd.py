"""`wasi-playground run` (being built: see the issue that owns it)."""

from __future__ import annotations

from wasi_playground.commands.parsing import fail


def main(argv: list[str]) -> int:
    return fail("wasi-playground run: not available yet")
