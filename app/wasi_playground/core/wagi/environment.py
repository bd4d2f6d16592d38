"""The CGI 1.1 + WAGI environment and argv of one request, and the run configuration that carries them.

Names and meanings follow RFC 3875 and WAGI's documented variables: SCRIPT_NAME is the matched route's
prefix, PATH_INFO the URL-decoded rest (X_RAW_PATH_INFO keeps it encoded), each request header becomes
HTTP_<NAME>, and X_MATCHED_ROUTE / X_FULL_URL tell the handler how it was reached. The handler's own
configured variables come first; the request's variables override them, so a configuration cannot
spoof REQUEST_METHOD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from wasi_playground.core.engine.config import RunConfig, Stdin
from wasi_playground.core.wagi.request import HttpRequest, query_arguments
from wasi_playground.core.wagi.routes import RouteMatch

SERVER_SOFTWARE = "WASI-Playground-WAGI/1"
_CONTENT_HEADERS = ("content-type", "content-length")


@dataclass
class ServerInfo:
    """Where the request arrived, as the handler should see it."""

    name: str = "localhost"
    port: int = 80
    protocol: str = "HTTP/1.1"
    scheme: str = "http"


def host_and_port(request: HttpRequest, server: ServerInfo) -> tuple[str, int]:
    """The Host header split into name and port (IPv6 literals keep their brackets)."""
    host_header = (request.header("Host") or "").strip()
    if not host_header:
        return server.name, server.port
    host, sep, port = host_header.rpartition(":")
    if sep and port.isdigit() and (not host.startswith("[") or host.endswith("]")) and "]" not in port:
        return host, int(port)
    return host_header, server.port


def cgi_environment(request: HttpRequest, match: RouteMatch, server: ServerInfo) -> list[tuple[str, str]]:
    host, port = host_and_port(request, server)
    default_port = 443 if server.scheme == "https" else 80
    authority = host if port == default_port else f"{host}:{port}"
    path_info = unquote(match.path_info)
    env: dict[str, str] = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": SERVER_SOFTWARE,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": server.protocol,
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": match.script_name,
        "PATH_INFO": path_info,
        "PATH_TRANSLATED": path_info,
        "X_RAW_PATH_INFO": match.path_info,
        "QUERY_STRING": request.query,
        "REMOTE_ADDR": request.remote_addr,
        "REMOTE_HOST": request.remote_addr,
        "REMOTE_USER": "",
        "AUTH_TYPE": "",
        "CONTENT_LENGTH": str(len(request.body)),
        "CONTENT_TYPE": request.header("Content-Type") or "",
        "X_MATCHED_ROUTE": match.route.route,
        "X_FULL_URL": f"{server.scheme}://{authority}{request.target}",
    }
    for name, value in request.headers:
        if name.lower() in _CONTENT_HEADERS:
            continue
        key = "HTTP_" + name.upper().replace("-", "_")
        env[key] = f"{env[key]}, {value}" if key in env else value
    return list(env.items())


def request_argv(request: HttpRequest, match: RouteMatch) -> tuple[str, list[str]]:
    """(argv[0], the rest): WAGI's argv template with ${SCRIPT_NAME} and ${ARGS} filled in."""
    script = match.script_name or request.path
    query_args = query_arguments(request.query)
    words: list[str] = []
    for word in match.route.argv.split():
        if word == "${ARGS}":
            words.extend(query_args)
        else:
            words.append(word.replace("${SCRIPT_NAME}", script))
    if not words:
        words = [script]
    return words[0], words[1:]


def request_config(
    base: RunConfig,
    request: HttpRequest,
    match: RouteMatch,
    server: ServerInfo,
    body_file: Path | None,
) -> RunConfig:
    """A copy of `base` that carries this request: argv, environment, and the body as stdin.

    The body goes through a file (`body_file`, written by the caller) because WASI stdin here is a file
    and the body must reach the handler byte for byte.
    """
    config = RunConfig.from_dict(base.to_dict())
    argv0, args = request_argv(request, match)
    config.argv0, config.args = argv0, args
    request_env = cgi_environment(request, match, server)
    overridden = {k for k, _ in request_env}
    config.env = [(k, v) for k, v in config.env if k not in overridden] + request_env
    config.stdin = Stdin(kind="file", path=str(body_file)) if body_file is not None else Stdin(kind="none")
    return config
