"""Getting a file's bytes for inspection: safely, cheaply, and with a typed error for anything else.

A 2 GB file must be rejected without reading 2 GB, and a 69 MB module inspected without copying it, so
binary input is memory-mapped. WAT text is compiled with wasmtime, imported only then: importing wasmtime
costs more than inspecting most modules.
"""

from __future__ import annotations

import mmap
import os
import stat
from pathlib import Path

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.engine.source import MAX_WAT_BYTES


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


def check_wat_size(size: int) -> None:
    """Refuse WAT too large to assemble here before reading it (the engine room's limit)."""
    if size > MAX_WAT_BYTES:
        raise WasmFormatError(f"WAT text of {size} bytes is too large to compile here "
                              f"(limit {MAX_WAT_BYTES // (1024 * 1024)} MiB)", 0)
