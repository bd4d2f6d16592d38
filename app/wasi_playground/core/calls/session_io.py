"""What a call session keeps between instances: the guest's output, taken call by call, and a scratch
folder; and the sandbox each new instance lives in."""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
import weakref
from typing import Self

import wasmtime

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.sandbox import Outputs, Sandbox
from wasi_playground.core.engine.source import Kind

UNLIMITED_FUEL = 1 << 62
"""Fuel given to a call when the configuration sets no limit: enough to measure, never enough to run out."""


class OutputBuffer:
    """Collects bytes written by the guest from wasmtime's worker threads; each call takes what is new."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._chunks.append(bytes(data))

    def take(self) -> str:
        with self._lock:
            data, self._chunks = b"".join(self._chunks), []
        return data.decode("utf-8", errors="replace")


class ScratchDir:
    """A session's temporary folder, only made when the configuration needs one (text stdin is written
    there as a file), and removed by `remove()` or, for a session nobody closed (a result dropped as
    stale, an application that quit mid-call), when the session is garbage-collected or Python exits."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._finalizer: weakref.finalize | None = None

    def for_config(self, config: RunConfig) -> str:
        if config.stdin.kind != "text":
            return tempfile.gettempdir()  # make_wasi_config writes nothing there for other stdin kinds
        if self._path is None:
            self._path = tempfile.mkdtemp(prefix="wasi-playground-call-")
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._path, True)
        return self._path

    def remove(self) -> None:
        if self._finalizer is not None:
            self._finalizer()


class SessionIO:
    """Output buffers and scratch folder of one session, shared by the instances it makes."""

    def __init__(self) -> None:
        self.stdout = OutputBuffer()
        self.stderr = OutputBuffer()
        self.scratch = ScratchDir()

    def sandbox(self, engine: wasmtime.Engine, config: RunConfig, kind: Kind, name: str) -> Sandbox:
        """A sandbox for a new instance: output into the buffers, fuel set per call by the session."""
        outputs = Outputs(self.stdout.write, self.stderr.write)
        return Sandbox(engine, config, kind, outputs, self.scratch.for_config(config), name,
                       fuel=UNLIMITED_FUEL)

    def take(self) -> tuple[str, str]:
        """The output written since the last take."""
        return self.stdout.take(), self.stderr.take()


class LiveSession:
    """What both call sessions share: at most one sandbox and instance at a time, dropped on `close()`
    (now, not at interpreter exit, where wasmtime's output threads can panic) with the scratch folder."""

    sandbox: Sandbox | None
    instance: object | None
    _io: SessionIO

    def _drop_instance(self) -> None:
        self.instance = None
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None

    def close(self) -> None:
        self._drop_instance()
        gc.collect()
        self._io.scratch.remove()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def call_budget(config: RunConfig) -> int:
    return config.limits.fuel if config.limits.fuel is not None else UNLIMITED_FUEL
