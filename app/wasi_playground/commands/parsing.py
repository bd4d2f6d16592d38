"""An argparse parser whose usage errors are one line on stderr and exit status 2, as DESIGN.md requires."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class UsageError(Exception):
    """Raised instead of exiting so a command's `main` can return 2 cleanly."""


class CommandParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def fail(message: str) -> int:
    """Print one line on stderr and return the usage/unreadable-input exit status."""
    print(message.replace("\n", " "), file=sys.stderr)
    return 2
