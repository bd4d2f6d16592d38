"""`wasi-playground http FILE --method M --path /p?q=1 [--header K:V] [--body FILE] [--json]`.

Sends one request through a WAGI handler (a .wasm/.wat module, or a WAGI modules.toml routed by path) and
prints the response: status line, headers, blank line, body (byte for byte), or one JSON object. Exit
status: 0 when the handler answered, 1 when the gateway had to answer for it (broken output, trap,
timeout; the reason is on stderr), 2 for a usage error or an unreadable module/configuration.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

from wasi_playground.commands.parsing import CommandParser, UsageError, fail
from wasi_playground.core.engine.config import ConfigError, Limits, Preopen, RunConfig
from wasi_playground.core.wagi.exchange import WagiExchange
from wasi_playground.core.wagi.request import HttpRequest, RequestError, parse_header_line
from wasi_playground.core.wagi.routes import RouteTable, load_modules_toml


def build_parser() -> CommandParser:
    p = CommandParser(
        prog="wasi-playground http", description="Send one HTTP request through a WAGI handler."
    )
    p.add_argument("file", help="handler module (.wasm/.wat) or a WAGI modules.toml")
    p.add_argument("--method", "-X", default="GET")
    p.add_argument("--path", default="/", help="request target, e.g. /hello?name=x")
    p.add_argument("--header", "-H", action="append", default=[], metavar="NAME:VALUE")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", metavar="FILE", help="request body from a file ('-' for stdin)")
    body.add_argument("--data", "-d", metavar="TEXT", help="request body as text")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="handler environment")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]", help="read-write preopen")
    p.add_argument("--dir-ro", action="append", default=[], metavar="HOST[::GUEST]", help="read-only preopen")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the handler after this long")
    p.add_argument("--fuel", type=int, metavar="N")
    p.add_argument("--max-memory", type=int, metavar="BYTES")
    p.add_argument("--json", action="store_true", help="print the request, response and run as JSON")
    return p


def module_config(args: argparse.Namespace) -> RunConfig:
    """The handler's own configuration from the command line (what a route's module gets besides CGI)."""
    env = []
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"wasi-playground http: --env needs NAME=VALUE, got {item!r}")
        env.append((name, value))
    preopens = []
    for flag, read_only in (("dir", False), ("dir_ro", True)):
        for item in getattr(args, flag):
            host, _, guest = item.partition("::")
            if not Path(host).is_dir():
                raise UsageError(f"wasi-playground http: --{flag.replace('_', '-')} {host}: not a directory")
            preopens.append(Preopen(host=str(Path(host).resolve()), guest=guest or host, read_only=read_only))
    limits = Limits(fuel=args.fuel, max_memory_bytes=args.max_memory, timeout_s=args.timeout)
    return RunConfig(env=env, preopens=preopens, limits=limits)


def load_table(file: str, config: RunConfig) -> RouteTable:
    path = Path(file)
    if path.suffix.lower() == ".toml":
        table = load_modules_toml(path)
        for route in table.routes:
            route.base = config
        for warning in table.warnings:
            print(f"wasi-playground: {warning}", file=sys.stderr)
        return table
    if not path.is_file():
        raise ConfigError(f"{file}: no such file")
    return RouteTable.single(path.resolve(), base=config)


def read_body(args: argparse.Namespace) -> bytes:
    if args.data is not None:
        return args.data.encode("utf-8")
    source = args.body
    if source is None:
        return b""
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as e:
        raise UsageError(f"wasi-playground http: cannot read --body {source}: {e.strerror or e}") from None


def print_response(exchange: WagiExchange) -> None:
    response = exchange.response
    out = sys.stdout.buffer
    head = [
        response.status_line(),
        *(f"{k}: {v}" for k, v in response.headers),
        f"Content-Length: {len(response.body)}",
        "",
        "",
    ]
    out.write("\r\n".join(head).encode("utf-8"))
    out.write(response.body)
    out.flush()


def main(argv: list[str]) -> int:
    from wasi_playground.core.wagi.handler import handle_request  # imports the runner only when needed

    try:
        args = build_parser().parse_args(argv)
        request = HttpRequest.from_target(
            args.path,
            method=args.method,
            headers=[parse_header_line(h) for h in args.header],
            body=read_body(args),
        )
        table = load_table(args.file, module_config(args))
    except (UsageError, RequestError, ConfigError) as e:
        return fail(str(e) if str(e).startswith("wasi-playground") else f"wasi-playground http: {e}")
    exchange = handle_request(table, request)
    if (
        exchange.result is not None
        and exchange.result.error
        and exchange.response.status == 500
        and "could not start" in (exchange.response.problem or "")
    ):
        return fail(f"wasi-playground http: {exchange.result.error}")
    if args.json:
        print(json.dumps(exchange.to_json_dict(), indent=2))
    else:
        print_response(exchange)
        if exchange.response.problem:
            print(
                f"wasi-playground http: {exchange.response.status}: {exchange.response.problem}",
                file=sys.stderr,
            )
    status = 1 if exchange.response.problem else 0
    del exchange
    gc.collect()
    time.sleep(0.05)  # drop the run's store now: see DESIGN.md on exit-time panics
    return status
