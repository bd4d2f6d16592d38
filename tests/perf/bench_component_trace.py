"""Benchmark: tracing a WASI 0.2 component, per call and in total, and building its interposer.

Run: python tests/perf/bench_component_trace.py [--calls N]
The component (assembled from component text) calls `wasi:clocks/monotonic-clock#now` N times.
Baseline in the same run: the same component untraced. Figures: seconds, ns per call, the ratio; the
interposer's build time first (generate + assemble) and cached (hash + read + splice), for this small
component and for the same component padded to 40 MB with a custom section.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_component_trace import run_component  # noqa: E402
from test_component_trace_programs import clock_loop  # noqa: E402
from wasi_playground.core.binary.reader import uleb128  # noqa: E402
from wasi_playground.core.engine.config import RunConfig  # noqa: E402
from wasi_playground.core.engine.engines import get_engine, load_component  # noqa: E402
from wasi_playground.core.trace.component.assemble import build_interposer, interposer_dir  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def padded(data: bytes, size: int) -> bytes:
    """`data` with a custom section that brings it to about `size` bytes."""
    name = b"bench-padding"
    payload = uleb128(len(name)) + name + bytes(max(0, size - len(data)))
    return data + b"\0" + uleb128(len(payload)) + payload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    calls = parser.parse_args().calls
    os.environ.setdefault("WASI_PLAYGROUND_CACHE_DIR", tempfile.mkdtemp(prefix="bench-ctrace-"))
    data = clock_loop(calls)
    run_component(data, RunConfig(), traced=False)  # compile both into the cache first
    run_component(data, RunConfig())
    plain = min(timed(lambda: run_component(data, RunConfig(), traced=False)) for _ in range(3))
    traced = min(timed(lambda: run_component(data, RunConfig())) for _ in range(3))
    print(f"{calls} WASI calls: untraced {plain:.3f} s, traced {traced:.3f} s, ratio {traced / plain:.2f}x, "
          f"tracing costs {(traced - plain) / calls * 1e9:.0f} ns per call")
    engine = get_engine()
    guests = (("small", clock_loop(calls + 1)), ("40 MB", padded(clock_loop(calls + 2), 40 << 20)))
    for label, guest in guests:
        shutil.rmtree(interposer_dir(), ignore_errors=True)
        first = timed(lambda g=guest: build_interposer(g))
        cached = min(timed(lambda g=guest: build_interposer(g)) for _ in range(3))
        load_component(engine, guest)
        own_load = min(timed(lambda g=guest: load_component(engine, g)) for _ in range(3))
        print(f"interposer for the {label} component ({len(guest) / 1e6:.1f} MB): first {first * 1000:.0f} "
              f"ms, cached {cached * 1000:.1f} ms; the component's own cached load {own_load * 1000:.1f} ms")


if __name__ == "__main__":
    main()
