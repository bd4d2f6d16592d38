"""`serve` for a wasi:http component: through `wasmtime serve` on loopback (wasmtime-py cannot call it).

Reached from `serve_cmd` when the file is a component exporting `wasi:http/incoming-handler`; the same
options give its directories, environment and limits. Without the wasmtime command line: exit status 2 and
the sentence saying how to get it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from wasi_playground.commands.parsing import fail
from wasi_playground.core.engine.config import RunConfig

PROG = "wasi-playground serve"


def is_http_component(file: str) -> bool:
    """A component that exports wasi:http/incoming-handler (the wasi:http/proxy world)."""
    from wasi_playground.core.inspect.report import WasmFormatError, inspect_path

    if Path(file).suffix.lower() == ".toml" or not Path(file).is_file():
        return False
    try:
        report = inspect_path(file)
    except WasmFormatError:
        return False
    return report.component is not None and "wasi:http/proxy" in report.component.worlds


def serve_component(file: str, config: RunConfig, port: int, quiet: bool) -> int:
    from wasi_playground.core.wagi.wasmtime_serve import ServeFailed, WasmtimeMissing, WasmtimeServe

    server = WasmtimeServe(file, config, port=port)
    try:
        url = server.start()
    except (WasmtimeMissing, ServeFailed) as e:
        server.close()
        return fail(f"{PROG}: {e}")
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    print(
        f"serving {file} (wasi:http, through wasmtime serve) on {url} (Ctrl+C stops)",
        file=sys.stderr,
        flush=True,
    )
    shown = 0
    try:
        while not stop.wait(0.2) and server.running:
            log = server.log()
            if not quiet and len(log) > shown:
                sys.stderr.write(log[shown:])
                sys.stderr.flush()
            shown = len(log)
    finally:
        print("stopping...", file=sys.stderr, flush=True)
        ended_by_itself = not server.running
        server.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return fail(f"{PROG}: wasmtime serve stopped by itself") if ended_by_itself else 0


def serve_if_component(args: argparse.Namespace, config: RunConfig, port: int) -> int | None:
    """Serve `args.file` through wasmtime serve when it is a wasi:http component; None when it is not."""
    if not is_http_component(args.file):
        return None
    return serve_component(args.file, config, port, args.quiet)
