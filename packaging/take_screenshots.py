"""Take the README's screenshots from the real app, offscreen, at 1366x768 and 1920x1080, light and dark:
the first screen, a module after a run with its WASI calls, and a component being called.
Run: QT_QPA_PLATFORM=offscreen python packaging/take_screenshots.py
(uses a throwaway settings folder, so your own configuration and window state are neither used nor changed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
SHOTS = [
    # (theme, width, height, sample or "" for the first screen, view to show, run first, file)
    ("light", 1366, 768, "", "", False, "first-screen.png"),
    ("light", 1366, 768, "wc", "trace", True, "window-light-1366.png"),
    ("dark", 1366, 768, "random", "capabilities", True, "window-dark-1366.png"),
    ("light", 1920, 1080, "args", "trace", True, "window-light-1920.png"),
    ("dark", 1920, 1080, "clocks", "imports", True, "window-dark-1920.png"),
    ("dark", 1366, 768, "typed-component", "call", False, "component.png"),
]
SETTLE_MS = 1500
RUN_MS = 2500


def call_greet(doc) -> None:
    """On the Call view of the typed component: greet, with a string typed in, called."""
    from PySide6.QtWidgets import QLineEdit

    panel = doc.panels["Call"]
    names = [panel.functions.item(i).text() for i in range(panel.functions.count())]
    if "greet" in names:
        panel.functions.setCurrentRow(names.index("greet"))
        for edit in panel.form.form_host.findChildren(QLineEdit):
            edit.setText("you")
        panel.call_button.click()


def take(theme: str, width: int, height: int, sample_name: str, view: str, run: bool, out: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from wasi_playground.core.samples import get_sample
    from wasi_playground.gui import MainWindow
    from wasi_playground.gui.app import guard_refcount_underflow
    from wasi_playground.gui.palette import apply_palette

    guard_refcount_underflow()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_palette(app, theme)
    window = MainWindow()
    window.resize(width, height)
    window.show()
    doc = window.open_path(get_sample(sample_name).wasm_path) if sample_name else None

    def save() -> None:
        window.grab().save(str(out))
        window.close()

    def show() -> None:
        if doc is not None and view:
            doc.show_view(view)
            if view == "call":
                QTimer.singleShot(1200, lambda: call_greet(doc))
        QTimer.singleShot(2000 if view == "call" else 700, save)

    def start() -> None:
        if doc is not None and run:
            doc.run()
            QTimer.singleShot(RUN_MS, show)
        else:
            show()

    QTimer.singleShot(SETTLE_MS, start)
    app.exec()


def main() -> int:
    if len(sys.argv) == 8:  # one shot per process: the palette and the settings folder are per process
        theme, width, height, sample, view, run, out = sys.argv[1:]
        take(theme, int(width), int(height), sample, view, run == "run", Path(out))
        return 0
    import subprocess

    for theme, width, height, sample, view, run, name in SHOTS:
        with tempfile.TemporaryDirectory() as home:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM="offscreen",
                XDG_CONFIG_HOME=f"{home}/config",
                XDG_DATA_HOME=f"{home}/data",
            )
            args = [theme, str(width), str(height), sample, view, "run" if run else "no", str(OUT / name)]
            subprocess.run([sys.executable, __file__, *args], env=env, check=True)
            print("saved", OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
