"""Take the README's screenshots from the real app, offscreen: light on `args`, dark on `clocks`, each after a
run with its WASI trace showing. Run: QT_QPA_PLATFORM=offscreen python packaging/take_screenshots.py
(uses a throwaway settings folder, so your own configuration and window state are neither used nor changed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
SHOTS = [("light", "args", "Overview", "window-light.png"), ("dark", "clocks", "Imports", "window-dark.png")]


def take(theme: str, sample_name: str, inspector_tab: str, out: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication, QWidget

    from wasi_playground.core.samples import get_sample
    from wasi_playground.gui import MainWindow
    from wasi_playground.gui.app import guard_refcount_underflow
    from wasi_playground.gui.palette import apply_palette

    guard_refcount_underflow()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_palette(app, theme)
    window = MainWindow()
    window.resize(1441, 860)
    window.show()
    doc = window.open_path(get_sample(sample_name).wasm_path)

    def save() -> None:
        doc.output_tabs.setCurrentWidget(window.findChild(QWidget, "traceView"))
        titles = [doc.inspector_tabs.tabText(i) for i in range(doc.inspector_tabs.count())]
        doc.inspector_tabs.setCurrentIndex(titles.index(inspector_tab))
        QTimer.singleShot(700, lambda: (window.grab().save(str(out)), window.close()))

    QTimer.singleShot(
        1500, lambda: (window.findChild(QAction, "runAction").trigger(), QTimer.singleShot(2500, save))
    )
    app.exec()


def main() -> int:
    if len(sys.argv) == 5:  # one shot per process: the palette and the settings folder are per process
        take(sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4]))
        return 0
    import subprocess

    for theme, sample, tab, name in SHOTS:
        with tempfile.TemporaryDirectory() as home:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM="offscreen",
                XDG_CONFIG_HOME=f"{home}/config",
                XDG_DATA_HOME=f"{home}/data",
            )
            subprocess.run(
                [sys.executable, __file__, theme, sample, tab, str(OUT / name)], env=env, check=True
            )
            print("saved", OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
