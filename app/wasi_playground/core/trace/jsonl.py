"""`run --trace FILE`: one JSON object per WASI call, one per line, written as the calls happen."""

from __future__ import annotations

import json
import threading
from typing import Any, TextIO


class JsonLinesWriter:
    """Thread-safe: trace events arrive on the run's worker thread."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, event: Any) -> None:
        line = json.dumps(event.to_json_dict(), ensure_ascii=False, default=str)
        with self._lock:
            self._stream.write(line + "\n")
