"""`wasi-playground wat FILE [-o OUT]`: the whole module (or component) as WAT text, streamed.

With `-o` the text goes to a file and a progress line is shown on stderr when it is a terminal; without it
the text streams to stdout. `--func INDEX_OR_NAME` prints just that function, as the window's WAT view
shows it. Exit status 2 with one line on stderr for bad input.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from wasi_playground.commands.parsing import CommandParser, UsageError, fail


def build_parser() -> CommandParser:
    parser = CommandParser(prog="wasi-playground wat", description="Print a WebAssembly binary as WAT text.")
    parser.add_argument("file", help="a .wasm (or .wat) module or component")
    parser.add_argument("-o", "--output", help="write the text to this file (default: stdout)")
    parser.add_argument(
        "--progress", action="store_true", help="show progress on stderr even when not a terminal"
    )
    parser.add_argument(
        "--func",
        metavar="INDEX_OR_NAME",
        help="print only this function (its index, or its name as raw or demangled)",
    )
    return parser


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as e:
        return fail(str(e))
    with tempfile.TemporaryDirectory(prefix="wasi-playground-wat-") as scratch:
        try:
            args.file = _as_binary(args.file, scratch)
        except ValueError as e:  # ConfigError: unreadable input or WAT that does not assemble
            return fail(f"wasi-playground wat: {e}")
        return _print(args)


def _as_binary(file: str, scratch: str) -> str:
    """The path of a binary to print: `file` itself, or its WAT assembled into `scratch` (the printed text
    is then the canonical form of what the WAT means)."""
    path = Path(file)
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return file  # the printer says what is wrong with it
    from wasi_playground.core.engine.source import looks_like_wat, read_source

    if not looks_like_wat(head, path):
        return file
    binary = Path(scratch) / (path.stem + ".wasm")
    binary.write_bytes(read_source(path).data)
    return str(binary)


def _print(args: argparse.Namespace) -> int:
    from wasi_playground.core.binary.reader import WasmFormatError
    from wasi_playground.core.binary.tools import ToolMissing
    from wasi_playground.core.lookinside.wat_export import (
        ExportCancelled,
        WatExportError,
        export_wat,
        export_wat_to_stdout,
    )

    try:
        if args.func is not None:
            return _one_function(args.file, args.func, args.output)
        if args.output is None:
            sys.stdout.flush()
            return export_wat_to_stdout(args.file)
        show = args.progress or sys.stderr.isatty()

        def report(fraction: float, written: int) -> None:
            if show:
                print(
                    f"\r{fraction * 100:5.1f}%  {written / 1e6:9.1f} MB", end="", file=sys.stderr, flush=True
                )

        cancel = threading.Event()
        try:
            result = export_wat(args.file, args.output, report, cancel)
        except KeyboardInterrupt:
            cancel.set()
            return fail("wasi-playground wat: interrupted; partial output removed")
        if show:
            print(
                f"\r{result.bytes_written / 1e6:.1f} MB written to {result.output} in {result.seconds:.1f} s",
                file=sys.stderr,
            )
        return 0
    except (WasmFormatError, WatExportError, ToolMissing, ExportCancelled) as e:
        return fail(f"wasi-playground wat: {e}")
    except OSError as e:
        return fail(f"wasi-playground wat: {e.strerror or e}")


def _one_function(path: str, wanted: str, output: str | None) -> int:
    from wasi_playground.core.lookinside.functions import FunctionTable

    table = FunctionTable.from_path(path)
    if wanted.isdigit():
        index = int(wanted)
        if index >= len(table):
            return fail(f"wasi-playground wat: no function {index}: the module has {len(table)}")
    else:
        found = [i for i in range(len(table)) if wanted in (table.name(i), table.display_name(i))]
        if not found:
            return fail(f"wasi-playground wat: no function named {wanted!r}")
        index = found[0]
    text = table.wat(index).text
    if output is None:
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0
