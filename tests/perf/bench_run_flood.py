"""Benchmark: a module flooding 200 MB to stdout, streamed by `wasi-playground run` to a file, versus a bare
wasmtime-py script with `stdout_file` (wasmtime writing the file itself, no Python per chunk).

Goal: within 1.5x of the baseline's time, and the runner process's peak memory under 100 MB. Also runs
the in-process API (`run()` with a sink) to show its memory stays bounded while keeping the whole output
in a spill file. Run: python tests/perf/bench_run_flood.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

CHUNK = 65536
CHUNKS = 3052  # 200,015,872 bytes
TOTAL = CHUNK * CHUNKS

FLOOD = f"""(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start") (local $i i32)
    (memory.fill (i32.const 1024) (i32.const 120) (i32.const {CHUNK}))
    (i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const {CHUNK}))
    (loop (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if 0 (i32.lt_u (local.get $i) (i32.const {CHUNKS}))))))"""

MEASURE = """
import resource, sys
{body}
with open(sys.argv[-1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""

BARE = """
import wasmtime
module_path, out_path = sys.argv[1], sys.argv[2]
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, module_path)
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.stdout_file = out_path
store.set_wasi(wasi)
linker.instantiate(store, module).exports(store)["_start"](store)
"""

OURS = """
from wasi_playground.cli import main
sys.stdout = open(sys.argv[2], "w")
code = main(["run", sys.argv[1]])
sys.stdout.flush()
"""

IN_PROCESS = """
from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.run.runner import run
seen = [0]
class Sink:
    def on_stdout(self, data):
        seen[0] += len(data)
r = run(sys.argv[1], RunConfig(), Sink())
assert seen[0] == r.stdout_bytes
import os
print(r.stdout_bytes, r.stdout_truncated, len(r.stdout), os.path.getsize(r.stdout_file), file=sys.stderr)
os.unlink(r.stdout_file)
"""


def measure(body: str, args: list[str], tmp: Path) -> tuple[float, float]:
    rss_file = tmp / "rss"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", MEASURE.format(body=body), *args, str(rss_file)], check=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(rss_file.read_text()) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        module = tmp / "flood.wasm"
        module.write_bytes(wasmtime.wat2wasm(FLOOD))
        out = tmp / "out.bin"
        os.environ["WASI_PLAYGROUND_CACHE_DIR"] = str(tmp / "cache")
        measure(OURS, [str(module), str(out)], tmp)  # warm the compiled-code cache
        rows = []
        for label, body in (("baseline bare stdout_file", BARE), ("wasi-playground run > file", OURS)):
            best = None
            for _ in range(3):
                elapsed, rss = measure(body, [str(module), str(out)], tmp)
                assert out.stat().st_size == TOTAL, out.stat().st_size
                best = (elapsed, rss) if best is None or elapsed < best[0] else best
            rows.append(best)
            print(
                f"{label:<28} {best[0] * 1000:8.0f} ms  {TOTAL / best[0] / 2**20:7.0f} MiB/s  "
                f"peak RSS {best[1]:6.0f} MiB"
            )
        elapsed, rss = measure(IN_PROCESS, [str(module), str(out)], tmp)
        print(
            f"{'run() in process + spill':<28} {elapsed * 1000:8.0f} ms  "
            f"{TOTAL / elapsed / 2**20:7.0f} MiB/s  "
            f"peak RSS {rss:6.0f} MiB"
        )
        print(
            f"runner / baseline time: {rows[1][0] / rows[0][0]:.2f}x (goal within 1.5x); "
            f"runner peak RSS {rows[1][1]:.0f} MiB (goal under 100 MB)"
        )


if __name__ == "__main__":
    main()
