"""Plain-language explanations of what went wrong in a traced run, for the capability lab.

Each kind of failure is explained once (with a count), in words that say what to change: the learner
should be able to read "no preopened directory; add one in Directories" and fix it.
"""

from __future__ import annotations

from wasi_playground.core.trace.event import TraceEvent
from wasi_playground.core.wasi.preview1 import errno_meaning

EBADF, ENOENT, EACCES, ENOTCAPABLE, EEXIST, EROFS, EPERM = 8, 44, 2, 76, 20, 69, 63


_LIBC_FATAL = {
    "fd_prestat_get": "asks for its preopened directories at start-up",
    "environ_sizes_get": "reads the environment on first use",
    "environ_get": "reads the environment on first use",
    "args_sizes_get": "reads its arguments before main",
    "args_get": "reads its arguments before main",
}


class Explainer:
    """Collects explanations while events stream by; `lines()` gives them in first-seen order."""

    def __init__(self, has_preopens: bool, denied: list[str], read_only_guests: list[str],
                 opens_files: bool = False) -> None:
        self.has_preopens = has_preopens
        self.opens_files = opens_files
        self.denied = set(denied)
        self.read_only = read_only_guests
        self._seen: dict[str, int] = {}
        self.exit_denied = False

    def add(self, e: TraceEvent) -> None:
        if e.func == "proc_exit" and "process" in self.denied:
            self._note("proc_exit ran although process calls are switched off: a program that asked to "
                       "end cannot be made to continue, so the switch does not hold it back")
            return
        if e.denied:
            self._note(f"{_call(e)} denied: {e.group} switched off in the capability lab, so it returned "
                       f"ENOTCAPABLE without running")
            if e.func in _LIBC_FATAL:
                self._note(f"a C program built with wasi-libc {_LIBC_FATAL[e.func]} and, refused, stops "
                           f"with exit code 71 (EX_OSERR)")
            return
        if e.func == "fd_prestat_get" and e.errno == EBADF:
            if not self.has_preopens and self.opens_files and e.raw_args and e.raw_args[0] == 3:
                self._note("fd_prestat_get(3) failed with EBADF: the module looked for preopened directories "
                           "and found none, so every file it opens will fail (wasi-libc then reports "
                           "ENOTCAPABLE without asking the host); the module has no preopened directory; "
                           "add one in Directories")
            return
        if not e.errno:
            return
        text = _call(e) + f" failed with {e.result}"
        if e.func.startswith("path_") and e.errno == EBADF and not self.has_preopens:
            self._note(f"{text}: the module has no preopened directory; add one in Directories")
        elif e.func.startswith("path_") and e.errno == ENOENT:
            self._note(f"{text}: no such file or directory inside {e.fds.get('fd', 'that directory')}")
        elif e.errno == ENOTCAPABLE:
            hint = (f" (read-only: {', '.join(self.read_only)})" if self.read_only else "")
            self._note(f"{text}: the descriptor lacks the right for this; a read-only directory or a file "
                       f"opened without write access cannot be changed{hint}")
        elif e.errno in (EACCES, EPERM, EROFS):
            self._note(f"{text}: the host refused it ({errno_meaning(e.errno)})")
        elif e.errno == EBADF:
            self._note(f"{text}: fd {e.raw_args[0] if e.raw_args else '?'} is not open")
        else:
            self._note(f"{text}: {errno_meaning(e.errno)}")

    def _note(self, text: str) -> None:
        self._seen[text] = self._seen.get(text, 0) + 1

    def lines(self) -> list[str]:
        return [t if n == 1 else f"{t} (×{n})" for t, n in self._seen.items()]


def _call(e: TraceEvent) -> str:
    """How a person names the call: `path_open("secret.txt")`, `fd_write to fd 1`."""
    if e.paths and e.paths[0] is not None:
        return f'{e.func}("{e.paths[0]}")'
    if "fd" in e.fds and e.raw_args:
        return f"{e.func} to fd {e.raw_args[0]} ({e.fds['fd']})"
    return e.func
