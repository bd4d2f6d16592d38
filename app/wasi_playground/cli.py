"""`wasi-playground [FILE]` opens the window; `inspect`, `run`, `wat`, `http`, `serve` answer headless.

Each subcommand lives in its own module under `commands/` and is imported only when used, so
`inspect` never pays for importing Qt or compiling anything.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "inspect": ("wasi_playground.commands.inspect_cmd", "what a module is and what it asks of the system"),
    "run": ("wasi_playground.commands.run_cmd", "run a module or command component"),
    "wat": ("wasi_playground.commands.wat_cmd", "print a whole module as WAT text"),
    "http": ("wasi_playground.commands.http_cmd", "send one HTTP request through a WAGI handler"),
    "serve": ("wasi_playground.commands.serve_cmd", "serve WAGI handlers on loopback"),
    "export": ("wasi_playground.commands.export_cmd", "how to run it in another runtime; an OCI image"),
}

USAGE = """usage: wasi-playground [FILE]            open the window (optionally on FILE)
       wasi-playground COMMAND [options]   answer headless

commands:
{commands}

wasi-playground COMMAND --help shows a command's options; --version prints versions."""


def version_text() -> str:
    from wasi_playground import __version__

    try:
        from importlib.metadata import version

        wasmtime_version = version("wasmtime")
    except Exception:  # an unusual install (a frozen app without metadata)
        wasmtime_version = "unknown"
    return f"wasi-playground {__version__} (wasmtime-py {wasmtime_version})"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("--version", "-V"):
        print(version_text())
        return 0
    if argv and argv[0] in ("-h", "--help", "help"):
        print(USAGE.format(commands="\n".join(f"  {n:<9}{h}" for n, (_, h) in COMMANDS.items())))
        return 0
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[argv[0]][0])
        return module.main(argv[1:])
    if argv and argv[0].startswith("-"):
        print(f"wasi-playground: unknown option {argv[0]} (try --help)", file=sys.stderr)
        return 2
    if len(argv) > 1:
        print(f"wasi-playground: unknown command {argv[0]!r} (try --help)", file=sys.stderr)
        return 2
    from wasi_playground.gui.app import run_app

    return run_app(argv)


def gui_main() -> int:
    """Entry point of the `gui-scripts` launcher (no console window on Windows)."""
    return main()
