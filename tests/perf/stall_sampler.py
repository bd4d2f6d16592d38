"""Where the GUI thread was during its worst stall: a helper thread samples the main thread's Python stack
every millisecond; after a scenario, the samples inside the longest gap between two probe ticks are counted
by stack. A stack that ends in the event loop's `exec` means Qt's own C++ work (layout, painting, fonts) —
or waiting for the GIL: the other threads' stacks are sampled too, and a worker seen on the same line
across a long gap is holding the GIL in one long C call (unpickling, a regex, a sort).

Used by bench_gui_responsiveness.py with `--stalls`.
"""

from __future__ import annotations

import collections
import sys
import threading
import time
import traceback

SAMPLE_S = 0.001
FRAMES = 7


class StallSampler:
    def __init__(self) -> None:
        self._main = threading.main_thread().ident
        self._samples: list[tuple[float, tuple[str, ...]]] = []
        self._workers: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)

    def start(self) -> None:
        self._samples.clear()
        self._workers.clear()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.is_set():
            now = time.perf_counter()
            for ident, frame in sys._current_frames().items():
                if ident == self._main:
                    stack = traceback.extract_stack(frame)[-FRAMES:]
                    self._samples.append((now, tuple(_where(entry) for entry in stack)))
                elif ident != me and "threading.py" not in frame.f_code.co_filename:
                    self._workers.append((now, _where(traceback.extract_stack(frame, limit=1)[-1])))
            time.sleep(SAMPLE_S)

    def report(self, start: float, end: float, top: int = 6) -> str:
        """The most frequent stacks sampled between `start` and `end` (perf_counter seconds)."""
        inside = [stack for at, stack in self._samples if start <= at <= end]
        counts = collections.Counter(inside)
        lines = [f"    stall {1000 * (end - start):.0f} ms, {len(inside)} samples:"]
        for stack, n in counts.most_common(top):
            lines.append(f"    {n:4d} × " + "  <  ".join(reversed(stack)))
        workers = collections.Counter(where for at, where in self._workers if start <= at <= end)
        for where, n in workers.most_common(3):
            lines.append(f"    {n:4d} × worker at {where}")
        return "\n".join(lines)


def _where(entry: traceback.FrameSummary) -> str:
    return f"{entry.filename.rsplit('/', 1)[-1]}:{entry.lineno} {entry.name}"
