"""`wasi-playground [FILE]`: the QApplication and the main window, on Qt's own event loop."""

from __future__ import annotations

import gc
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wasi_playground.core.state.settings import SettingsStore

GUI_SWITCH_INTERVAL_S = 0.0002
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


def run_app(argv: list[str]) -> int:
    from wasi_playground.gui.background import wait_for_all_workers
    from wasi_playground.gui.palette import apply_palette, follow_system
    from wasi_playground.gui.shell.about import app_icon
    from wasi_playground.gui.shell.main_window import MainWindow

    # Output callbacks run Python on worker threads; a short GIL switch interval lets the GUI thread get
    # the interpreter back quickly after each Qt call during a flood (measured in bench_gui_responsiveness).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    guard_refcount_underflow()
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
