"""`wasi-playground serve FILE_OR_MODULES_TOML --listen 127.0.0.1:PORT`: WAGI handlers on loopback.

A wasi:http component is served through `wasmtime serve` instead (see `serve_component`).

Loopback only unless `--allow-remote` is given: a handler is untrusted code and a playground server has
no authentication. One log line per request goes to stderr; SIGINT or SIGTERM stops the server cleanly
(in-flight requests finish or hit their timeout; the socket is released).
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
import time
from types import FrameType

from wasi_playground.commands.http_cmd import load_table, module_config
from wasi_playground.commands.parsing import CommandParser, UsageError, fail
from wasi_playground.core.engine.config import ConfigError

DEFAULT_LISTEN = "127.0.0.1:3000"


def build_parser() -> CommandParser:
    p = CommandParser(prog="wasi-playground serve", description="Serve WAGI handlers over HTTP on loopback.")
    p.add_argument("file", help="handler module (.wasm/.wat) or a WAGI modules.toml")
    p.add_argument("--listen", "-l", default=DEFAULT_LISTEN, metavar="HOST:PORT",
                   help=f"address to listen on (default {DEFAULT_LISTEN}; port 0 picks a free port)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback address (anyone who can reach it runs your handlers)")
    p.add_argument("--concurrency", type=int, default=8, metavar="N", help="handler runs at once (default 8)")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="handler environment")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]", help="read-write preopen")
    p.add_argument("--dir-ro", action="append", default=[], metavar="HOST[::GUEST]", help="read-only preopen")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="per-request limit (default 30)")
    p.add_argument("--fuel", type=int, metavar="N", help="fuel per request")
    p.add_argument("--max-memory", type=int, metavar="BYTES", help="memory per request")
    p.add_argument("--quiet", "-q", action="store_true", help="no request log")
    return p


def main(argv: list[str]) -> int:
    from wasi_playground.core.wagi.server import LogEntry, WagiServer, is_loopback, parse_listen

    try:
        args = build_parser().parse_args(argv)
        host, port = parse_listen(args.listen)
        if args.concurrency < 1:
            raise UsageError("wasi-playground serve: --concurrency must be at least 1")
        if not is_loopback(host) and not args.allow_remote:
            raise UsageError(
                f"wasi-playground serve: refusing to listen on {host}, which is not loopback: anyone who "
                "can reach it could run these handlers. Use 127.0.0.1, or add --allow-remote if you mean it")
        config = module_config(args)
        from wasi_playground.commands.serve_component import serve_if_component

        served = serve_if_component(args, config, port)
        if served is not None:
            return served
        table = load_table(args.file, config)
    except (UsageError, ConfigError, ValueError) as e:
        return fail(str(e) if str(e).startswith("wasi-playground") else f"wasi-playground serve: {e}")

    def log(entry: LogEntry) -> None:
        print(entry.line(), file=sys.stderr, flush=True)

    try:
        server = WagiServer(table, host=host, port=port, max_concurrency=args.concurrency,
                            on_log=None if args.quiet else log)
    except ConfigError as e:
        return fail(f"wasi-playground serve: {e}")
    except OSError as e:
        return fail(f"wasi-playground serve: cannot listen on {args.listen}: {e.strerror or e}")
    if not is_loopback(host):
        print(f"WARNING: serving on {host}, reachable from other machines", file=sys.stderr)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        routes = ", ".join(f"{r.route} -> {r.module.name}" for r in table.routes)
        print(f"serving {routes} on {server.url} (Ctrl+C stops)", file=sys.stderr, flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        print("stopping...", file=sys.stderr, flush=True)
        server.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    print(f"served {server.requests_served} requests", file=sys.stderr, flush=True)
    del server
    gc.collect()
    time.sleep(0.05)
    return 0
