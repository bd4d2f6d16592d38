"""What the panels of one open module share: its path, its inspection, its run configuration and its runs.

The document owns one `DocumentContext`; every panel (imports, trace, functions, HTTP...) receives it and
listens to its signals instead of reaching into other panels. All signals fire on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from wasi_playground.core.engine.config import RunConfig


class DocumentContext(QObject):
    reportChanged = Signal(object)
    """The inspection report (core.inspect.report.Report) after an open or a reload."""
    configChanged = Signal()
    """`config` was edited."""
    runStarted = Signal(object)
    """A run began; the argument is the core RunHandle."""
    traceEvents = Signal(list)
    """A batch of core trace events of the current run, in call order."""
    runFinished = Signal(object)
    """The core RunResult of the run that just ended."""
    message = Signal(str)
    """A user-facing message (shown in the status bar / message strip, never a modal storm)."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.report: Any = None
        self.config = RunConfig()

    def set_report(self, report: Any) -> None:
        self.report = report
        self.reportChanged.emit(report)

    def set_config(self, config: RunConfig) -> None:
        self.config = config
        self.configChanged.emit()
