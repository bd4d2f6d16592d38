"""What one open module does, apart from how it looks: inspection, its configuration (restored and saved),
its runs, their history, their spill files, and watching the file on disk.

`ModuleDocument` (the widget) lays out the views and connects them to this object; nothing here touches a
widget. Background work goes through the window's `Background` (in `services`), settings writes through
its serial lane.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.history import RunHistory, RunRecord
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.file_watcher import FileWatcher
from wasi_playground.gui.document.run_controller import RunController
from wasi_playground.gui.document.services import WindowServices

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 400


def inspect_module(path: Path) -> Report:
    from wasi_playground.core.inspect.report import inspect_path

    return inspect_path(path)


def discard_spill_files(result: RunResult | None) -> None:
    """A run's full-output files live as long as its result is on screen ("Save full output"), no longer."""
    if result is None:
        return
    for name in (result.stdout_file, result.stderr_file):
        if name:
            try:
                Path(name).unlink(missing_ok=True)
            except OSError as e:
                log.info("could not delete %s: %s", name, e)


def inspect_failure_text(path: Path, exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot read {path}: {exc.strerror or exc}"
    if isinstance(exc, ImportError):
        return f"the inspector is not available ({exc})"
    return str(exc)


class DocumentModel(QObject):
    notify = Signal(str, str)
    """(text, level) for the window's message strip."""
    statusChanged = Signal(str)
    runningChanged = Signal(bool)
    reportArrived = Signal(object)
    """The new Report, before the configuration is restored (the editor lists its entry points first)."""
    inspectFailed = Signal(str)
    inspected = Signal()
    """Inspection ended, well or not."""
    configApplied = Signal(object)
    """A whole configuration replaced the current one (restored, a preset, a run from history)."""
    runStarting = Signal()
    runEnded = Signal(object)
    """The RunResult, after it joined the history."""

    def __init__(self, path: Path, services: WindowServices, initial_config: RunConfig | None = None,
                 parent: QObject | None = None) -> None:
        """`initial_config` (a sample's) applies only when nothing was saved for this module yet."""
        super().__init__(parent)
        self.path = path
        self.services = services
        self.store = services.store
        self.context = DocumentContext(path, services.background, self)
        self.context.message.connect(self.notify)
        self.sha256: str | None = None
        self.inspect_error: str | None = None
        self.last_result: RunResult | None = None
        self._initial_config = initial_config
        self._config_restored = False
        self._rerun_after_reload = False
        self._run_started_at = 0.0
        self._run_config = self.context.config
        self._closed = False
        self.applying = False
        """True while a whole configuration is being applied (the editor already shows it)."""
        self._inspect_key = f"inspect:{id(self)}"
        self.history = RunHistory(path, limit=self.store.preferences.history_limit)
        self.controller = RunController(services.background, self)
        self.controller.finished.connect(self._on_finished)
        self.controller.phaseChanged.connect(lambda _phase: self.statusChanged.emit(self.status_text()))
        self.controller.elapsed.connect(lambda _s: self.statusChanged.emit(self.status_text()))
        self.controller.started.connect(self.context.runStarted)
        self.controller.traceEvents.connect(self.context.traceEvents)
        self.watcher = FileWatcher(path, self)
        self.watcher.changed.connect(self._on_file_changed)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_config)

    # ---- inspection ---------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self._closed:
            self.services.background.run(self, lambda: inspect_module(self.path), self._on_inspected,
                                         self._on_inspect_failed, key=self._inspect_key)

    def _on_inspected(self, report: Report) -> None:
        """The panels take the report one per turn; the module counts as read (`sha256`, `inspected`) in
        the turn after theirs."""
        self.inspect_error = None
        self.reportArrived.emit(report)
        self.context.set_report(report)
        self.services.background.soon(self, lambda: self._finish_reading(report))

    def _finish_reading(self, report: Report) -> None:
        if report is not self.context.report:
            return
        self.sha256 = report.sha256 or None
        if not self._config_restored:
            self._restore_config()
        elif self.sha256:
            self.save_config()
        if not report.runnable.ok:
            self.notify.emit(f"{self.path.name} cannot run here: {report.runnable.reason or 'see Overview'}",
                             "warning")
        self.inspected.emit()
        if self._rerun_after_reload:
            self._rerun_after_reload = False
            self.run()

    def _restore_config(self) -> None:
        self._config_restored = True
        for problem in self.history.file.problems:
            self.notify.emit(f"Run history of {self.path.name}: {problem}", "warning")
        restored = self.store.load_config(self.path, self.sha256) if self.sha256 else None
        if restored is None:
            # The window shows every WASI call unless the user switches recording off in the Trace tab.
            self.apply_config(replace(self._initial_config or RunConfig(), trace=True))
        else:
            self.apply_config(restored, save=False)

    def _on_inspect_failed(self, exc: BaseException) -> None:
        message = inspect_failure_text(self.path, exc)
        self.inspect_error = message
        self.inspectFailed.emit(message)
        self.notify.emit(f"{self.path.name}: {message}", "error")
        self.inspected.emit()

    def _on_file_changed(self, _path: str) -> None:
        if not self.path.exists():
            self.notify.emit(f"{self.path.name} was removed from disk", "warning")
            return
        self.notify.emit(f"{self.path.name} changed on disk: reloaded", "info")
        self._rerun_after_reload = self.store.preferences.rerun_on_change and not self.controller.running
        self.reload()

    # ---- configuration ------------------------------------------------------------------------------

    def apply_config(self, config: RunConfig, save: bool = True) -> None:
        """Replace the whole configuration (restored, a preset, a run from history)."""
        self.applying = True
        try:
            self.configApplied.emit(config)
            self.context.set_config(config)
        finally:
            self.applying = False
        if save:
            self.save_config()

    def save_config_soon(self) -> None:
        self.save_timer.start()

    def save_config(self) -> None:
        self.save_timer.stop()
        if self.sha256:
            write = self.store.config_writer(self.path, self.sha256, self.context.config)
            self.services.write_settings(write)

    # ---- running ------------------------------------------------------------------------------------

    def run(self) -> bool:
        if self.controller.running:
            return False
        self.save_config()
        discard_spill_files(self.last_result)
        self.runStarting.emit()
        self._run_started_at = time.time()
        self._run_config = self.context.config
        started = self.controller.start(self.path, self._run_config)
        self.runningChanged.emit(self.controller.running)
        self.statusChanged.emit(self.status_text())
        return started

    def stop(self) -> None:
        self.controller.stop()

    def status_text(self) -> str:
        c = self.controller
        if not c.running:
            return ""
        return f"{self.path.name}: {c.phase} — {c.elapsed_s():.1f} s"

    def _on_finished(self, result: RunResult) -> None:
        self.last_result = result
        if result.error:
            self.notify.emit(f"{self.path.name} could not run: {result.error}", "error")
        record = RunRecord.from_result(self.sha256 or "", self._run_config, result,
                                       self._run_started_at or time.time())
        self.history.add(record, save=False)
        self.services.write_settings(self.history.writer())
        self.runEnded.emit(result)
        self.context.runFinished.emit(result)
        self.runningChanged.emit(False)
        self.statusChanged.emit(f"{self.path.name}: {record.outcome()}")

    def close(self) -> None:
        """Stop a run cleanly, keep the configuration, tell the panels; before the document goes away."""
        if self._closed:
            return
        self._closed = True
        self.services.background.forget(self)
        self.save_config()
        discard_spill_files(self.controller.stop_and_wait())
        discard_spill_files(self.last_result)
        self.context.close()
