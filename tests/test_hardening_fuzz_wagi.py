"""A WAGI handler's output is untrusted: whatever it prints, the gateway answers with a well-formed response
(its own 500 with a reason when the output is broken) and never lets the handler forge extra headers."""

from __future__ import annotations

import http.client
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasi_playground.core.wagi.request import HttpRequest, RequestError, parse_header_line, split_target
from wasi_playground.core.wagi.response import HttpResponse, parse_cgi_output
from wasi_playground.core.wagi.routes import RouteTable
from wasi_playground.core.wagi.server import WagiServer

sys.path.insert(0, str(Path(__file__).parent))
from test_wagi_handlers import printer_wat  # noqa: E402

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
HEADER_NAMES = st.sampled_from(
    ["Content-Type", "Status", "Location", "X-A", "Content-Length", "Bad Name", ""]
)
VALUE_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
HEADER_VALUES = st.text(VALUE_CHARS, max_size=12) | st.sampled_from(
    [
        "200",
        "404 Not Found",
        "\u00b2\u00b3\u2074",
        "\u0661\u0662\u0663",
        "999",
        "text/plain\rX-Forged: 1",
        "a\x00b",
        "caf\u00e9",
        "\u20ac",
        "x\x7fy",
    ]
)


@st.composite
def cgi_output(draw: st.DrawFn) -> bytes:
    lines = [
        f"{draw(HEADER_NAMES)}:{draw(st.sampled_from([' ', '']))}{draw(HEADER_VALUES)}"
        for _ in range(draw(st.integers(0, 4)))
    ]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + newline * draw(st.integers(0, 2))
    return text.encode("utf-8") + draw(st.binary(max_size=16))


def sendable(response: HttpResponse) -> None:
    """What http.server will do with it: encode the status line and every header as Latin-1, one line each."""
    assert 100 <= response.status <= 599
    for name, value in response.headers:
        line = f"{name}: {value}"
        line.encode("latin-1")
        assert not any(c in line for c in "\r\n\x00"), line


@FUZZ
@given(cgi_output())
def test_any_handler_output_becomes_a_sendable_response(output: bytes) -> None:
    response = parse_cgi_output(output)
    sendable(response)
    if response.problem:
        assert response.status >= 500 and response.problem in response.body_text()


@FUZZ
@given(st.binary(max_size=64))
def test_random_bytes_become_a_sendable_response(output: bytes) -> None:
    sendable(parse_cgi_output(output))


def test_status_in_other_scripts_digits_is_a_500_with_a_reason() -> None:
    for digits in ("\u00b2\u00b3\u2074", "\u0661\u0662\u0663"):
        response = parse_cgi_output(f"Status: {digits}\nContent-Type: text/plain\n\nx".encode())
        assert response.status == 500 and "Status header" in (response.problem or "")


def test_a_carriage_return_cannot_forge_a_header() -> None:
    response = parse_cgi_output(b"Content-Type: text/plain\rX-Forged: yes\n\nbody")
    assert response.status == 500 and response.header("X-Forged") is None
    assert "control character" in (response.problem or "")


def test_header_value_outside_latin1_is_a_500_with_a_reason() -> None:
    response = parse_cgi_output("Content-Type: text/plain\nX-Name: \u4f60\u597d\n\nbody".encode())
    assert response.status == 500 and "X-Name" in (response.problem or "")


def get(port: int, target: str = "/") -> tuple[int, list[tuple[str, str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", target)
        reply = connection.getresponse()
        return reply.status, reply.getheaders(), reply.read()
    finally:
        connection.close()


def test_forged_header_and_unencodable_value_over_http(wat) -> None:
    """Over a real socket: the client gets a clear 500 each time (not a dropped connection), no forged
    header, and the server keeps serving."""
    handlers = {
        "forge": (printer_wat(b"Content-Type: text/plain\rX-Forged: yes\n\nbody"), 500),
        "wide": (printer_wat("Content-Type: text/plain\nX-Name: \u4f60\u597d\n\nbody".encode()), 500),
        "digits": (printer_wat("Status: \u00b2\u00b3\u2074\nContent-Type: text/plain\n\nx".encode()), 500),
        "fine": (printer_wat(b"Content-Type: text/plain\n\nfine"), 200),
    }
    for name, (text, expected) in handlers.items():
        with WagiServer(RouteTable.single(wat(text, f"{name}.wasm"))) as server:
            status, headers, body = get(server.port)
            assert status == expected, (name, status, body)
            assert all(k.lower() != "x-forged" for k, _ in headers)
            assert get(server.port)[0] == expected  # still serving


def test_request_targets_and_header_lines_are_requests_or_clear_errors() -> None:
    @FUZZ
    @given(
        st.text(max_size=30), st.text(max_size=30), st.sampled_from(["GET", "post", "", "G E T", "\u00e9"])
    )
    def check(target: str, header: str, method: str) -> None:
        try:
            split_target(target)
            HttpRequest.from_target(target, method=method)
        except RequestError as e:
            assert str(e)
        try:
            name, value = parse_header_line(header)
            assert name and ":" not in name
        except RequestError as e:
            assert str(e)

    check()
