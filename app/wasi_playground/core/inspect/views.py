"""Which views of the window apply to an inspected file, grouped by the question each one answers.

Every view has a rule: given the `Report` (and the few `ViewFacts` the report alone does not hold), it says
"" when the view applies, or one line on why it does not. The window shows the views that apply and can say
why the others are absent. Other parts of the app add their own views with `register_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wasi_playground.core.inspect.report import Report
from wasi_playground.core.yielding import give_way

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("what", "What is it"),
    ("needs", "What does it need"),
    ("inside", "What is inside"),
    ("try", "Try it"),
)
"""(key, heading) in the order the window lists them."""

CGI_VARIABLES = (b"REQUEST_METHOD", b"PATH_INFO", b"QUERY_STRING", b"SCRIPT_NAME", b"GATEWAY_INTERFACE")
"""Names a WAGI handler reads from its environment; a program that never mentions one is no handler."""
_CGI_NEEDLES = [n for name in CGI_VARIABLES for n in (name, name.decode().encode("utf-16-le"))]
SEARCH_SLICE = 1 << 16
"""Bytes searched per call, each search holding the GIL: 4 MB took 2 ms, and every call the window made
into Python meanwhile waited for it. At 512 KiB, ten needles still cost the window 12-13 ms while yosys
opened; at 64 KiB, about 3."""
HTTP_HANDLER_EXPORT = "wasi:http/incoming-handler"
START_EXPORTS = ("wasi:cli/run", "_start", "_initialize")
"""Exports that Run calls; a module with nothing else has nothing for the Call view."""
DATA_SECTION_ID = 11


@dataclass(frozen=True, slots=True)
class ViewFacts:
    """What deciding the views needs beyond the report, read from the file once (see `read_view_facts`)."""

    cgi_handler: bool = False
    """The module's data mentions CGI variables: it reads a request the WAGI way."""


Rule = Callable[[Report, ViewFacts], str]
""""" when the view applies to the report, otherwise one line on why not."""


@dataclass(frozen=True, slots=True)
class ViewSpec:
    key: str
    title: str
    question: str
    rule: Rule


@dataclass(frozen=True, slots=True)
class ViewVerdict:
    key: str
    title: str
    question: str
    why_not: str
    """Empty when the view applies."""

    @property
    def applies(self) -> bool:
        return not self.why_not


def always(_report: Report, _facts: ViewFacts) -> str:
    """The rule of a view that applies to everything."""
    return ""


def _exports(report: Report) -> list[str]:
    if report.module is not None:
        return [e.name for e in report.module.exports if e.kind == "func"]
    assert report.component is not None
    return [e.name for e in report.component.exports]


def _interface(name: str) -> str:
    return name.split("@", 1)[0]


def _capabilities(report: Report, _facts: ViewFacts) -> str:
    if report.wasi.capabilities:
        return ""
    return "It imports no WASI functions, so there is nothing to switch off."


def _wit(report: Report, _facts: ViewFacts) -> str:
    if report.kind == "component":
        return ""
    return "A core module has no WIT world: its imports and exports are listed under Imports and Exports."


def _functions(report: Report, _facts: ViewFacts) -> str:
    if report.module is None:
        return ""  # a component's: they live in its core modules, picked in Contents
    if len(report.module.func_type_indices) == 0:
        return "It defines no functions of its own."
    return ""


def _data(report: Report, _facts: ViewFacts) -> str:
    if report.module is None:
        return ""  # a component's: it lives in its core modules, picked in Contents
    if report.module.data_count == 0:
        return "It has no data segments."
    return ""


def _debug_info(report: Report, _facts: ViewFacts) -> str:
    if any((s.custom_name or "").startswith(".debug_") for s in report.custom_sections):
        return ""
    if report.kind == "component":
        return "A component keeps debug info in its core modules; this one has none at the top level."
    return "It carries no DWARF debug info (no .debug_* sections): build it with -g to see source lines."


def _contents(report: Report, _facts: ViewFacts) -> str:
    if report.component is not None:
        return ""
    return "A core module nests no other modules."


def _runs(report: Report, _facts: ViewFacts) -> str:
    if report.runnable.ok:
        return ""
    return f"It cannot run here: {report.runnable.reason}."


def _trace(report: Report, facts: ViewFacts) -> str:
    if why := _runs(report, facts):
        return why
    if not report.wasi.capabilities:
        return "It imports no WASI functions, so a run makes no calls to trace."
    return ""


def _call(report: Report, facts: ViewFacts) -> str:
    if why := _runs(report, facts):
        return why
    exports = _exports(report)
    if [n for n in exports if _interface(n) not in START_EXPORTS]:
        return ""
    if exports:
        return f"It exports only {exports[0]}: press Run to start it."
    return "It exports no functions to call."


