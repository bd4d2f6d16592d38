"""WAGI request, environment, output parsing and modules.toml, without running a module."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasi_playground.core.engine.config import ConfigError, Limits, Preopen, RunConfig
from wasi_playground.core.wagi.environment import ServerInfo, cgi_environment, request_argv, request_config
from wasi_playground.core.wagi.request import HttpRequest, RequestError, parse_header_line, query_arguments
from wasi_playground.core.wagi.response import parse_cgi_output
from wasi_playground.core.wagi.routes import Route, RouteTable, load_modules_toml

# --- output parsing ---------------------------------------------------------------------------------


def test_headers_status_and_exact_body_are_parsed() -> None:
    body = b"\x00\xffbinary\r\n\r\nstill body"
    response = parse_cgi_output(
        b"Content-Type: application/octet-stream\r\nStatus: 404 Not Found\r\nX-A: 1\r\n\r\n" + body
    )
    assert response.problem is None
    assert response.status == 404
    assert response.reason == "Not Found"
    assert response.headers == [("Content-Type", "application/octet-stream"), ("X-A", "1")]
    assert response.body == body


def test_location_without_status_is_a_redirect() -> None:
    response = parse_cgi_output(b"Location: /elsewhere\n\n")
    assert (response.status, response.header("location"), response.body) == (302, "/elsewhere", b"")


def test_plain_newlines_and_default_200() -> None:
    response = parse_cgi_output(b"content-type: text/html\n\n<h1>hi</h1>\n")
    assert response.status == 200 and response.is_html and response.body == b"<h1>hi</h1>\n"


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (b"", "printed nothing"),
        (b"hello world\n", "no blank line"),
        (b"hello world\n\nbody", "line 1 of the handler's output is not a header"),
        (b"Content-Type: text/plain\nnot a header\n\nbody", "line 2"),
        (b"X-Only: 1\n\nbody", "none of Content-Type, Location or Status"),
        (b"Status: teapot\n\n", "three-digit"),
        (b"Status: 999\n\n", "three-digit"),
    ],
)
def test_broken_header_block_is_500_with_reason(output: bytes, reason: str) -> None:
    response = parse_cgi_output(output)
    assert response.status == 500
    assert response.problem is not None and reason in response.problem
    assert reason.encode() in response.body


def test_framing_headers_from_the_handler_are_dropped() -> None:
    response = parse_cgi_output(b"Content-Type: text/plain\nContent-Length: 999\n\nabc")
    assert response.header("Content-Length") is None and response.body == b"abc"


def test_json_of_binary_body_is_base64() -> None:
    d = parse_cgi_output(b"Content-Type: x/y\n\n\xff\xfe").to_json_dict()
    assert d["body"] is None and d["body_base64"] == "//4=" and d["body_bytes"] == 2


# --- request ----------------------------------------------------------------------------------------


def test_request_target_and_headers() -> None:
    req = HttpRequest.from_target(
        "/a%20b?x=1&y=two+words#frag", method="post", headers=[parse_header_line("X-Test:  yes ")]
    )
    assert (req.method, req.path, req.query) == ("POST", "/a%20b", "x=1&y=two+words")
    assert req.decoded_path == "/a b" and req.header("x-test") == "yes"
    assert query_arguments(req.query) == ["x=1", "y=two words"]


@pytest.mark.parametrize("line", ["no colon", ": empty", "Bad Name: v"])
def test_bad_header_lines_are_refused(line: str) -> None:
    with pytest.raises(RequestError):
        parse_header_line(line)


@pytest.mark.parametrize("target", ["http://host/x", "/a b"])
def test_bad_targets_are_refused(target: str) -> None:
    with pytest.raises(RequestError):
        HttpRequest.from_target(target)


# --- environment and argv ---------------------------------------------------------------------------


def _match(route: str, path: str, **kw):
    table = RouteTable(routes=[Route(route=route, module=Path("x.wasm"), **kw)])
    found = table.match(path)
    assert found is not None
    return found


def test_cgi_environment_of_a_wildcard_route() -> None:
    req = HttpRequest.from_target(
        "/api/items/a%2Fb?q=1",
        method="POST",
        body=b"abc",
        headers=[
            ("Host", "example.test:8080"),
            ("Content-Type", "text/plain"),
            ("X-Trace-Id", "7"),
            ("Accept", "a"),
            ("accept", "b"),
        ],
    )
    env = dict(cgi_environment(req, _match("/api/...", req.path), ServerInfo(port=3000)))
    assert env["REQUEST_METHOD"] == "POST"
    assert env["SCRIPT_NAME"] == "/api"
    assert env["PATH_INFO"] == "/items/a/b" and env["X_RAW_PATH_INFO"] == "/items/a%2Fb"
    assert env["QUERY_STRING"] == "q=1"
    assert env["CONTENT_LENGTH"] == "3" and env["CONTENT_TYPE"] == "text/plain"
    assert env["SERVER_NAME"] == "example.test" and env["SERVER_PORT"] == "8080"
    assert env["HTTP_X_TRACE_ID"] == "7" and env["HTTP_ACCEPT"] == "a, b"
    assert "HTTP_CONTENT_TYPE" not in env
    assert env["X_MATCHED_ROUTE"] == "/api/..."
    assert env["X_FULL_URL"] == "http://example.test:8080/api/items/a%2Fb?q=1"
    assert env["GATEWAY_INTERFACE"] == "CGI/1.1" and env["REMOTE_ADDR"] == "127.0.0.1"


def test_argv_is_script_name_then_query_items() -> None:
    req = HttpRequest.from_target("/env?greet=matt&foo=bar")
    assert request_argv(req, _match("/env", req.path)) == ("/env", ["greet=matt", "foo=bar"])
    custom = _match("/env", req.path, argv="tool --flag ${ARGS}")
    assert request_argv(req, custom) == ("tool", ["--flag", "greet=matt", "foo=bar"])


def test_request_config_keeps_the_modules_own_settings(tmp_path: Path) -> None:
    base = RunConfig(
        env=[("MINE", "1"), ("REQUEST_METHOD", "spoofed")],
        preopens=[Preopen(host=str(tmp_path), guest="/data")],
        limits=Limits(fuel=1000),
    )
    route = Route(route="/...", module=Path("x.wasm"), base=base)
    req = HttpRequest.from_target("/p", method="PUT", body=b"x")
    match = RouteTable(routes=[route]).match("/p")
    assert match is not None
    body = tmp_path / "body"
    config = request_config(route.run_config(), req, match, ServerInfo(), body)
    env = dict(config.env)
    assert env["MINE"] == "1" and env["REQUEST_METHOD"] == "PUT"
    assert [k for k, _ in config.env].count("REQUEST_METHOD") == 1
    assert config.preopens[0].guest == "/data" and config.limits.fuel == 1000
    assert config.stdin.kind == "file" and config.stdin.path == str(body)
    assert base.args == [] and dict(base.env)["REQUEST_METHOD"] == "spoofed"


# --- modules.toml -----------------------------------------------------------------------------------


def test_modules_toml_routes_resolve_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "handlers").mkdir()
    (tmp_path / "static").mkdir()
    for name in ("root.wasm", "api.wasm", "hello.wasm"):
        (tmp_path / "handlers" / name).write_bytes(b"\0asm\1\0\0\0")
    toml = tmp_path / "modules.toml"
    toml.write_text(
        '[[module]]\nroute = "/"\nmodule = "handlers/root.wasm"\n\n'
        '[[module]]\nroute = "/api/..."\nmodule = "file://handlers/api.wasm"\nentrypoint = "api"\n'
        'environment = { MODE = "test" }\nvolumes = { "/static" = "static" }\nallowed_hosts = ["https://x"]\n\n'
        '[[module]]\nroute = "/api/hello"\nmodule = "handlers/hello.wasm"\nargv = "${SCRIPT_NAME} ${ARGS}"\n'
    )
    table = load_modules_toml(toml)
    assert [r.route for r in table.routes] == ["/", "/api/...", "/api/hello"]
    api = table.routes[1]
    assert api.module == (tmp_path / "handlers" / "api.wasm").resolve()
    assert api.volumes == [("/static", str((tmp_path / "static").resolve()))]
    assert api.run_config().invoke == "api" and dict(api.run_config().env) == {"MODE": "test"}
    assert any("allowed_hosts" in w for w in table.warnings)

    def routed(path: str) -> str | None:
        found = table.match(path)
        return found.route.route if found else None

    assert routed("/") == "/"
    assert routed("/api") == "/api/..."
    assert routed("/api/x/y") == "/api/..."
    assert routed("/api/hello") == "/api/hello"
    assert routed("/apiary") is None
    assert routed("/nothing") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML"),
        ("x = 1", "no [[module]]"),
        ('[[module]]\nroute = "nope"\nmodule = "a.wasm"', "route starting with '/'"),
        ('[[module]]\nroute = "/a"\nmodule = "missing.wasm"', "does not exist"),
        ('[[module]]\nroute = "/a"\nmodule = "oci:foo/bar:1"', "remote reference"),
        ('[[module]]\nroute = "/a/.../b"\nmodule = "a.wasm"', "must end in /..."),
    ],
)
def test_bad_modules_toml_is_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "modules.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_modules_toml(path)
    assert message in str(info.value)
