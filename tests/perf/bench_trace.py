"""Benchmark: what tracing costs per WASI call, and a syscall-heavy program traced vs untraced.

Run: python tests/perf/bench_trace.py [--calls N]
Baseline in the same run: the same module untraced. Figures: seconds, ns per call, the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.run.runner import run

CLOCK_LOOP = """
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $i i32)
    (loop $l
      (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 64)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const N))))))
"""

HEAVY_C = r"""
#include <stdio.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
    char buf[64];
    long total = 0;
    for (int i = 0; i < 20000; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int fd = open("/data/in.txt", O_RDONLY);
        ssize_t n = read(fd, buf, sizeof buf);
        close(fd);
        total += n;
        if (i % 100 == 0) { write(1, "x", 1); }
    }
    printf("\n%ld\n", total);
    return 0;
}
"""


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def on_trace(self, event: object) -> None:
        self.n += 1


def timed(path: Path, config: RunConfig, sink: object = None) -> tuple[float, object]:
    t = time.perf_counter()
    result = run(path, config, sink)
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        loop = tmp / "loop.wasm"
        loop.write_bytes(wasmtime.wat2wasm(CLOCK_LOOP.replace("N", str(opts.calls))))
        timed(loop, RunConfig())  # warm the compiled-code cache
        base, _ = timed(loop, RunConfig())
        sink = Counter()
        traced, result = timed(loop, RunConfig(trace=True), sink)
        assert sink.n == opts.calls == result.trace_calls, (sink.n, result)
        per_call = (traced - base) / opts.calls * 1e9
        print(f"{opts.calls:,} clock_time_get calls: untraced {base:.3f} s, traced {traced:.3f} s "
              f"(ratio {traced / base:.1f}x), tracing overhead {per_call:.0f} ns per call "
              f"(recording + decoding + delivering each event)")
        denied, _ = timed(loop, RunConfig(denied=["clocks"]), Counter())
        print(f"  same calls denied (clocks off, never reach WASI): {denied:.3f} s")

        src = tmp / "heavy.c"
        src.write_text(HEAVY_C)
        heavy = tmp / "heavy.wasm"
        subprocess.run([sys.executable, "-m", "ziglang", "cc", "--target=wasm32-wasi", "-O2", str(src), "-o",
                        str(heavy)], check=True, capture_output=True)
        data = tmp / "data"
        data.mkdir()
        (data / "in.txt").write_text("some bytes to read\n")
        from wasi_playground.core.engine.config import Preopen
        config = RunConfig(preopens=[Preopen(str(data), "/data")])
        timed(heavy, config)
        base, plain = timed(heavy, config)
        sink = Counter()
        traced, result = timed(heavy, RunConfig(preopens=config.preopens, trace=True), sink)
        assert result.stdout == plain.stdout
        print(f"syscall-heavy C program ({sink.n:,} WASI calls: open/read/close/clock/write): "
              f"untraced {base:.3f} s, traced {traced:.3f} s (ratio {traced / base:.2f}x), "
              f"{(traced - base) / max(sink.n, 1) * 1e9:.0f} ns per call")

    bench_view()


def bench_view(rows: int = 1_000_000, batch: int = 5000) -> None:
    """The Trace tab's model fed a million events in the run controller's batch size (offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from wasi_playground.core.trace import TraceEvent
    from wasi_playground.gui.app import guard_refcount_underflow
    from wasi_playground.gui.document.context import DocumentContext
    from wasi_playground.gui.outcome.trace_view import TracePanel

    guard_refcount_underflow()
    app = QApplication.instance() or QApplication([])
    panel = TracePanel(DocumentContext(Path("bench.wasm")))
    panel.show()
    events = [TraceEvent(i + 1, "clock_time_get", "clocks", (1, 1, 64), 0, 150) for i in range(batch)]
    worst = 0.0
    started = time.perf_counter()
    for _ in range(rows // batch):
        t = time.perf_counter()
        panel.context.traceEvents.emit(events)
        app.processEvents()
        worst = max(worst, time.perf_counter() - t)
    total = time.perf_counter() - started
    t = time.perf_counter()
    panel.groupCombo.setCurrentText("clocks")
    panel.deniedBox.setChecked(True)
    refilter = time.perf_counter() - t
    print(f"trace view: {rows:,} rows in batches of {batch:,}: {total:.2f} s total, worst batch "
          f"{worst * 1000:.0f} ms (GUI thread), re-filter of all rows {refilter * 1000:.0f} ms, "
          f"{panel.proxy.rowCount()} rows shown after filtering to denied")
    panel.close()


if __name__ == "__main__":
    main()
