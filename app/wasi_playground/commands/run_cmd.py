"""`wasi-playground run FILE [options] [-- ARGS...]`: run a module headless, exactly as DESIGN.md specifies.

Without `--json` the module's output streams to our own stdout/stderr as it is written (made safe for a
terminal when one is attached) and our exit status is the module's. A trap exits 134 with one line on
stderr; a usage error or an unreadable module exits 2 with one line.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
import time
from typing import Any, BinaryIO

from wasi_playground.commands.parsing import CommandParser, UsageError, fail
from wasi_playground.core.engine.config import CAPABILITY_GROUPS, Limits, Preopen, RunConfig, Stdin
from wasi_playground.core.engine.result import RunResult

TRAP_EXIT = 134
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _parser() -> CommandParser:
    p = CommandParser(prog="wasi-playground run", description="Run a WASI module or command component.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]", help="read-write preopen")
    p.add_argument("--dir-ro", action="append", default=[], metavar="HOST[::GUEST]", help="read-only preopen")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="set a variable (NAME alone passes this process's value)")
    p.add_argument("--stdin", metavar="FILE", help="file to read as stdin; - for this process's stdin")
    p.add_argument("--invoke", metavar="NAME", help="call this export instead of _start; typed args after --")
    p.add_argument("--argv0", metavar="NAME", help="argv[0] (default: the module's file name)")
    p.add_argument("--fuel", type=_non_negative_int, metavar="N")
    p.add_argument("--max-memory", type=_size, metavar="BYTES", help="e.g. 67108864 or 64MiB")
    p.add_argument("--timeout", type=_positive_float, metavar="SECONDS")
    p.add_argument("--trace", metavar="FILE", help="WASI calls as JSON lines; - for stderr")
    p.add_argument("--deny", action="append", default=[], metavar="GROUP",
                   help=f"switch a capability group off (repeatable): {', '.join(CAPABILITY_GROUPS)}")
    p.add_argument("--json", action="store_true", help="print one JSON object with the result")
    return p


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def _size(text: str) -> int:
    m = _SIZE.match(text)
    if not m:
        raise ValueError(text)
    unit = (m.group(2) or "").lower()[:1] if (m.group(2) or "").lower() != "b" else "b"
    return int(m.group(1)) * _UNITS[unit]


_non_negative_int.__name__ = "non-negative integer"
_positive_float.__name__ = "positive number of seconds"
_size.__name__ = "size (bytes, or with KiB/MiB/GiB)"


def _preopen(spec: str, read_only: bool) -> Preopen:
    host, sep, guest = spec.partition("::")
    if not host:
        raise UsageError(f"wasi-playground run: --dir {spec!r} needs a host directory")
    return Preopen(host=host, guest=guest if sep else host, read_only=read_only)


def _env(spec: str) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    if not sep:
        if spec not in os.environ:
            raise UsageError(f"wasi-playground run: --env {spec}: not set here (use NAME=VALUE)")
        return spec, os.environ[spec]
    return name, value


def _denied(groups: list[str]) -> list[str]:
    unknown = [g for g in groups if g not in CAPABILITY_GROUPS]
    if unknown:
        raise UsageError(f"wasi-playground run: --deny {unknown[0]}: no such capability group "
                         f"(groups: {', '.join(CAPABILITY_GROUPS)})")
    return list(dict.fromkeys(groups))


def build_config(argv: list[str]) -> tuple[str, RunConfig, Any]:
    """Parse the command line into (module path, RunConfig, parsed options). Raises UsageError."""
    head, rest = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    opts = _parser().parse_intermixed_args(head)
    config = RunConfig(
        args=[] if opts.invoke else list(rest),
        argv0=opts.argv0,
        env=[_env(e) for e in opts.env],
        preopens=[_preopen(d, False) for d in opts.dir] + [_preopen(d, True) for d in opts.dir_ro],
        limits=Limits(max_memory_bytes=opts.max_memory, fuel=opts.fuel, timeout_s=opts.timeout),
        invoke=opts.invoke,
        invoke_args=list(rest) if opts.invoke else [],
        trace=opts.trace is not None,
        denied=_denied(opts.deny),
    )
    if opts.stdin in ("-", "/dev/stdin"):
        config.stdin = Stdin(kind="inherit")
    elif opts.stdin is not None:
        config.stdin = Stdin(kind="file", path=opts.stdin)
    return opts.file, config, opts


class _CliSink:
    """Streams output to our own stdout/stderr (or nowhere with --json) and trace events as JSON lines."""

    def __init__(self, stream_output: bool, trace_writer: Any) -> None:
        self._trace = trace_writer
        if stream_output:
            self.on_stdout = self._streamer(sys.stdout.buffer)
            self.on_stderr = self._streamer(sys.stderr.buffer)

    @staticmethod
    def _streamer(stream: BinaryIO):
        tty = stream.isatty()
        if not tty:
            return stream.write
        from wasi_playground.core.run.terminal_safety import TerminalSanitizer

        sanitizer = TerminalSanitizer()

        def write(data: bytes) -> None:
            stream.write(sanitizer.feed(data))
            stream.flush()

        return write

    def on_trace(self, event: Any) -> None:
        if self._trace is not None:
            self._trace.write(event)


def _trace_writer(target: str | None):
    if target is None:
        return None, None
    from wasi_playground.core.trace.jsonl import JsonLinesWriter

    stream = sys.stderr if target == "-" else open(target, "w", encoding="utf-8")  # noqa: SIM115
    return JsonLinesWriter(stream), (None if target == "-" else stream)


def exit_status(result: RunResult) -> int:
    if result.error is not None:
        return 2
    if result.trap is not None:
        return TRAP_EXIT
    code = result.exit_code or 0
    return code if 0 <= code <= 255 else 1


def trap_line(result: RunResult) -> str:
    trap = result.trap
    assert trap is not None
    where = ""
    if trap.frames:
        f = trap.frames[0]
        name = f.func_name or (f"function {f.func_index}" if f.func_index is not None else "?")
        where = f" in {name}" + (f" at 0x{f.module_offset:x}" if f.module_offset is not None else "")
    code = f" [{trap.code}]" if trap.code else ""
    return f"wasi-playground run: trap{code}: {trap.message}{where}"


def main(argv: list[str]) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while starting (the runner takes a while to import) or running
        sys.stdout.flush()
        print("wasi-playground run: interrupted", file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)


def _main(argv: list[str]) -> int:
    from wasi_playground.core.run.runner import run

    try:
        path, config, opts = build_config(argv)
    except UsageError as e:
        return fail(str(e))
    except ValueError as e:
        return fail(f"wasi-playground run: {e}")
    try:
        writer, trace_file = _trace_writer(opts.trace)
    except ImportError:
        return fail("wasi-playground run: --trace is not available in this build (no trace support)")
    except OSError as e:
        return fail(f"wasi-playground run: cannot write trace to {opts.trace}: {e.strerror or e}")
    sink = _CliSink(stream_output=not opts.json, trace_writer=writer)
    # Without --timeout nothing needs to stop running code but Ctrl-C, which ends the process: so the
    # module runs without epoch checks, as fast as under a bare wasmtime script.
    result = run(path, config, sink, spill=opts.json, stoppable=opts.timeout is not None)
    if trace_file is not None:
        trace_file.close()
    if not opts.json:
        sys.stdout.flush()
        sys.stderr.flush()
    _settle()
    return _report(result, opts.json)


def _report(result: RunResult, as_json: bool) -> int:
    """Print what the run gave (the JSON object, or results, trap and limit lines) and pick the status."""
    if as_json:
        print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    if result.error is not None:
        return fail(f"wasi-playground run: {result.error}")
    if as_json:
        return exit_status(result)
    for value in result.results or []:
        print(value)
    if result.trap is not None:
        print(trap_line(result), file=sys.stderr)
    if result.limit_message:
        print(f"wasi-playground run: {result.limit_message}", file=sys.stderr)
    return exit_status(result)


def _settle() -> None:
    """Let wasmtime's output threads wind down before the process exits (else a Rust panic may print)."""
    gc.collect()
    time.sleep(0.02)
