"""Keeping a module's output: streamed to whoever listens, bounded in memory, never lost.

wasmtime calls our output callbacks on its own worker threads with chunks of any size. `OutputCapture`
forwards each chunk at once (so a window or terminal shows it live), keeps the last `tail_bytes` in memory,
and once the output outgrows that, writes everything (from the first byte) to a temporary file, so a
module that floods 200 MB costs a few MB of memory and still leaves the whole output behind.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from typing import BinaryIO

DEFAULT_TAIL_BYTES = 4 * 1024 * 1024


class OutputCapture:
    """One output stream of one run. `write` is thread-safe; `close` before reading `text`."""

    def __init__(self, name: str, forward: Callable[[bytes], None] | None = None,
                 tail_bytes: int = DEFAULT_TAIL_BYTES, spill: bool = True) -> None:
        self.name = name
        self._forward = forward
        self._tail_limit = tail_bytes
        self._may_spill = spill
        self.dropped = False
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._lock = threading.Lock()
        self._spill: BinaryIO | None = None
        self.spill_path: str | None = None
        self.total_bytes = 0
        self.forward_error: BaseException | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        chunk = bytes(data)
        if not chunk:
            return
        with self._lock:
            self.total_bytes += len(chunk)
            if self._spill is None and self.total_bytes > self._tail_limit:
                if self._may_spill:
                    self._start_spill()
                else:
                    self.dropped = True
            if self._spill is not None:
                self._spill.write(chunk)
            self._chunks.append(chunk)
            self._held += len(chunk)
            while self._held - len(self._chunks[0]) >= self._tail_limit:
                self._held -= len(self._chunks.popleft())
        if self._forward is not None and self.forward_error is None:
            try:
                self._forward(chunk)
            except BaseException as e:  # a broken listener must not kill the guest's write
                self.forward_error = e

    def _start_spill(self) -> None:
        fd, path = tempfile.mkstemp(prefix=f"wasi-playground-{self.name}-", suffix=".out")
        spill = self._spill = os.fdopen(fd, "wb", buffering=1024 * 1024)
        self.spill_path = path
        for chunk in self._chunks:
            spill.write(chunk)

    @property
    def truncated(self) -> bool:
        """True when the in-memory text is only the tail (`spill_path`, if spilling, holds everything)."""
        return self.spill_path is not None or self.dropped

    def close(self) -> None:
        with self._lock:
            if self._spill is not None:
                self._spill.close()

    def tail_bytes(self) -> bytes:
        with self._lock:
            data = b"".join(self._chunks)
        if len(data) > self._tail_limit:
            data = data[-self._tail_limit:]
        return data

    def text(self) -> str:
        """The kept output decoded as UTF-8, invalid bytes replaced (a cut multi-byte character too)."""
        return self.tail_bytes().decode("utf-8", errors="replace")


class FifoTap:
    """Feeds a capture from a named pipe that wasmtime writes as an ordinary output file.

    wasmtime-py's custom output callbacks arrive in 4 KiB chunks, each a round trip into Python, which
    caps a flood at well under 100 MiB/s. Given a FIFO as `stdout_file`, wasmtime writes natively and one
    reader thread takes up to 1 MiB per read: the same streaming, an order of magnitude faster. POSIX only
    (`FifoTap.supported()`); elsewhere the runner keeps the callbacks. Usage: create, hand `path` to
    wasmtime, `start()`, and after the store is dropped (which closes the writer) `finish()`.
    """

    READ_SIZE = 1 << 20

    def __init__(self, directory: str, capture: OutputCapture) -> None:
        self.path = os.path.join(directory, f"{capture.name}.fifo")
        os.mkfifo(self.path, 0o600)
        self._fd: int | None = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._capture = capture
        self._thread: threading.Thread | None = None

    @staticmethod
    def supported() -> bool:
        return hasattr(os, "mkfifo")

    def start(self) -> None:
        """Begin reading; call once the writer (wasmtime) has opened `path`."""
        import fcntl

        assert self._fd is not None
        flags = fcntl.fcntl(self._fd, fcntl.F_GETFL)
        fcntl.fcntl(self._fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        set_pipe_size = getattr(fcntl, "F_SETPIPE_SZ", None)
        if set_pipe_size is not None:
            try:
                fcntl.fcntl(self._fd, set_pipe_size, self.READ_SIZE)
            except OSError:
                pass  # a smaller pipe only means more reads
        self._thread = threading.Thread(target=self._pump, name=f"{self._capture.name}-tap", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        fd = self._fd
        assert fd is not None
        while True:
            try:
                chunk = os.read(fd, self.READ_SIZE)
            except InterruptedError:
                continue
            except OSError:
                return
            if not chunk:
                return
            self._capture.write(chunk)

    def finish(self, timeout: float = 5.0) -> None:
        """Wait for end-of-file (the writer closed) and release the pipe."""
        if self._thread is not None:
            self._thread.join(0.5)
            if self._thread.is_alive():
                import gc

                gc.collect()  # the store holding the writer may sit in a reference cycle
                self._thread.join(timeout)
        if self._fd is not None and (self._thread is None or not self._thread.is_alive()):
            os.close(self._fd)
            self._fd = None
