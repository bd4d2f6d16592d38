"""A module on the way in: read safely, WAT assembled into a binary, its kind read from the header.

Everything that takes a module (the runner, both call sessions, both WAGI executors, the CLI and the
window) gets its bytes from `read_source`, so a `.wat` file works wherever a `.wasm` file does and a
pipe, device, directory or missing file is refused with the same sentence everywhere. Importing this
module does not import wasmtime (the inspector's own WAT handling can delegate to `wat_to_binary`).
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from wasi_playground.core.binary.reader import MAGIC, WasmFormatError, header_kind
from wasi_playground.core.engine.config import ConfigError

Kind = Literal["module", "component"]
WAT_SUFFIXES = (".wat", ".wast")
MAX_WAT_BYTES = 64 * 1024 * 1024
_LOCATION = re.compile(r":(\d+):(\d+)")


@dataclass(frozen=True)
class ModuleSource:
    data: bytes
    """The binary (assembled when the input was WAT)."""
    name: str
    """What to call it in messages and argv[0]: the file name, or "module.wasm" for bare bytes."""
    kind: Kind
    from_wat: bool = False


class WatError(WasmFormatError):
    """WAT text that does not assemble; `detail` names the problem with its line and column."""

    def __init__(self, detail: str, offset: int) -> None:
        super().__init__(f"WAT does not compile: {detail}", offset)
        self.detail = detail


def looks_like_wat(data: bytes, path: Path | None = None) -> bool:
    """By suffix, or by content: not the binary magic and text that opens like a WAT module."""
    if data[:4] == MAGIC:
        return False
    if path is not None and path.suffix.lower() in WAT_SUFFIXES:
        return True
    return data.lstrip()[:64].startswith((b"(module", b"(component", b";;", b"(;"))


def wat_to_binary(text: bytes) -> bytes:
    """WAT (a module or a component) to its binary. Raises WatError naming the line and column."""
    if len(text) > MAX_WAT_BYTES:
        raise WasmFormatError(f"WAT text of {len(text)} bytes is too large to compile here "
                              f"(limit {MAX_WAT_BYTES // (1024 * 1024)} MiB)", 0)
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WasmFormatError("WAT text is not valid UTF-8", e.start) from None
    import wasmtime  # only when WAT arrives: inspection uses this module and stays free of wasmtime

    try:
        return bytes(wasmtime.wat2wasm(source))
    except wasmtime.WasmtimeError as e:
        message = str(e).strip()
        detail = message.splitlines()[0] if message else "invalid WAT text"
        location = _LOCATION.search(message)
        offset = 0
        if location:
            line, column = int(location.group(1)), int(location.group(2))
            offset = _offset_of(source, line, column)
            detail = f"{detail} (line {line}, column {column})"
        raise WatError(detail, offset) from None


def _offset_of(source: str, line: int, column: int) -> int:
    lines = source.splitlines(keepends=True)
    before = "".join(lines[: max(line - 1, 0)])
    return len(before.encode("utf-8")) + max(column - 1, 0)


def read_file(path: Path) -> bytes:
    """A regular file's bytes; ConfigError for a pipe, device, directory, missing or unreadable file."""
    try:
        if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
            raise ConfigError(f"{path} is not a regular file (a pipe or a device): refusing to read it")
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"module not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory, not a module") from None
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None


def read_source(module: str | Path | bytes | bytearray | memoryview) -> ModuleSource:
    """The module as a binary with its name and kind. ConfigError says in one sentence what is wrong."""
    if isinstance(module, bytes | bytearray | memoryview):
        data, name, path = bytes(module), "module.wasm", None
    else:
        path = Path(module)
        data, name = read_file(path), path.name
    from_wat = looks_like_wat(data, path)
    if from_wat:
        try:
            data = wat_to_binary(data)
        except WatError as e:
            raise ConfigError(f"{name} is not valid WAT: {e.detail}") from None
        except WasmFormatError as e:
            raise ConfigError(f"{name} is not valid WAT: {e.message}") from None
    try:
        kind: Kind = "component" if header_kind(data) == "component" else "module"
    except WasmFormatError as e:
        raise ConfigError(f"{name} is not a WebAssembly module: {e}") from None
    return ModuleSource(data=data, name=name, kind=kind, from_wat=from_wat)
