"""WAGI handlers written in WAT, run through the real runner: what reaches them and what comes back.

The WAT texts here are imported by the serve, http and GUI tests too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wasi_playground.core.engine.config import Limits, Preopen, RunConfig
from wasi_playground.core.wagi.handler import handle_request
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.routes import RouteTable, load_modules_toml

# Prints a CGI header, then every environment variable and every argument on its own line, then stdin.
ECHO_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 16) "Content-Type: text/plain\n\n")
  (data (i32.const 48) "\n")
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $write_strings (param $ptrs i32) (param $count i32)
    (local $i i32) (local $p i32) (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $p (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $n (i32.const 0))
      (block $end (loop $scan
        (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $scan)))
      (call $write (local.get $p) (local.get $n))
      (call $write (i32.const 48) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "_start")
    (local $n i32)
    (call $write (i32.const 16) (i32.const 26))
    (drop (call $env_sizes (i32.const 64) (i32.const 68)))
    (drop (call $env_get (i32.const 1024) (i32.const 8192)))
    (call $write_strings (i32.const 1024) (i32.load (i32.const 64)))
    (drop (call $args_sizes (i32.const 64) (i32.const 68)))
    (drop (call $args_get (i32.const 4096) (i32.const 32768)))
    (call $write_strings (i32.const 4096) (i32.load (i32.const 64)))
    (block $eof (loop $more
      (i32.store (i32.const 0) (i32.const 70000))
      (i32.store (i32.const 4) (i32.const 4096))
      (br_if $eof (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $n (i32.load (i32.const 8)))
      (br_if $eof (i32.eqz (local.get $n)))
      (call $write (i32.const 70000) (local.get $n))
      (br $more))))
)
"""


def printer_wat(output: bytes, after: str = "", export: str = "_start") -> str:
    """A handler that writes `output` to stdout, then runs `after` (e.g. `unreachable`)."""
    escaped = "".join(f"\\{b:02x}" for b in output)
    return f"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "{escaped}")
  (func (export "{export}")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const {len(output)}))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    {after}))
