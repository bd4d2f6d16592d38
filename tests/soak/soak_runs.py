"""Soak: 1,000 consecutive runs in one process; memory and thread counts must stay flat.

Usage: python tests/soak/soak_runs.py [RUNS]
Cycles through four kinds of run: the hello sample (output captured through a sink, as the window does), a
trapping module, an endless loop ended by its timeout, and an endless loop stopped with `cancel()` from
another thread (as the Stop button does). Prints RSS, thread count and open file descriptors every 100 runs,
the growth from run 100 to the end (the first hundred warm caches and allocators) and what the runs left in
the temp dir.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import wasmtime

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from wasi_playground.core.engine.config import Limits, RunConfig  # noqa: E402
from wasi_playground.core.engine.result import RunResult  # noqa: E402
from wasi_playground.core.run.runner import run, start_run  # noqa: E402


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
    temp_dir = Path(tempfile.mkdtemp(prefix="soak-runs-"))
    tempfile.tempdir = str(temp_dir)  # a private temp dir: what is left in it at the end is ours alone
    hello = REPO / "samples" / "hello" / "hello.wasm"
    trap = wasmtime.wat2wasm('(module (func (export "_start") unreachable))')
    loop = wasmtime.wat2wasm('(module (func (export "_start") (loop br 0)))')

    def cancelled() -> RunResult:
        handle = start_run(loop, RunConfig())
        time.sleep(0.005)
        handle.cancel()
        return handle.wait(5)

    kinds = [
        ("hello", lambda: run(hello, RunConfig(), CountingSink()), lambda r: r.exit_code == 0),
        ("trap", lambda: run(trap, RunConfig()), lambda r: r.trap is not None),
        ("timeout", lambda: run(loop, RunConfig(limits=Limits(timeout_s=0.01))), lambda r: r.timed_out),
        ("cancel", cancelled, lambda r: r.cancelled or r.exit_code is None),
    ]
    start = time.perf_counter()
    marks: dict[int, tuple[float, int, int]] = {0: snapshot()}
    print(f"{'runs':>6} {'RSS MiB':>9} {'threads':>8} {'fds':>5}")
    print(f"{0:>6} {marks[0][0]:>9.1f} {marks[0][1]:>8} {marks[0][2]:>5}")
    for i in range(1, runs + 1):
        name, go, ok = kinds[i % len(kinds)]
        result = go()
        if not ok(result):
            print(f"run {i} ({name}) went wrong: {result}")
            return 1
        if i % 100 == 0:
            marks[i] = snapshot()
            rss, threads, fds = marks[i]
            print(f"{i:>6} {rss:>9.1f} {threads:>8} {fds:>5}", flush=True)
    elapsed = time.perf_counter() - start
    base = marks[min(100, runs)]
    end = marks[max(marks)]
    print(f"{runs} runs in {elapsed:.1f} s ({elapsed / runs * 1000:.1f} ms each)")
    print(
        f"growth from run 100 to {runs}: RSS {end[0] - base[0]:+.1f} MiB, threads {end[1] - base[1]:+d}, "
        f"fds {end[2] - base[2]:+d}"
    )
    left = sorted(p.name for p in temp_dir.iterdir())
    print(f"temporary entries left by the runs: {len(left)} {left[:5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
