"""Getting a file's bytes for inspection: safely, cheaply, and with a typed error for anything else.

A 2 GB file must be rejected without reading 2 GB, and a 69 MB module inspected without copying it, so
binary input is memory-mapped. WAT text is compiled with wasmtime, imported only then: importing wasmtime
costs more than inspecting most modules.
"""

from __future__ import annotations

import mmap
import os
import re
import stat
from pathlib import Path

from wasi_playground.core.binary.reader import MAGIC, WasmFormatError

MAX_WAT_BYTES = 64 * 1024 * 1024
WAT_SUFFIXES = (".wat", ".wast")


class InputError(WasmFormatError):
    """The input cannot be read as a module at all: a directory, an unreadable or empty file."""

    def __str__(self) -> str:
        return self.message


def open_binary(path: Path) -> tuple[bytes | mmap.mmap, os.stat_result]:
    """The file's content (mapped when large) and its stat; raises InputError for what is not a file."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path} is a directory, not a WebAssembly file", 0)
        if not stat.S_ISREG(mode):
            raise InputError(f"{path} is not a regular file (a device, pipe or socket)", 0)
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_size == 0:
                raise InputError("empty file: no WebAssembly header", 0)
            if st.st_size < 1 << 20:
                return f.read(), st
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), st
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", 0) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied (cannot read the file)", 0) from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a WebAssembly file", 0) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}", 0) from None


def looks_like_wat(head: bytes, path: Path | None) -> bool:
    if head[:4] == MAGIC:
        return False
    if path is not None and path.suffix.lower() in WAT_SUFFIXES:
        return True
    text = head.lstrip()
    return text.startswith((b"(module", b"(component", b";;", b"(;"))


_LOCATION = re.compile(r":(\d+):(\d+)")


def check_wat_size(size: int) -> None:
    if size > MAX_WAT_BYTES:
        raise WasmFormatError(f"WAT text of {size} bytes is too large to compile here "
                              f"(limit {MAX_WAT_BYTES // (1024 * 1024)} MiB)", 0)


def compile_wat(text: bytes) -> bytes:
    """WAT (or WAST-like text holding one module) to binary; errors name the line and column."""
    check_wat_size(len(text))
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WasmFormatError("WAT text is not valid UTF-8", e.start) from None
    import wasmtime

    try:
        return bytes(wasmtime.wat2wasm(source))
    except wasmtime.WasmtimeError as e:
        message = str(e).strip()
        first = message.splitlines()[0] if message else "invalid WAT text"
        loc = _LOCATION.search(message)
        offset = 0
        if loc:
            line, col = int(loc.group(1)), int(loc.group(2))
            offset = _offset_of(source, line, col)
            first = f"{first} (line {line}, column {col})"
        raise WasmFormatError(f"WAT does not compile: {first}", offset) from None


def _offset_of(source: str, line: int, col: int) -> int:
    lines = source.splitlines(keepends=True)
    before = "".join(lines[: max(line - 1, 0)])
    return len(before.encode("utf-8")) + max(col - 1, 0)
