"""Whole-module WAT, streamed to a file with progress and cancel, never held in memory.

The bundled `wasm-tools print FILE -o OUT` does the printing: it handles components and every proposal and
is the fastest printer we have, but only when it writes to a file itself (through a pipe it is ~6x slower).
Progress is the growing output size against an estimate from the module's code and data sizes.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wasi_playground.core.binary.reader import WasmFormatError, read_sections
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.lookinside.module_ref import ModuleRef, PathOrRef, as_file, as_ref

POLL_S = 0.1
TEXT_PER_CODE_BYTE = 20
TEXT_PER_DATA_BYTE = 3


class WatExportError(ValueError):
    """The input is not a WebAssembly binary, or the printer refused it; the message says why."""


class ExportCancelled(Exception):
    """The export was cancelled; the partial output file was removed."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    output: Path
    bytes_written: int
    seconds: float


def estimate_text_size(path: Path) -> int:
    """A rough size of the WAT text, from the section sizes (never exact: progress is an estimate)."""
    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(0)
        data = f.read() if len(head) == 8 else head
    try:
        kind, sections = read_sections(data)
    except WasmFormatError:
        return max(len(data) * 10, 1)
    total = 0
    for s in sections:
        if s.id == 10 or (kind == "component" and s.id == 1):
            total += s.size * TEXT_PER_CODE_BYTE
        elif s.id == 11:
            total += s.size * TEXT_PER_DATA_BYTE
        else:
            total += s.size * 2
    return max(total, 1)


def _check_input(path: Path) -> None:
    if not path.is_file():
        raise WatExportError(f"{path}: no such file")
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:4] != b"\0asm":
        raise WatExportError(f"{path}: not a WebAssembly binary (wrong magic)")


def export_wat(source: PathOrRef, output: str | Path, progress: Callable[[float, int], None] | None = None,
               cancel: threading.Event | None = None) -> ExportResult:
    """Print the module or component at `source` (a file, or a core module nested in a component) as WAT
    into `output`.

    `progress(fraction, bytes_written)` is called about ten times a second from this thread; setting
    `cancel` stops the printer within a poll interval and removes the partial file.
    """
    ref = as_ref(source)
    _check_input(ref.path)
    with as_file(ref, _nested_data(ref)) as src:
        return _print_to_file(src, ref.display_name, Path(output), progress, cancel)


def _print_to_file(src: Path, title: str, out: Path, progress: Callable[[float, int], None] | None,
                   cancel: threading.Event | None) -> ExportResult:
    estimate = estimate_text_size(src)
    started = time.perf_counter()
    proc = subprocess.Popen([str(wasm_tools()), "print", str(src), "-o", str(out)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None:
            if cancel is not None and cancel.wait(POLL_S):
                proc.kill()
                proc.wait()
                out.unlink(missing_ok=True)
                raise ExportCancelled("WAT export cancelled")
            if cancel is None:
                time.sleep(POLL_S)
            if progress is not None:
                written = _size(out)
                progress(min(written / estimate, 0.99), written)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        out.unlink(missing_ok=True)
        first = next(
            (line.strip() for line in stderr.splitlines() if line.strip()), "wasm-tools print failed"
        )
        raise WatExportError(f"cannot print {title} as WAT: {first.removeprefix('error: ')}")
    written = _size(out)
    if progress is not None:
        progress(1.0, written)
    return ExportResult(out, written, time.perf_counter() - started)


def export_wat_to_stdout(source: PathOrRef) -> int:
    """Print to this process's stdout: the printer writes to our file descriptor directly, no copy here."""
    ref = as_ref(source)
    _check_input(ref.path)
    with as_file(ref, _nested_data(ref)) as src:
        proc = subprocess.run([str(wasm_tools()), "print", str(src)], stdin=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
    text = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 and "broken pipe" not in text.lower():
        first = next((line.strip() for line in text.splitlines() if line.strip()), "wasm-tools print failed")
        raise WatExportError(f"cannot print {ref.display_name} as WAT: {first.removeprefix('error: ')}")
    return 0


def _nested_data(ref: ModuleRef) -> bytes | None:
    """The bytes of a nested module (None for a plain file); a path that names nothing is a WatExportError."""
    if not ref.nested:
        return None
    from wasi_playground.core.lookinside.functions import read_module_bytes

    try:
        return read_module_bytes(ref)
    except WasmFormatError as e:
        raise WatExportError(f"{ref.display_name}: {e}") from None


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