"""


STATUS_WAT = printer_wat(
    b"Status: 201 Created\r\nX-Handler: wat\r\nContent-Type: text/html\r\n\r\n<p>made</p>"
)
BROKEN_WAT = printer_wat(b"hello without any headers\n")
TRAP_WAT = printer_wat(b"Content-Type: text/plain\n\npartial", after="unreachable")
LOOP_WAT = printer_wat(b"Content-Type: text/plain\n\n", after="(loop $spin (br $spin))")


def echo_lines(body: bytes) -> list[str]:
    return body.decode("utf-8", errors="replace").split("\n")


def test_env_argv_and_stdin_reach_the_handler(wat) -> None:
    module = wat(ECHO_WAT)
    request = HttpRequest.from_target(
        "/items/7?greet=hi+there&x=1",
        method="POST",
        headers=[("X-Test", "yes"), ("Content-Type", "text/plain")],
        body=b"the request body",
    )
    exchange = handle_request(module, request)
    response = exchange.response
    assert response.problem is None, response.problem
    assert response.status == 200 and response.content_type == "text/plain"
    lines = echo_lines(response.body)
    for expected in (
        "REQUEST_METHOD=POST",
        "PATH_INFO=/items/7",
        "QUERY_STRING=greet=hi+there&x=1",
        "CONTENT_LENGTH=16",
        "CONTENT_TYPE=text/plain",
        "HTTP_X_TEST=yes",
        "X_MATCHED_ROUTE=/...",
        "GATEWAY_INTERFACE=CGI/1.1",
        "SERVER_PROTOCOL=HTTP/1.1",
    ):
        assert expected in lines
    argv_start = lines.index("/items/7")
    assert lines[argv_start + 1 : argv_start + 3] == ["greet=hi there", "x=1"]
    assert response.body.endswith(b"\nthe request body")


def test_binary_request_body_reaches_stdin_byte_for_byte(wat) -> None:
    body = bytes(range(256)) * 40
    exchange = handle_request(wat(ECHO_WAT), HttpRequest.from_target("/", method="PUT", body=body))
    assert exchange.response.body.endswith(body)


def test_the_modules_own_configuration_applies(wat, tmp_path: Path) -> None:
    base = RunConfig(
        env=[("GREETING", "hola"), ("REQUEST_METHOD", "spoofed")],
        preopens=[Preopen(host=str(tmp_path), guest="/data")],
        limits=Limits(timeout_s=10),
    )
    exchange = handle_request(RouteTable.single(wat(ECHO_WAT), base=base), HttpRequest.from_target("/"))
    lines = echo_lines(exchange.response.body)
    assert (
        "GREETING=hola" in lines and "REQUEST_METHOD=GET" in lines and "REQUEST_METHOD=spoofed" not in lines
    )


def test_status_and_headers_are_parsed(wat) -> None:
    response = handle_request(wat(STATUS_WAT), HttpRequest.from_target("/")).response
    assert (response.status, response.header("X-Handler"), response.body) == (201, "wat", b"<p>made</p>")
    assert response.is_html and response.problem is None


def test_binary_response_body_is_byte_exact(wat) -> None:
    payload = bytes(range(256))
    module = wat(printer_wat(b"Content-Type: application/octet-stream\n\n" + payload))
    assert handle_request(module, HttpRequest.from_target("/")).response.body == payload


def test_broken_handler_gets_500_with_reason(wat) -> None:
    response = handle_request(wat(BROKEN_WAT), HttpRequest.from_target("/")).response
    assert response.status == 500
    assert "no blank line" in (response.problem or "") and "hello without any headers" in response.problem


def test_trap_gets_500_with_the_trap_message(wat) -> None:
    exchange = handle_request(wat(TRAP_WAT), HttpRequest.from_target("/"))
    assert exchange.response.status == 500
    assert "trapped" in (exchange.response.problem or "") and "unreachable" in exchange.response.problem
    assert exchange.result is not None and exchange.result.trap is not None


def test_timeout_gets_504(wat) -> None:
    table = RouteTable.single(wat(LOOP_WAT), base=RunConfig(limits=Limits(timeout_s=0.3)))
    response = handle_request(table, HttpRequest.from_target("/")).response
    assert response.status == 504 and "timed out" in (response.problem or "")


def test_modules_toml_routes_to_modules_and_entrypoints(wat, tmp_path: Path) -> None:
    wat(printer_wat(b"Content-Type: text/plain\n\nroot"), name="root.wasm")
    wat(printer_wat(b"Content-Type: text/plain\n\nhello entry", export="hello"), name="multi.wasm")
    wat(ECHO_WAT, name="echo.wasm")
    (tmp_path / "modules.toml").write_text(
        '[[module]]\nroute = "/"\nmodule = "root.wasm"\n\n'
        '[[module]]\nroute = "/hello"\nmodule = "multi.wasm"\nentrypoint = "hello"\n\n'
        '[[module]]\nroute = "/echo/..."\nmodule = "echo.wasm"\nenvironment = { FROM_TOML = "yes" }\n'
    )
    table = load_modules_toml(tmp_path / "modules.toml")

    def get(target: str):
        return handle_request(table, HttpRequest.from_target(target)).response

    assert get("/").body == b"root"
    assert get("/hello").body == b"hello entry"
    echoed = echo_lines(get("/echo/a/b?k=v").body)
    assert "FROM_TOML=yes" in echoed and "SCRIPT_NAME=/echo" in echoed and "PATH_INFO=/a/b" in echoed
    assert "X_MATCHED_ROUTE=/echo/..." in echoed and echoed[echoed.index("/echo") + 1] == "k=v"
    missing = get("/nowhere")
    assert missing.status == 404 and "no route matches /nowhere" in (missing.problem or "")


@pytest.mark.parametrize("sample", ["wagi"])
def test_the_wagi_sample_echoes_the_request(sample: str) -> None:
    folder = Path(__file__).resolve().parent.parent / "samples" / sample
    wasm = folder / f"{sample}.wasm"
    if not wasm.is_file():
        pytest.skip("the wagi sample is not committed yet")
    request = HttpRequest.from_target(
        "/echo?name=sample", method="POST", headers=[("X-Test", "sample-header")], body=b"sample body"
    )
    response = handle_request(wasm, request).response
    assert response.status == 200, response.problem
    text = response.body_text()
    for expected in ("POST", "/echo", "name=sample", "sample-header", "sample body"):
        assert expected in text