def _http(report: Report, facts: ViewFacts) -> str:
    if report.kind == "component":
        if any(_interface(n) == HTTP_HANDLER_EXPORT for n in _exports(report)):
            return ""  # a wasi:http handler: the HTTP view sends its requests through `wasmtime serve`
        return "It exports no HTTP handler."
    if why := _runs(report, facts):
        return why
    if "_start" not in _exports(report):
        return "A library without _start cannot answer a request."
    if not facts.cgi_handler:
        return "Not an HTTP handler: it never reads REQUEST_METHOD or PATH_INFO from its environment."
    return ""


VIEWS: list[ViewSpec] = [
    ViewSpec("overview", "Overview", "what", always),
    ViewSpec("imports", "Imports", "what", always),
    ViewSpec("exports", "Exports", "what", always),
    ViewSpec("capabilities", "Capabilities", "needs", _capabilities),
    ViewSpec("wit", "WIT", "needs", _wit),
    ViewSpec("functions", "Functions", "inside", _functions),
    ViewSpec("data", "Data", "inside", _data),
    ViewSpec("size", "Size", "inside", always),
    ViewSpec("debug", "Debug info", "inside", _debug_info),
    ViewSpec("validation", "Validation", "inside", always),
    ViewSpec("contents", "Contents", "inside", _contents),
    ViewSpec("output", "Run output", "try", _runs),
    ViewSpec("trace", "Trace", "try", _trace),
    ViewSpec("call", "Call", "try", _call),
    ViewSpec("http", "HTTP", "try", _http),
]
"""Every view in the order the window lists it within its question."""


def register_view(spec: ViewSpec, after: str | None = None) -> None:
    """Add a view (or replace the one with the same key), placed after `after` or last in its question."""
    if spec.question not in dict(QUESTIONS):
        raise ValueError(f"unknown question {spec.question!r}; one of {[q for q, _ in QUESTIONS]}")
    existing = [i for i, v in enumerate(VIEWS) if v.key == spec.key]
    if existing:
        VIEWS[existing[0]] = spec
        return
    keys = [v.key for v in VIEWS]
    if after in keys:
        VIEWS.insert(keys.index(after) + 1, spec)
        return
    same_question = [i for i, v in enumerate(VIEWS) if v.question == spec.question]
    VIEWS.insert(same_question[-1] + 1 if same_question else len(VIEWS), spec)


def view_verdicts(report: Report, facts: ViewFacts | None = None,
                  extra: Sequence[ViewSpec] = ()) -> list[ViewVerdict]:
    """Every registered view (and the `extra` ones, last in their question) with whether it applies and,
    if not, why; ordered by question."""
    facts = facts or ViewFacts()
    order = {key: i for i, (key, _) in enumerate(QUESTIONS)}
    specs = sorted([*VIEWS, *extra], key=lambda v: order[v.question])
    return [ViewVerdict(v.key, v.title, v.question, v.rule(report, facts)) for v in specs]


def view_key(title: str) -> str | None:
    """The key of the registered view with this title (a panel registered by title fills that view)."""
    return next((v.key for v in VIEWS if v.title == title), None)



def grouped(verdicts: list[ViewVerdict]) -> list[tuple[str, list[ViewVerdict]]]:
    """(question heading, its verdicts) for each question that has any, in the window's order."""
    return [(heading, [v for v in verdicts if v.question == key]) for key, heading in QUESTIONS
            if any(v.question == key for v in verdicts)]


def read_view_facts(report: Report) -> ViewFacts:
    """Read what the views need from the file: only the data section, a slice at a time (a few ms even
    for a 100 MB module). An unreadable file gives no facts rather than an error: the report stands."""
    section = next((s for s in report.sections if s.id == DATA_SECTION_ID), None)
    if section is None or report.kind != "module":
        return ViewFacts()
    if report.wasm is not None:
        return ViewFacts(cgi_handler=_mentions_cgi(report.wasm, section.payload_offset, section.end))
    if report.path is None:
        return ViewFacts()
    try:
        with open(Path(report.path), "rb") as f:
            return ViewFacts(cgi_handler=_mentions_cgi(f, section.payload_offset, section.end))
    except OSError:
        return ViewFacts()


def _mentions_cgi(source: bytes | BinaryIO, start: int, end: int) -> bool:
    """Also in UTF-16, the way AssemblyScript and other managed languages keep their strings. One slice
    at a time (slices overlap by a needle's length), so other threads get the GIL in between. A file is
    read, not mapped: a search through a mapping takes its page faults while holding the GIL."""
    overlap = max(len(n) for n in _CGI_NEEDLES) - 1
    for at in range(start, end, SEARCH_SLICE):
        give_way()
        stop = min(end, at + SEARCH_SLICE + overlap)
        if isinstance(source, bytes):
            piece = source[at:stop]
        else:
            source.seek(at)
            piece = source.read(stop - at)
        if any(needle in piece for needle in _CGI_NEEDLES):
            return True
    return False
