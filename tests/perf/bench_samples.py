"""How much the playground's runner adds to running each sample, against bare wasmtime-py in the same run.

Baseline: one Engine, the module compiled once, then per run a Store, a WasiConfig with the sample's
arguments, environment, preopens and stdin, a Linker and `_start` (what any host must do at least).
Measured: `wasi_playground.core.run.runner.run(sample.wasm_path, sample.config)` — reading, the compiled-code
cache, limits, output capture, result building. Prints the median of N runs for each and their ratio.

Usage: python tests/perf/bench_samples.py [RUNS]
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

os.environ.setdefault("WASI_PLAYGROUND_CACHE_DIR", tempfile.mkdtemp(prefix="bench-samples-cache-"))

from wasi_playground.core.binary.reader import header_kind  # noqa: E402
from wasi_playground.core.run.runner import run  # noqa: E402
from wasi_playground.core.samples import Sample, list_samples  # noqa: E402

SKIP = {"spin", "calc"}  # endless, a library: not `_start` modules (components are skipped too)


def bare_run(engine: wasmtime.Engine, module: wasmtime.Module, sample: Sample, scratch: Path) -> int:
    config = sample.config
    store = wasmtime.Store(engine)
    if config.limits.max_memory_bytes is not None:
        store.set_limits(memory_size=config.limits.max_memory_bytes)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [sample.wasm_path.name, *config.args]
    wasi.env = [list(pair) for pair in config.env]
    wasi.stdout_file = str(scratch / "out")
    wasi.stderr_file = str(scratch / "err")
    if config.stdin.kind == "text":
        stdin = scratch / "in"
        stdin.write_text(config.stdin.text)
        wasi.stdin_file = str(stdin)
    for preopen in config.preopens:
        wasi.preopen_dir(preopen.host, preopen.guest, fs_mutable=not preopen.read_only)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap:
        return -1  # the trap sample: trapping is its job
    return 0


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int) -> None:
    engine = wasmtime.Engine()
    samples = [s for s in list_samples()
               if s.name not in SKIP and header_kind(s.wasm_path.read_bytes()[:8]) == "module"]
    print(f"{'sample':<10} {'bare ms':>9} {'runner ms':>10} {'ratio':>7}   (median of {runs})")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for sample in samples:
            module = wasmtime.Module.from_file(engine, str(sample.wasm_path))
            config = copy.deepcopy(sample.config)
            run(sample.wasm_path, config)  # warm the compiled-code cache, as a second open would be
            bare = median_ms(lambda s=sample, m=module: bare_run(engine, m, s, scratch), runs)
            mine = median_ms(lambda s=sample, c=config: run(s.wasm_path, c), runs)
            ratios.append(mine / bare)
            print(f"{sample.name:<10} {bare:>9.2f} {mine:>10.2f} {mine / bare:>7.2f}")
    print(f"geometric mean ratio runner/bare: {statistics.geometric_mean(ratios):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
