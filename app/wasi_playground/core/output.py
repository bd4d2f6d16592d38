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
        self._spill = None
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
        self._spill = os.fdopen(fd, "wb", buffering=1024 * 1024)
        self.spill_path = path
        for chunk in self._chunks:
            self._spill.write(chunk)

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
