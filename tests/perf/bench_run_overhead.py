"""Benchmark: a CPU-bound module through `wasi-playground run` versus a minimal bare wasmtime-py script.

Both run as separate processes on the same zig-built program (tests/run_programs/probe.c, `count N`),
timed end to end, best of several rounds; the runner's cache is warmed first, as is wasmtime's
compilation for the baseline (it compiles a ~1 MB module in tens of milliseconds). Goal: within 5%.
Run: python tests/perf/bench_run_overhead.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "tests" / "run_programs" / "probe.c"
ITERATIONS = "400000000"
ROUNDS = 5

BARE = """
import sys, wasmtime
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, sys.argv[1])
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = ["probe.wasm", "count", sys.argv[2]]
wasi.inherit_stdout()
store.set_wasi(wasi)
linker.instantiate(store, module).exports(store)["_start"](store)
"""


def build(out_dir: Path) -> Path:
    out = out_dir / "probe.wasm"
    subprocess.run([sys.executable, "-m", "ziglang", "cc", "--target=wasm32-wasi", "-O2", "-s", str(PROBE),
                    "-o", str(out)], check=True)
    return out


def best_of(cmd: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    times, out = [], b""
    for _ in range(ROUNDS):
        start = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, env=env).stdout
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        module = build(Path(tmp))
        env = dict(os.environ, WASI_PLAYGROUND_CACHE_DIR=str(Path(tmp) / "cache"))
        ours_cmd = [sys.executable, "-m", "wasi_playground", "run", str(module), "--", "count", ITERATIONS]
        bare_cmd = [sys.executable, "-c", BARE, str(module), ITERATIONS]
        subprocess.run(ours_cmd, check=True, capture_output=True, env=env)  # warm the compiled-code cache
        bare, bare_out = best_of(bare_cmd, env)
        ours, ours_out = best_of(ours_cmd, env)
        assert bare_out == ours_out, (bare_out, ours_out)
        print(f"count {ITERATIONS}: output {ours_out.decode().strip()}")
        print(f"baseline bare wasmtime-py script: {bare * 1000:8.0f} ms (best of {ROUNDS})")
        print(f"wasi-playground run:              {ours * 1000:8.0f} ms (best of {ROUNDS})")
        print(f"overhead: {(ours / bare - 1) * 100:+.1f} %   (goal within 5 %)")


if __name__ == "__main__":
    main()
