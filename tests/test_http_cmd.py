"""`wasi-playground http`: one request through a handler, printed as HTTP or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_wagi_handlers import BROKEN_WAT, ECHO_WAT, STATUS_WAT
from wasi_playground.commands import http_cmd


def test_prints_status_headers_and_body(wat, capsysbinary, tmp_path: Path) -> None:
    body = tmp_path / "body.bin"
    body.write_bytes(b"from a file\x00")
    code = http_cmd.main(
        [
            str(wat(ECHO_WAT)),
            "--method",
            "post",
            "--path",
            "/p?q=1",
            "--header",
            "X-Test: cli",
            "--body",
            str(body),
            "--env",
            "EXTRA=1",
        ]
    )
    out = capsysbinary.readouterr().out
    assert code == 0
    head, _, rest = out.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
    assert b"Content-Type: text/plain" in head and f"Content-Length: {len(rest)}".encode() in head
    lines = rest.split(b"\n")
    assert b"REQUEST_METHOD=POST" in lines and b"HTTP_X_TEST=cli" in lines and b"EXTRA=1" in lines
    assert b"q=1" in lines and rest.endswith(b"from a file\x00")


def test_json_output(wat, capsys) -> None:
    assert http_cmd.main([str(wat(STATUS_WAT)), "--path", "/x", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["response"]["status"] == 201 and data["response"]["body"] == "<p>made</p>"
    assert ["X-Handler", "wat"] in data["response"]["headers"]
    assert data["request"]["path"] == "/x" and data["argv"][0] == "/x"
    assert data["run"]["exit_code"] in (0, None) and data["run"]["trap"] is None


def test_broken_handler_exits_1_with_the_reason(wat, capsysbinary) -> None:
    assert http_cmd.main([str(wat(BROKEN_WAT))]) == 1
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"HTTP/1.1 500 Internal Server Error")
    assert b"no blank line" in captured.err


def test_routes_through_a_modules_toml(wat, tmp_path: Path, capsys) -> None:
    wat(ECHO_WAT, name="echo.wasm")
    (tmp_path / "modules.toml").write_text('[[module]]\nroute = "/api/..."\nmodule = "echo.wasm"\n')
    assert http_cmd.main([str(tmp_path / "modules.toml"), "--path", "/api/v1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["route"] == "/api/..." and "SCRIPT_NAME=/api" in data["response"]["body"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.wasm"], "no such file"),
        (["{m}", "--header", "no colon"], "Name: value"),
        (["{m}", "--path", "http://x/y"], "not a URL"),
        (["{m}", "--body", "/nonexistent/body"], "cannot read --body"),
        (["{m}", "--env", "NOEQUALS"], "NAME=VALUE"),
        (["{m}", "--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_are_one_line_exit_2(wat, capsys, args: list[str], message: str) -> None:
    module = str(wat(ECHO_WAT))
    assert http_cmd.main([a.replace("{m}", module) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_not_webassembly_is_a_clear_error(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.wasm"
    junk.write_bytes(b"not wasm at all")
    assert http_cmd.main([str(junk)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
