"""Validate a module or component and place the first error: its byte offset and the function it falls in.

`wasm-tools validate` (bundled binary) knows every proposal and components; wasmtime's `Module.validate` is
the fallback when the binary is missing. Both report "(at offset 0x..)", which we turn into a function via
the code section's body offsets.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.binary.tools import ToolMissing, wasm_tools
from wasi_playground.core.lookinside.module_ref import PathOrRef, as_file, as_ref

_OFFSET = re.compile(r"\(at offset (0x[0-9a-fA-F]+|\d+)\)")
TIMEOUT_S = 300


@dataclass(frozen=True, slots=True)
class ValidationResult:
    ok: bool
    message: str
    offset: int | None = None
    function_index: int | None = None
    function_name: str | None = None
    validator: str = "wasm-tools"

    def summary(self) -> str:
        if self.ok:
            return f"valid ({self.validator})"
        where = f" at byte offset {self.offset} (0x{self.offset:x})" if self.offset is not None else ""
        func = ""
        if self.function_index is not None:
            func = f", in function {self.function_index}" + (
                f" {self.function_name}" if self.function_name else ""
            )
        return f"invalid: {self.message}{where}{func}"


def _first_error(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    causes = [re.sub(r"^\d+:\s*", "", line) for line in lines if re.match(r"^\d+:", line)]
    if causes:
        return causes[-1]
    return re.sub(r"^error:\s*", "", lines[0]) if lines else "invalid module"


def _locate(path: PathOrRef, result: ValidationResult) -> ValidationResult:
    if result.offset is None:
        return result
    try:
        from wasi_playground.core.lookinside.functions import FunctionTable

        table = FunctionTable.from_path(path)
    except (WasmFormatError, OSError):
        return result
    index = table.function_at(result.offset)
    if index is None:
        return result
    return ValidationResult(
        False, result.message, result.offset, index, table.display_name(index), result.validator
    )


def _with_wasmtime(path: Path) -> ValidationResult:
    import wasmtime

    try:
        wasmtime.Module.validate(wasmtime.Engine(), path.read_bytes())
    except wasmtime.WasmtimeError as e:
        message = str(e).strip().splitlines()[0] if str(e).strip() else "invalid module"
        m = _OFFSET.search(message)
        offset = int(m.group(1), 0) if m else None
        return ValidationResult(False, _OFFSET.sub("", message).strip(), offset, validator="wasmtime")
    return ValidationResult(True, "valid", validator="wasmtime")


def validate_path(source: PathOrRef) -> ValidationResult:
    """Validate a .wasm file (module or component), or a core module nested in a component (its offsets
    are then the nested module's own)."""
    p = as_ref(source).path
    if not p.is_file():
        raise WasmFormatError(f"{p}: no such file", 0)
    with as_file(source) as file:
        return _locate(source, _validate_file(file))


def _validate_file(p: Path) -> ValidationResult:
    try:
        tool = wasm_tools()
    except ToolMissing:
        return _with_wasmtime(p)
    proc = subprocess.run(
        [str(tool), "validate", str(p)], capture_output=True, text=True, timeout=TIMEOUT_S, errors="replace"
    )
    if proc.returncode == 0:
        return ValidationResult(True, "valid")
    message = _first_error(proc.stderr)
    m = _OFFSET.search(message)
    offset = int(m.group(1), 0) if m else None
    return ValidationResult(False, _OFFSET.sub("", message).strip(), offset)
