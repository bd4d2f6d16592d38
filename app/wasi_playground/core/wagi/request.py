"""One HTTP request as the handler sees it, independent of where it came from (CLI, window, socket)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


class RequestError(ValueError):
    """A request that cannot be built (bad header line, bad path), in words the user acts on."""


@dataclass
class HttpRequest:
    method: str = "GET"
    path: str = "/"
    """The raw (still percent-encoded) path, without the query."""
    query: str = ""
    """The raw query string, without the leading '?'."""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    remote_addr: str = "127.0.0.1"
    host: str = "localhost"
    port: int = 80

    @classmethod
    def from_target(
        cls,
        target: str,
        method: str = "GET",
        headers: list[tuple[str, str]] | None = None,
        body: bytes = b"",
    ) -> HttpRequest:
        """Build a request from a request target such as `/hello?name=x` (what `http --path` takes)."""
        path, query = split_target(target)
        method = method.strip().upper()
        if not method or not method.isalpha():
            raise RequestError(f"not an HTTP method: {method!r}")
        return cls(method=method, path=path, query=query, headers=list(headers or []), body=body)

    def header(self, name: str) -> str | None:
        """The first value of a header, matched without regard to case (HTTP header names are case-blind)."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def decoded_path(self) -> str:
        return unquote(self.path)

    @property
    def target(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


def split_target(target: str) -> tuple[str, str]:
    target = target.strip()
    if not target:
        return "/", ""
    if "://" in target:
        raise RequestError(f"give a path such as /hello?x=1, not a URL: {target!r}")
    if any(c.isspace() for c in target):
        raise RequestError(f"a request path cannot contain spaces (encode them as %20): {target!r}")
    path, _, query = target.partition("?")
    path, _, _fragment = path.partition("#")
    query = query.partition("#")[0]
    if not path.startswith("/"):
        path = "/" + path
    return path, query


def parse_header_line(line: str) -> tuple[str, str]:
    """`Name: value` (or `Name:value`) as typed on a command line or in the window's header table."""
    name, sep, value = line.partition(":")
    name = name.strip()
    if not sep or not name:
        raise RequestError(f"a header must look like Name: value, got {line!r}")
    if any(c.isspace() or ord(c) < 33 or c in '()<>@,;:\\"/[]?={}' for c in name):
        raise RequestError(f"not a valid header name: {name!r}")
    return name, value.strip()


def query_arguments(query: str) -> list[str]:
    """WAGI passes the query as argv: one argument per `&`-separated item, URL-decoded."""
    return [unquote_plus(item) for item in query.split("&") if item]
