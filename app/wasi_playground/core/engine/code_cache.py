"""The on-disk cache of compiled code: wasmtime's own serialized files, each with a checksum beside it.

An entry's payload file is exactly what wasmtime serialized, so a hit goes to wasmtime's `deserialize_file`,
which maps the file instead of copying it. Copying hundreds of megabytes through Python holds the interpreter
lock, and measured on the 69 MB yosys module that stalled the window's thread for 0.47 s on every warm run
(and 0.16 s when writing). `<entry>.sum` holds "sha256 length" of the payload, so a truncated or corrupt
payload is detected before wasmtime sees it; such an entry is set aside as `<entry>.corrupt`, reported,
and rebuilt. Hashing and file I/O release the lock, so checking an entry does not stall other threads either.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import wasmtime
from wasmtime import component as wcomponent

FORMAT = 2
"""Entry layout version: 1 was a single file with a checksum header; 2 is wasmtime's file plus `.sum`."""
SUM_SUFFIX = ".sum"
_CHUNK = 4 << 20


def sum_path(path: Path) -> Path:
    return path.with_name(path.name + SUM_SUFFIX)


def _digest_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with open(path, "rb") as f:
        while n := f.readinto(buffer):
            digest.update(view[:n])
            size += n
    return digest.hexdigest(), size


def check_entry(path: Path) -> tuple[bool, str | None]:
    """(True, None) for a sound entry; (False, why) for a damaged one; (False, None) when there is none."""
    if not path.exists():
        return False, None
    try:
        recorded = sum_path(path).read_text(encoding="ascii").split()
    except FileNotFoundError:
        return False, "its checksum file is missing"
    except (OSError, UnicodeDecodeError) as e:
        return False, f"its checksum file is unreadable ({e})"
    if len(recorded) != 2 or not recorded[1].isdigit():
        return False, "its checksum file is malformed"
    try:
        digest, size = _digest_file(path)
    except OSError as e:
        return False, f"unreadable ({e.strerror or e})"
    if size != int(recorded[1]):
        return False, f"truncated ({size} of {recorded[1]} bytes)"
    if digest != recorded[0]:
        return False, "checksum mismatch"
    return True, None


def set_aside(path: Path, why: str, notes: list[str] | None) -> None:
    """Keep a damaged entry for inspection as `<entry>.corrupt` and say so; the caller rebuilds it."""
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".corrupt"))
    with contextlib.suppress(OSError):
        sum_path(path).unlink()
    if notes is not None:
        notes.append(
            f"compiled-code cache entry was corrupt ({why}): set aside as {path.name}.corrupt and rebuilt"
        )


@contextlib.contextmanager
def _serialized(compiled: wasmtime.Module | wcomponent.Component) -> Iterator[memoryview]:
    """wasmtime's serialized bytes as a view of its own buffer, not a copy (see the module docstring).

    Uses wasmtime-py's C bindings directly; if they change shape, falls back to the public (copying) API."""
    from wasmtime import _ffi as ffi

    serialize = getattr(
        ffi,
        "wasmtime_module_serialize"
        if isinstance(compiled, wasmtime.Module)
        else "wasmtime_component_serialize",
        None,
    )
    if serialize is None or not hasattr(ffi, "wasm_byte_vec_t"):
        yield memoryview(compiled.serialize())
        return
    raw = ffi.wasm_byte_vec_t()
    error = serialize(compiled.ptr(), ctypes.byref(raw))
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    try:
        array = (ctypes.c_uint8 * raw.size).from_address(ctypes.addressof(raw.data.contents))
        with memoryview(array).cast("B") as view:
            yield view
    finally:
        ffi.wasm_byte_vec_delete(ctypes.byref(raw))


def _atomic_write(path: Path, payload: memoryview | bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_entry(path: Path, compiled: wasmtime.Module | wcomponent.Component) -> None:
    """Payload first, checksum last: a reader that sees the checksum sees the whole payload it describes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _serialized(compiled) as payload:
            digest = hashlib.sha256(payload).hexdigest()
            _atomic_write(path, payload)
            _atomic_write(sum_path(path), f"{digest} {payload.nbytes}\n".encode("ascii"))
    except OSError:
        pass  # a read-only or full cache directory only costs speed
