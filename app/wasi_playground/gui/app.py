"""`wasi-playground [FILE]`: the QApplication, the asyncio loop (qasync) and the main window."""

from __future__ import annotations

import asyncio
import gc
import sys
import time

from PySide6.QtWidgets import QApplication

from wasi_playground.core.settings import SettingsStore

GUI_SWITCH_INTERVAL_S = 0.001


def run_app(argv: list[str]) -> int:
    import qasync

    from wasi_playground.gui.about import app_icon
    from wasi_playground.gui.main_window import MainWindow
    from wasi_playground.gui.palette import apply_palette, follow_system

    # Output callbacks run Python on worker threads; a short GIL switch interval lets the GUI thread get
    # the interpreter back quickly after each Qt call during a flood (measured in bench_gui_responsiveness).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
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
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(store, restore_modules=not argv)
    window.show()
    if argv:
        window.open_path(argv[0])
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    del window
    gc.collect()
    time.sleep(0.05)  # let wasmtime's output threads finish before the process exits
    return 0
