"""What the panels of one open module share: its path, its inspection, its run configuration, its runs,
the window's `Background` and the one message channel.

The document owns one `DocumentContext`; every panel (see `gui/document/panel.py`) receives it and listens
to its signals instead of reaching into other panels. All signals fire on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.gui.background import Background

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report
    from wasi_playground.core.lookinside.module_ref import ModuleRef

LEVELS = ("info", "warning", "error")


class DocumentContext(QObject):
    reportChanged = Signal(object)
    """The inspection report (core.inspect.report.Report, or None) after an open or a reload."""
    configChanged = Signal()
    """`config` was edited."""
    runStarted = Signal(object)
    """A run began; the argument is the run job (it has `cancel()`)."""
    traceEvents = Signal(list)
    """A batch of core trace events of the current run, in call order."""
    runFinished = Signal(object)
    """The core RunResult of the run that just ended."""
    message = Signal(str, str)
    """(text, level) for the user: level is "info", "warning" or "error" (the window's message strip)."""
    closing = Signal()
    """The document is closing: panels stop their work and let go of what they hold."""
    moduleChanged = Signal(object)
    """The look-inside panels now show `module`: a core module picked inside this component (a
    core.lookinside.module_ref.ModuleRef), or None for the file itself."""

    def __init__(self, path: Path, background: Background | None = None,
                 parent: QObject | None = None) -> None:
        """Without a `background` (a panel tested on its own) the context makes its own."""
        super().__init__(parent)
        self.path = path
        self.background = background if background is not None else Background(self)
        self.report: Report | None = None
        self.config = RunConfig()
        self.module: ModuleRef | None = None

    def set_report(self, report: Report | None) -> None:
        self.report = report
        self.reportChanged.emit(report)

    def set_module(self, module: ModuleRef | None) -> None:
        self.module = module
        self.moduleChanged.emit(module)

    def set_config(self, config: RunConfig) -> None:
        self.config = config
        self.configChanged.emit()

    def notify(self, text: str, level: str = "info") -> None:
        self.message.emit(text, level if level in LEVELS else "info")

    def close(self) -> None:
        self.closing.emit()
