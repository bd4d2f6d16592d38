"""Plain-language explanations of a traced component run, for the capability lab: what was refused and
how it answered, what failed and what to change. Each kind of line is said once, with a count."""

from __future__ import annotations

from wasi_playground.core.trace.component.event import ComponentTraceEvent
from wasi_playground.core.trace.component.plan import Func

ERROR_MEANINGS = {
    "access": "the host refused access",
    "access-denied": "the host refused access",
    "not-permitted": "the operation is not permitted",
    "no-entry": "no such file or directory",
    "exist": "it already exists",
    "read-only": "the directory is read-only",
    "not-directory": "not a directory",
    "is-directory": "it is a directory",
    "bad-descriptor": "the descriptor is not open",
    "closed": "the stream is closed",
    "invalid": "an invalid argument",
    "unsupported": "not supported here",
}


class ComponentExplainer:
    def __init__(self, has_preopens: bool, opens_files: bool, read_only_guests: list[str]) -> None:
        self.has_preopens = has_preopens
        self.opens_files = opens_files
        self.read_only = read_only_guests
        self._seen: dict[str, int] = {}

    @staticmethod
    def reads_all(func: Func) -> bool:
        """Whether every call of `func` goes to `add`; otherwise only denied, unblocked or failed ones."""
        return func.name == "get-directories" or func.interface.startswith("wasi:cli/exit")

    def add(self, e: ComponentTraceEvent) -> None:
        name = e.call.name
        if e.denied:
            self._denied(e)
        elif e.not_blocked:
            self._note(f"{name} ran although {e.group} is switched off: it has no way to fail and must "
                       f"return a resource, so the switch cannot hold it back")
        elif e.call.interface.startswith("wasi:cli/exit"):
            self._exit(e)
        elif name == "get-directories":
            if not self.has_preopens and self.opens_files:
                self._note("get-directories returned no directories: the component has no preopened "
                           "directory, so every file it opens will fail; add one in Directories")
        elif e.errno:
            self._failed(e)

    def _denied(self, e: ComponentTraceEvent) -> None:
        how = e.call.deny
        head = f"{e.call.name} denied: {e.group} switched off in the capability lab, so it"
        if how.startswith("error "):
            self._note(f"{head} returned err({how.split(' ', 1)[1]}) without running")
        elif how == "empty":
            self._note(f"{head} returned the empty value {e.result} without running (it has no way to "
                       f"report an error)")
        else:
            self._note(f"{head} was skipped")

    def _exit(self, e: ComponentTraceEvent) -> None:
        args = e.args_text()
        self._note(f"the component asked to exit ({args}); wasi:cli/exit is never blocked: a program that "
                   f"asked to end cannot be made to continue")

    def _failed(self, e: ComponentTraceEvent) -> None:
        error = e.error or "err"
        if error == "closed" and e.call.name.startswith("[method]input-stream."):
            return  # how a stream says it has no more data: the end of a file, not a failure
        text = f"{e.call.name} failed with {error}"
        meaning = ERROR_MEANINGS.get(error)
        if error == "read-only" or (error in ("access", "not-permitted") and self.read_only):
            hint = f" (read-only: {', '.join(self.read_only)})" if self.read_only else ""
            self._note(f"{text}: a read-only directory cannot be changed{hint}")
        elif meaning:
            self._note(f"{text}: {meaning}")
        else:
            self._note(text)

    def _note(self, text: str) -> None:
        self._seen[text] = self._seen.get(text, 0) + 1

    def lines(self) -> list[str]:
        return [t if n == 1 else f"{t} (×{n})" for t, n in self._seen.items()]
