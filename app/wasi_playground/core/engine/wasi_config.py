"""From a `RunConfig` to a wasmtime `WasiConfig`, refusing anything that cannot work before it runs.

Nothing is inherited from the host: argv, environment, directories and stdin are exactly what the
configuration grants. Every check raises `ConfigError` with a sentence the user can act on. Used by the
runner and by anyone who instantiates WASI programs themselves (call sessions, the WAGI server).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import wasmtime

from wasi_playground.core.engine.config import ConfigError, RunConfig

_ENV_NAME = re.compile(r"^[^=\0]+$")
MAX_ARGS_ENV_BYTES = 1024 * 1024


def normalise_guest_path(guest: str) -> str:
    if not guest:
        raise ConfigError("a preopened directory needs a guest path (e.g. /data or .)")
    if "\0" in guest:
        raise ConfigError(f"guest path {guest!r} contains a NUL byte")
    norm = posixpath.normpath(guest)
    return norm


def validate_config(config: RunConfig) -> None:
    """Raise ConfigError for a configuration that cannot run. Needs no module."""
    _check_preopens(config)
    _check_args_and_env(config)
    if config.stdin.kind == "file":
        if not config.stdin.path or not Path(config.stdin.path).is_file():
            raise ConfigError(f"stdin file does not exist: {config.stdin.path or '(none given)'}")
    lim = config.limits
    for what, amount in (("fuel", lim.fuel), ("maximum memory", lim.max_memory_bytes),
                         ("maximum table elements", lim.max_table_elements)):
        if amount is not None and amount < 0:
            raise ConfigError(f"{what} must not be negative (got {amount})")
    if lim.timeout_s is not None and not lim.timeout_s > 0:
        raise ConfigError(f"timeout must be more than 0 seconds (got {lim.timeout_s})")


def _check_preopens(config: RunConfig) -> None:
    seen: dict[str, str] = {}
    for p in config.preopens:
        host = Path(p.host)
        if not p.host:
            raise ConfigError("a preopened directory needs a host path")
        if not host.exists():
            raise ConfigError(f"directory to preopen does not exist: {p.host}")
        if not host.is_dir():
            raise ConfigError(f"only directories can be preopened, and {p.host} is not one")
        if not os.access(host, os.R_OK | os.X_OK):
            raise ConfigError(f"directory to preopen is not readable: {p.host}")
        guest = normalise_guest_path(p.guest)
        if guest in seen:
            raise ConfigError(f"guest path {guest} is given twice (for {seen[guest]} and {p.host})")
        seen[guest] = p.host


def _check_args_and_env(config: RunConfig) -> None:
    for entry in config.env:
        if len(entry) != 2:
            raise ConfigError(f"environment entry {entry!r} must be a NAME=VALUE pair")
        name, value = entry
        if not _ENV_NAME.match(name):
            raise ConfigError(f"environment variable name {name!r} is empty or contains '=' or a NUL byte")
        if "\0" in value:
            raise ConfigError(f"environment variable {name} has a NUL byte in its value")
    for arg in config.args:
        if "\0" in arg:
            raise ConfigError(f"argument {arg[:40]!r} contains a NUL byte")
    size = sum(len(a) + 1 for a in config.args) + sum(len(k) + len(v) + 2 for k, v in config.env)
    if size > MAX_ARGS_ENV_BYTES:
        raise ConfigError(f"arguments and environment take {size // 1024} KiB; the limit is "
                          f"{MAX_ARGS_ENV_BYTES // 1024} KiB")


def argv_for(config: RunConfig, module_name: str) -> list[str]:
    return [config.argv0 if config.argv0 is not None else module_name, *config.args]


def make_wasi_config(config: RunConfig, stdout_sink: Callable[[bytes], None] | None,
                     stderr_sink: Callable[[bytes], None] | None, scratch_dir: str | Path,
                     module_name: str = "module.wasm", *, stdout_file: str | None = None,
                     stderr_file: str | None = None) -> wasmtime.WasiConfig:
    """A WasiConfig granting exactly what `config` says. Output goes to the sinks (None: discarded).

    `scratch_dir` is a directory this run owns: text stdin is written there as a file (wasmtime-py has no
    in-memory stdin). Stdin kind "inherit" passes this process's stdin through. `stdout_file` /
    `stderr_file`, when given, replace the sink with a file wasmtime writes itself (the runner passes a
    FIFO it reads: see `core.engine.output.FifoTap`).
    """
    validate_config(config)
    wasi = wasmtime.WasiConfig()
    wasi.argv = argv_for(config, module_name)
    wasi.env = [[k, v] for k, v in config.env]
    for p in config.preopens:
        wasi.preopen_dir(p.host, normalise_guest_path(p.guest), fs_mutable=not p.read_only)
    if config.stdin.kind == "text":
        stdin_path = Path(scratch_dir) / "stdin.txt"
        stdin_path.write_text(config.stdin.text, encoding="utf-8")
        wasi.stdin_file = str(stdin_path)
    elif config.stdin.kind == "file":
        wasi.stdin_file = config.stdin.path
    elif config.stdin.kind == "inherit":
        wasi.inherit_stdin()
    if stdout_file is not None:
        wasi.stdout_file = stdout_file
    else:
        wasi.stdout_custom = stdout_sink if stdout_sink is not None else _discard
    if stderr_file is not None:
        wasi.stderr_file = stderr_file
    else:
        wasi.stderr_custom = stderr_sink if stderr_sink is not None else _discard
    return wasi


def _discard(_data: bytes) -> None:
    return None
