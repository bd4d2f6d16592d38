"""Benchmark: how long Stop takes to end a tight infinite loop `(loop br 0)`; goal under 100 ms.

Runner: `start_run` then `handle.cancel()`, timed until the result is ready. Baseline in the same run:
bare wasmtime-py with epoch interruption and one `engine.increment_epoch()` from another thread, timed
until the call raises. Also shows that stopping one of two concurrent runs leaves the other running.
Run: python tests/perf/bench_run_stop.py
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

import wasmtime  # noqa: E402

from wasi_playground.core.engine.config import RunConfig  # noqa: E402
from wasi_playground.core.run.runner import start_run  # noqa: E402

SPIN = wasmtime.wat2wasm('(module (func (export "_start") (loop br 0)))')
ROUNDS = 20


def bare_latency() -> float:
    config = wasmtime.Config()
    config.epoch_interruption = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(1)
    func = wasmtime.Instance(store, wasmtime.Module(engine, SPIN), []).exports(store)["_start"]
    ended = threading.Event()

    def spin() -> None:
        try:
            func(store)
        except wasmtime.Trap:
            ended.set()

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.2)
    start = time.perf_counter()
    engine.increment_epoch()
    ended.wait(5)
    latency = time.perf_counter() - start
    t.join()
    return latency


def runner_latency() -> float:
    handle = start_run(SPIN, RunConfig())
    time.sleep(0.2)
    start = time.perf_counter()
    handle.cancel()
    result = handle.wait(5)
    latency = time.perf_counter() - start
    assert result.cancelled
    return latency


def report(label: str, values: list[float]) -> float:
    ms = [v * 1000 for v in values]
    print(f"{label:<32} median {statistics.median(ms):7.2f} ms   max {max(ms):7.2f} ms")
    return statistics.median(ms)


def main() -> None:
    bare = report("baseline bare epoch interrupt", [bare_latency() for _ in range(ROUNDS)])
    ours = report("runner cancel()", [runner_latency() for _ in range(ROUNDS)])
    print(f"runner / baseline median: {ours / bare:.1f}x   (goal: runner max under 100 ms)")
    a, b = start_run(SPIN, RunConfig()), start_run(SPIN, RunConfig())
    time.sleep(0.2)
    a.cancel()
    a.wait(5)
    time.sleep(0.3)
    print(f"two concurrent runs, one stopped: other still running = {not b.done}")
    b.cancel()
    b.wait(5)


if __name__ == "__main__":
    main()
