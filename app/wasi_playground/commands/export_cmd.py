"""`wasi-playground export FILE --as TARGET [run options] [-- ARGS]`: run it elsewhere.

Prints the command for another runtime (with the spin.toml or Dockerfile it needs) from the same options
`run` takes, with what that runtime cannot express as `#` lines; `--as oci -o IMAGE.tar` writes an OCI
image instead. A runtime that cannot run the module: exit status 2 and one line saying why.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wasi_playground.commands.parsing import CommandParser, UsageError, fail
from wasi_playground.commands.run_cmd import build_config, options_parser

if TYPE_CHECKING:
    from wasi_playground.core.engine.config import RunConfig
    from wasi_playground.core.inspect.report import Report

PROG = "wasi-playground export"


def build_parser() -> CommandParser:
    from wasi_playground.core.export import TARGETS

    p = options_parser(PROG, "Print the command that runs a module elsewhere, or write its OCI image.")
    p.add_argument(
        "--as",
        dest="target",
        required=True,
        choices=TARGETS,
        metavar="TARGET",
        help=f"one of {', '.join(TARGETS)}",
    )
    p.add_argument("-o", "--output", metavar="PATH", help="for oci: IMAGE.tar (an archive) or a new folder")
    p.add_argument("--tag", metavar="NAME[:TAG]", help="image name (default: from the file name)")
    return p


def main(argv: list[str]) -> int:
    from wasi_playground.core.export import ExportRefused, export_for
    from wasi_playground.core.inspect.report import WasmFormatError, inspect_path

    try:
        path, config, opts = build_config(argv, build_parser())
    except UsageError as e:
        return fail(str(e))
    except ValueError as e:
        return fail(f"{PROG}: {e}")
    try:
        report = inspect_path(path)
    except WasmFormatError as e:
        return fail(f"{PROG}: {path}: {e}")
    try:
        if opts.target == "oci":
            return _write_image(report, config, opts)
        export = export_for(report, config, opts.target, path)
    except ExportRefused as e:
        return fail(f"{PROG}: {e}")
    if opts.json:
        print(json.dumps(export.to_json_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(export.text())
    return 0


def _write_image(report: Report, config: RunConfig, opts: argparse.Namespace) -> int:
    from wasi_playground.core.export import ExportRefused, OciError, oci_warnings, write_oci_image
    from wasi_playground.core.export.targets import verdict_for
    from wasi_playground.core.inspect.runtimes import image_name

    verdict = verdict_for(report, "oci")
    if verdict is None or not verdict.runs:
        raise ExportRefused(f"no Wasm container runtime can run it: {verdict.why if verdict else 'unknown'}")
    if not opts.output:
        return fail(f"{PROG}: --as oci needs -o IMAGE.tar (or -o FOLDER for an image layout folder)")
    source = Path(report.path or opts.file)
    module = report.wasm if report.wasm is not None else source.read_bytes()
    name = source.with_suffix(".wasm").name
    try:
        out = write_oci_image(module, name, config, opts.output, opts.tag or image_name(name))
    except OciError as e:
        return fail(f"{PROG}: {e}")
    warnings = oci_warnings(config)
    kind = "OCI image archive" if out.suffix == ".tar" else "OCI image layout folder"
    lines = [f"# {w}" for w in warnings] + [f"# wrote {out} ({kind}, platform wasi/wasm)"]
    print("\n".join(lines))
    return 0
