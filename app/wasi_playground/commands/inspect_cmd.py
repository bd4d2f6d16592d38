"""`wasi-playground inspect` (being built: see the issue that owns it)."""

from __future__ import annotations

from wasi_playground.commands.parsing import fail


def main(argv: list[str]) -> int:
    return fail("wasi-playground inspect: not available yet")
