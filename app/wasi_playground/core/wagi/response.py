"""Turning a handler's stdout into an HTTP response, and explaining what is wrong when that fails.

CGI 1.1 output is a header block, a blank line and the body. The body is kept byte for byte; only the
header block is decoded. Anything the gateway itself answers (a broken header block, a trap, a timeout)
is a response whose `problem` says why, so the window and the log can show the reason next to the 5xx.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

_SEPARATOR = re.compile(rb"\r?\n\r?\n")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_MAX_QUOTED = 60


@dataclass
class HttpResponse:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    problem: str | None = None
    """Why the gateway (not the handler) chose this status: a broken header block, a trap, a timeout."""

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""

    @property
    def is_html(self) -> bool:
        return self.content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")

    def body_text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {self.reason}".rstrip()

    def to_json_dict(self) -> dict[str, Any]:
        try:
            text: str | None = self.body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        d: dict[str, Any] = {
            "status": self.status,
            "reason": self.reason,
            "headers": [[k, v] for k, v in self.headers],
            "body": text,
            "body_bytes": len(self.body),
            "problem": self.problem,
        }
        if text is None:
            d["body_base64"] = base64.b64encode(self.body).decode("ascii")
        return d


def gateway_error(status: int, problem: str) -> HttpResponse:
    """A response the gateway writes itself; its body repeats the reason so a browser shows it too."""
    return HttpResponse(
        status=status,
        headers=[("Content-Type", "text/plain; charset=utf-8")],
        body=(problem + "\n").encode("utf-8"),
        problem=problem,
    )


def _quote(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return repr(text if len(text) <= _MAX_QUOTED else text[:_MAX_QUOTED] + "...")


def parse_cgi_output(stdout: bytes) -> HttpResponse:
    """Headers, blank line, body -> a response; a malformed block -> 500 that names the offending line."""
    if not stdout:
        return gateway_error(
            500, "the handler printed nothing: a WAGI handler must print headers (such as "
            "Content-Type: text/plain), a blank line, then the body"
        )
    match = _SEPARATOR.search(stdout)
    if match is None:
        first_line = stdout.split(b"\n", 1)[0]
        return gateway_error(
            500, "the handler's output has no blank line ending a header block (it starts with "
            f"{_quote(first_line)}); print headers, an empty line, then the body"
        )
    head, body = stdout[: match.start()], stdout[match.end():]
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError:
        return gateway_error(500, "the handler's header block is not UTF-8 text")
    headers: list[tuple[str, str]] = []
    for number, line in enumerate(head_text.split("\n"), start=1):
        line = line.rstrip("\r")
        name, sep, value = line.partition(":")
        if not sep or not _HEADER_NAME.match(name):
            what = "is empty" if not line else f"is not a header (Name: value): {_quote(line)}"
            return gateway_error(
                500, f"line {number} of the handler's output {what}; a WAGI handler must print "
                "headers, a blank line, then the body"
            )
        value = value.strip()
        problem = _unsendable(value)
        if problem:
            return gateway_error(500, f"the handler's {name} header (line {number}) {problem}")
        headers.append((name, value))
    return _apply_cgi_headers(headers, body)


def _unsendable(value: str) -> str | None:
    """Why a header value cannot go on the wire as the handler meant it, or None.

    A control character (a lone carriage return above all) would let a handler end the line early and
    forge headers of its own; HTTP header values are Latin-1 at most, so other text cannot be sent."""
    control = _CONTROL.search(value)
    if control:
        return f"contains a control character ({control.group()!r}), which HTTP header values cannot hold"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError as e:
        return (f"contains {value[e.start]!r}, which an HTTP header cannot carry (Latin-1 only); "
                "percent-encode it or move it to the body")
    return None


def _apply_cgi_headers(headers: list[tuple[str, str]], body: bytes) -> HttpResponse:
    names = {k.lower() for k, _ in headers}
    if not names & {"content-type", "location", "status"}:
        listed = ", ".join(k for k, _ in headers)
        return gateway_error(
            500, f"the handler's headers ({listed}) include none of Content-Type, Location or Status, "
            "so there is no response to send"
        )
    status = 200
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() == "status":
            code = value.split(" ", 1)[0]
            if not (code.isascii() and code.isdigit() and len(code) == 3 and 100 <= int(code) <= 599):
                return gateway_error(
                    500, f"the handler's Status header {_quote(value)} does not start with a "
                    "three-digit HTTP status code (e.g. Status: 404 Not Found)"
                )
            status = int(code)
        elif name.lower() in ("content-length", "connection", "transfer-encoding"):
            continue  # the gateway frames the body itself
        else:
            kept.append((name, value))
    if "location" in names and "status" not in names:
        status = 302
    return HttpResponse(status=status, headers=kept, body=body)
