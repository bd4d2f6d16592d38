"""The WAGI server over real HTTP on loopback: routing, concurrency, traps, logging, the serve command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from test_wagi_handlers import ECHO_WAT, STATUS_WAT, TRAP_WAT, printer_wat
from wasi_playground.core.wagi.routes import RouteTable, load_modules_toml
from wasi_playground.core.wagi.server import LogEntry, WagiServer, is_loopback, parse_listen


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
          method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


def test_requests_over_http_reach_the_handler(wat) -> None:
    log: list[LogEntry] = []
    with WagiServer(RouteTable.single(wat(ECHO_WAT)), on_log=log.append) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, headers, body = fetch(server.url + "hello/world?a=1&b=2", data=b"posted!",
                                      headers={"X-Test": "over-http", "Content-Type": "text/plain"})
        assert status == 200 and headers["Content-Type"] == "text/plain"
        lines = body.decode().split("\n")
        assert "REQUEST_METHOD=POST" in lines and "HTTP_X_TEST=over-http" in lines
        assert "PATH_INFO=/hello/world" in lines and f"SERVER_PORT={server.port}" in lines
        assert "REMOTE_ADDR=127.0.0.1" in lines and "a=1" in lines and "b=2" in lines
        assert body.endswith(b"posted!") and int(headers["Content-Length"]) == len(body)
        head_status, head_headers, head_body = fetch(server.url, method="HEAD")
        assert head_status == 200 and head_body == b""
    assert [(e.method, e.target, e.status) for e in log] == [("POST", "/hello/world?a=1&b=2", 200),
                                                            ("HEAD", "/", 200)]
    assert log[0].body_bytes == len(body) and log[0].elapsed_ms > 0
    assert re.fullmatch(r"POST /hello/world\?a=1&b=2 200 \d+\.\dms \d+B", log[0].line())


def test_a_trap_is_500_and_the_server_keeps_serving(wat, tmp_path: Path) -> None:
    wat(TRAP_WAT, name="trap.wasm")
    wat(STATUS_WAT, name="status.wasm")
    wat(printer_wat(b"Location: /elsewhere\n\n"), name="redirect.wasm")
    (tmp_path / "modules.toml").write_text(
        '[[module]]\nroute = "/trap"\nmodule = "trap.wasm"\n\n'
        '[[module]]\nroute = "/ok/..."\nmodule = "status.wasm"\n\n'
        '[[module]]\nroute = "/go"\nmodule = "redirect.wasm"\n')
    log: list[LogEntry] = []
    with WagiServer(load_modules_toml(tmp_path / "modules.toml"), on_log=log.append) as server:
        status, _, body = fetch(server.url + "trap")
        assert status == 500 and b"trapped" in body and b"unreachable" in body
        status, headers, body = fetch(server.url + "ok/anything")
        assert (status, headers["X-Handler"], body) == (201, "wat", b"<p>made</p>")
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(server.url + "go", timeout=20)
        assert redirect.value.code == 302 and redirect.value.headers["Location"] == "/elsewhere"
        assert fetch(server.url + "nothing-here")[0] == 404
        status, _, _ = fetch(server.url + "trap")
        assert status == 500 and fetch(server.url + "ok")[0] == 201
    assert [e.status for e in log] == [500, 201, 302, 404, 500, 201]
    assert "trapped" in (log[0].problem or "")


def test_concurrent_requests_each_get_their_own_instance(wat) -> None:
    with WagiServer(RouteTable.single(wat(ECHO_WAT)), max_concurrency=4) as server:
        def one(i: int) -> bytes:
            return fetch(f"{server.url}n/{i}", data=f"body-{i}".encode())[2]

        with ThreadPoolExecutor(8) as pool:
            bodies = list(pool.map(one, range(24)))
    for i, body in enumerate(bodies):
        assert f"PATH_INFO=/n/{i}".encode() in body and body.endswith(f"body-{i}".encode())
    assert server.requests_served == 24


def test_listen_addresses() -> None:
    assert parse_listen("127.0.0.1:0") == ("127.0.0.1", 0)
    assert parse_listen("[::1]:8080") == ("::1", 8080)
    for bad in ("127.0.0.1", "host:port", ":80", "1.2.3.4:70000"):
        with pytest.raises(ValueError):
            parse_listen(bad)
    assert is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "wasi_playground", *args]


def test_serve_command_serves_logs_and_stops_on_sigterm(wat) -> None:
    module = wat(ECHO_WAT)
    proc = subprocess.Popen(_cli("serve", str(module), "--listen", "127.0.0.1:0"), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        banner = ""
        timer = threading.Timer(60, proc.kill)
        timer.start()
        while "serving" not in banner:
            banner = proc.stderr.readline()
            assert banner, "serve exited before it was ready"
        timer.cancel()
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner).group(0)
        status, _, body = fetch(url + "cli?x=1")
        assert status == 200 and b"REQUEST_METHOD=GET" in body
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=20)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert re.search(r"GET /cli\?x=1 200 [\d.]+ms \d+B", rest)
    assert "served 1 requests" in rest and "panicked" not in rest and "Traceback" not in rest


def test_serve_refuses_a_non_loopback_address(wat, capsys) -> None:
    from wasi_playground.commands import serve_cmd

    assert serve_cmd.main([str(wat(ECHO_WAT)), "--listen", "0.0.0.0:0"]) == 2
    err = capsys.readouterr().err
    assert "not loopback" in err and "--allow-remote" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["missing.wasm"], "no such file"),
    (["{module}", "--listen", "nonsense"], "HOST:PORT"),
    (["{module}", "--concurrency", "0"], "at least 1"),
])
def test_serve_usage_errors_are_one_line(wat, capsys, args: list[str], message: str) -> None:
    from wasi_playground.commands import serve_cmd

    module = str(wat(ECHO_WAT))
    assert serve_cmd.main([a.replace("{module}", module) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


COUNTER_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (data (i32.const 64) "Content-Type: text/plain\n\ncalls=0")
  (func (export "_start")
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store8 (i32.const 96) (i32.add (i32.const 48) (global.get $calls)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 33))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""


def test_every_request_gets_a_fresh_instance(wat) -> None:
    with WagiServer(RouteTable.single(wat(COUNTER_WAT))) as server:
        bodies = {fetch(server.url)[2] for _ in range(3)}
    assert bodies == {b"calls=1"}


def test_serve_refuses_a_module_that_cannot_be_a_handler(wat, capsys) -> None:
    from wasi_playground.commands import serve_cmd

    module = wat('(module (import "env" "missing" (func)) (func (export "_start")))')
    assert serve_cmd.main([str(module), "--listen", "127.0.0.1:0"]) == 2
    err = capsys.readouterr().err
    assert "cannot be linked" in err and "missing" in err and len(err.strip().splitlines()) == 1
