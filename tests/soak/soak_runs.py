"""Soak: 1,000 consecutive runs in one process; memory and thread counts must stay flat.

Usage: python tests/soak/soak_runs.py [RUNS]
Runs the hello sample (output captured through a sink, as the window does) and a trapping module in turn,
printing RSS, thread count and open file descriptors every 100 runs and the growth from run 100 to the end
(the first hundred warm caches and allocators).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path

import psutil
import wasmtime

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from wasi_playground.core.config import RunConfig  # noqa: E402
from wasi_playground.core.runner import run  # noqa: E402


class CountingSink:
    def __init__(self) -> None:
        self.bytes = 0

    def on_stdout(self, data: bytes) -> None:
        self.bytes += len(data)

    def on_stderr(self, data: bytes) -> None:
        self.bytes += len(data)


def snapshot() -> tuple[float, int, int]:
    gc.collect()
    proc = psutil.Process()
    fds = proc.num_fds() if hasattr(proc, "num_fds") else 0
    return proc.memory_info().rss / 2**20, threading.active_count(), fds


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    hello = REPO / "samples" / "hello" / "hello.wasm"
    trap = wasmtime.wat2wasm('(module (func (export "_start") unreachable))')
    start = time.perf_counter()
    marks: dict[int, tuple[float, int, int]] = {0: snapshot()}
    print(f"{'runs':>6} {'RSS MiB':>9} {'threads':>8} {'fds':>5}")
    print(f"{0:>6} {marks[0][0]:>9.1f} {marks[0][1]:>8} {marks[0][2]:>5}")
    for i in range(1, runs + 1):
        result = run(hello, RunConfig(), CountingSink()) if i % 2 else run(trap, RunConfig())
        if (i % 2 and result.exit_code != 0) or (not i % 2 and result.trap is None):
            print(f"run {i} went wrong: {result}")
            return 1
        if i % 100 == 0:
            marks[i] = snapshot()
            rss, threads, fds = marks[i]
            print(f"{i:>6} {rss:>9.1f} {threads:>8} {fds:>5}", flush=True)
    elapsed = time.perf_counter() - start
    base = marks[min(100, runs)]
    end = marks[max(marks)]
    print(f"{runs} runs in {elapsed:.1f} s ({elapsed / runs * 1000:.1f} ms each)")
    print(f"growth from run 100 to {runs}: RSS {end[0] - base[0]:+.1f} MiB, threads {end[1] - base[1]:+d}, "
          f"fds {end[2] - base[2]:+d}")
    tmp_left = [p for p in os.listdir(os.environ.get("TMPDIR", "/tmp")) if "wasi-playground" in p]
    print(f"temporary entries named wasi-playground left in the temp dir: {len(tmp_left)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
