"""`wasi-playground [FILE]`: the QApplication and the main window, on Qt's own event loop."""

from __future__ import annotations

import gc
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wasi_playground.core.state.settings import SettingsStore

GUI_SWITCH_INTERVAL_S = 0.00005
"""How long a thread waiting for the GIL lets its holder run before asking for it. Every call from Qt into
Python takes the GIL, and beside a worker busy in Python each take waits about this long: a table paint
is hundreds of takes. Measured per take beside a busy worker: 35-48 us at 0.2 ms, 14 us at 0.05 ms
with GUI_TIMER_SLACK_NS."""
GUI_TIMER_SLACK_NS = 1000
"""Linux lets a thread's timed waits end up to 50 us late by default; the GUI thread's GIL waits should
not."""
EXIT_WAIT_MS = 2000
"""How long quitting waits for work still running on the background pools (a big module still being read)."""


def guard_refcount_underflow() -> bool:
    """Keep None/True/False alive under PySide6 6.12.0 on CPython 3.11.

    That build drops one reference to None on every void call and to True on every Signal.emit, so a
    long session ends in "Fatal Python error: none_dealloc". pyproject excludes 6.12.0; for an install
    that has it anyway, give the three singletons a reference count they cannot exhaust — what CPython
    3.12 does for them by design ("immortal objects"). Returns True when the guard was applied.
    """
    import ctypes

    from PySide6 import __version__ as pyside_version

    if sys.version_info >= (3, 12) or pyside_version != "6.12.0":
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    return True


def tune_gui_thread() -> None:
    """Call on the GUI thread before the window exists: the GIL changes hands quickly when the GUI thread
    asks for it (see GUI_SWITCH_INTERVAL_S)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_timerslack = 29
        try:
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_timerslack, GUI_TIMER_SLACK_NS, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this libc: keep the default slack
            pass
    guard_refcount_underflow()


def freeze_startup_heap() -> None:
    """Once the window is up: leave everything made so far (modules, Qt wrappers) out of later garbage
    collections. A full collection walked those 57,000 objects in 38 ms, with the GIL held: a stall of
    the window whichever thread ran it."""
    gc.collect()
    gc.freeze()


def run_app(argv: list[str]) -> int:
    from wasi_playground.gui.background import wait_for_all_workers
    from wasi_playground.gui.palette import apply_palette, follow_system
    from wasi_playground.gui.shell.about import app_icon
    from wasi_playground.gui.shell.main_window import MainWindow

    tune_gui_thread()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "wasi-playground"])
    assert isinstance(app, QApplication)
    app.setApplicationName("WASI Playground")
    app.setOrganizationName("wasi-playground")
    app.setDesktopFileName("org.wasiplayground.WasiPlayground")
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    store = SettingsStore()
    apply_palette(app, store.preferences.theme)
    follow_system(app, lambda: store.preferences.theme)
    window = MainWindow(store, restore_modules=not argv)
    window.show()
    freeze_startup_heap()
    if argv:
        window.open_path(argv[0])
    quit_after = os.environ.get("WASI_PLAYGROUND_QUIT_AFTER_MS", "")
    if quit_after.isdigit():  # smoke tests of a frozen build: start, show, close by itself
        QTimer.singleShot(int(quit_after), window.close)
    app.exec()
    wait_for_all_workers(EXIT_WAIT_MS)
    del window
    gc.collect()
    time.sleep(0.05)  # let wasmtime's output threads finish before the process exits
    return 0
