"""Which core module the look-inside views work on: a file, or a core module nested inside a component file.

Every look-inside entry point takes a `PathOrRef` (a path, or a `ModuleRef`); a plain path behaves exactly
as before. A `ModuleRef` with a `nested` path reads the file and cuts the nested module's exact bytes out
of it (`core.components.contents.nested_bytes`), so Functions, Data, Size, Validation and WAT see that
module as if it were a file of its own: offsets they report are the nested module's own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.components.contents import NestedPath, nested_bytes, path_text
from wasi_playground.core.engine.source import looks_like_wat, wat_to_binary


@dataclass(frozen=True, slots=True)
class ModuleRef:
    path: Path
    nested: NestedPath = ()
    """(kind, index) steps from the outer component to the core module; empty for the file itself."""

    def __str__(self) -> str:
        return f"{self.path} [{path_text(self.nested)}]" if self.nested else str(self.path)

    @property
    def stem(self) -> str:
        """A file name stem for what is exported from it: `app` or `app.core-module-1`."""
        steps = "".join(f".{kind.replace(' ', '-')}-{index}" for kind, index in self.nested)
        return self.path.stem + steps

    @property
    def display_name(self) -> str:
        """`app.wasm` or `app.wasm › core module 1`."""
        return self.path.name + (f" › {path_text(self.nested)}" if self.nested else "")


PathOrRef = str | os.PathLike[str] | ModuleRef


def as_ref(source: PathOrRef) -> ModuleRef:
    return source if isinstance(source, ModuleRef) else ModuleRef(Path(source))


def read_module_bytes(source: PathOrRef) -> bytes:
    """The binary of a module file (WAT text is compiled), or of the core module nested at `source.nested`.
    Raises WasmFormatError with a clear message."""
    ref = as_ref(source)
    data = _read_file(ref.path)
    if not ref.nested:
        return data
    try:
        return nested_bytes(data, ref.nested)
    except WasmFormatError:
        raise
    except (KeyError, ValueError) as e:
        raise WasmFormatError(f"{ref.path.name}: {e.args[0] if e.args else e}", 0) from None


def _read_file(p: Path) -> bytes:
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise WasmFormatError(f"{p} is a directory, not a WebAssembly file", 0) from None
    except OSError as e:
        raise WasmFormatError(f"{p}: cannot read: {e.strerror or e}", 0) from None
    if not data:
        raise WasmFormatError("empty file: no WebAssembly header", 0)
    if looks_like_wat(data[:64], p):
        data = wat_to_binary(data)
    return data


@contextmanager
def as_file(source: PathOrRef, data: bytes | None = None) -> Iterator[Path]:
    """A file path for tools that read files (wasm-tools): the file itself, or a temporary copy of the
    nested module's bytes (`data`, read when not given), removed afterwards."""
    ref = as_ref(source)
    if not ref.nested:
        yield ref.path
        return
    if data is None:
        data = read_module_bytes(ref)
    fd, name = tempfile.mkstemp(prefix="nested-", suffix=".wasm")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
