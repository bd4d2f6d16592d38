"""One open module: its inspection, its configuration and its runs, side by side in splitters.

The document owns the module's `DocumentContext` and fires its signals: reportChanged after inspection,
configChanged when the editor changes the configuration, runStarted/traceEvents/runFinished from its run
controller. Inspector-side panels from `gui/document/panels.py` go next to Overview/Imports/Exports; the trace
goes next to stdout/stderr.
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.diff import compare_runs
from wasi_playground.core.state.history import RunHistory, RunRecord
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui.background import run_task, tasks
from wasi_playground.gui.configure.config_editor import ConfigEditor
from wasi_playground.gui.configure.preset_bar import PresetBar
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.file_watcher import FileWatcher
from wasi_playground.gui.document.panels import PANELS
from wasi_playground.gui.document.run_controller import RunController
from wasi_playground.gui.inspector.imports_view import ExportsView, ImportsView
from wasi_playground.gui.inspector.overview import OverviewPanel
from wasi_playground.gui.outcome.compare_dialog import CompareDialog
from wasi_playground.gui.outcome.history_view import HistoryView
from wasi_playground.gui.outcome.outcome_banner import OutcomeBanner
from wasi_playground.gui.outcome.output_view import OutputView
from wasi_playground.gui.outcome.timings_view import TimingsView

log = logging.getLogger(__name__)

OUTPUT_SIDE_PANELS = ("trace",)


def inspect_module(path: Path) -> tuple[Any, dict[str, Any]]:
    """The report and its JSON form, both built on the worker: the JSON form of a big module (names of
    tens of thousands of functions) is not something to build on the GUI thread."""
    from wasi_playground.core.inspect.report import inspect_path

    report = inspect_path(path)
    return report, report_dict(report)


def report_dict(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    if isinstance(report, dict):
        return report
    return report.to_json_dict()


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


def load_panel(spec: str) -> type:
    module_name, _, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


class ModuleDocument(QWidget):
    notify = Signal(str, str)
    """(text, level) for the window's message strip."""
    statusChanged = Signal(str)
    runningChanged = Signal(bool)
    inspected = Signal()

    def __init__(self, path: str | Path, store: SettingsStore, parent: QWidget | None = None,
                 initial_config: RunConfig | None = None) -> None:
        """`initial_config` (a sample's) applies only when nothing was saved for this module yet."""
        super().__init__(parent)
        self.path = Path(path).resolve()
        self.store = store
        self.context = DocumentContext(self.path, self)
        self.context.message.connect(lambda text: self.notify.emit(text, "info"))
        self.sha256: str | None = None
        self.inspect_error: str | None = None
        self.last_result: RunResult | None = None
        self._initial_config = initial_config
        self._config_restored = False
        self._rerun_after_reload = False
        self._run_started_at = 0.0
        self._editing = False
        self._closed = False
        self._inspect_key = f"inspect:{id(self)}"
        self.history = RunHistory(self.path, limit=store.preferences.history_limit)
        self.controller = RunController(self)
        self._build()
        self._wire()
        self.watcher = FileWatcher(self.path, self)
        self.watcher.changed.connect(self._on_file_changed)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_config)
        self.reload()

    # ---- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.overview = OverviewPanel(self)
        self.imports = ImportsView(self)
        self.exports = ExportsView(self)
        self.inspector_tabs = QTabWidget(self)
        self.inspector_tabs.setObjectName("inspectorTabs")
        self.inspector_tabs.addTab(self.overview, "Overview")
        self.inspector_tabs.addTab(self.imports, "Imports")
        self.inspector_tabs.addTab(self.exports, "Exports")

        self.editor = ConfigEditor(self)
        self.editor.set_module_name(self.path.name)
        self.presets = PresetBar(self)
        config_side = QWidget(self)
        config_layout = QVBoxLayout(config_side)
        config_layout.setContentsMargins(0, 0, 0, 0)
        config_layout.addWidget(self.presets)
        config_layout.addWidget(self.editor, 1)

        tail = self.store.preferences.output_tail_lines
        self.stdout = OutputView("stdoutView", "stdout", tail, self)
        self.stderr = OutputView("stderrView", "stderr", tail, self)
        self.timings = TimingsView(self)
        self.history_view = HistoryView(self)
        self.history_view.set_history(self.history)
        self.banner = OutcomeBanner(self)
        self.output_tabs = QTabWidget(self)
        self.output_tabs.setObjectName("outputTabs")
        self.output_tabs.addTab(self.stdout, "stdout")
        self.output_tabs.addTab(self.stderr, "stderr")
        self.output_tabs.addTab(self.timings, "Timings")
        self.output_tabs.addTab(self.history_view, "History")
        output_side = QWidget(self)
        output_layout = QVBoxLayout(output_side)
        output_layout.setContentsMargins(0, 0, 0, 0)
        output_layout.addWidget(self.banner)
        output_layout.addWidget(self.output_tabs, 1)

        self._add_registered_panels()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("documentSplitter")
        self.splitter.addWidget(self.inspector_tabs)
        self.splitter.addWidget(config_side)
        self.splitter.addWidget(output_side)
        self.splitter.setChildrenCollapsible(False)
        sizes = self.store.window.splitters.get("document")
        self.splitter.setSizes(sizes if sizes and len(sizes) == 3 else [420, 360, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    def _add_registered_panels(self) -> None:
        self.panels: dict[str, QWidget] = {}
        for title, spec in PANELS:
            try:
                panel = load_panel(spec)(self.context, self)
            except Exception as e:  # one broken panel must not stop the window
                log.warning("panel %s (%s) not loaded: %s", title, spec, e)
                continue
            self.panels[title] = panel
            on_output_side = any(word in title.lower() for word in OUTPUT_SIDE_PANELS)
            if on_output_side:
                self.output_tabs.insertTab(2, panel, title)
            else:
                self.inspector_tabs.addTab(panel, title)

    def _wire(self) -> None:
        self.editor.configEdited.connect(self._on_config_edited)
        self.context.configChanged.connect(self._on_context_config)
        self.presets.configChosen.connect(self._apply_config)
        self.presets.copyCommand.connect(self.copy_wasmtime_command)
        self.presets.bind(self.store, lambda: (self.path, self.sha256), lambda: self.context.config)
        self.presets.notify.connect(self.notify)
        c = self.controller
        c.started.connect(self.context.runStarted)
        c.output.connect(self._on_output)
        c.skipped.connect(lambda stream, n: self._view(stream).note_skipped(n))
        c.traceEvents.connect(self.context.traceEvents)
        c.phaseChanged.connect(lambda phase: self.statusChanged.emit(self._status_text()))
        c.elapsed.connect(lambda _s: self.statusChanged.emit(self._status_text()))
        c.finished.connect(self._on_finished)
        self.history_view.compareRequested.connect(self.compare)
        self.history_view.restoreRequested.connect(lambda r: self._apply_config(r.run_config))

    def _view(self, stream: str) -> OutputView:
        return self.stdout if stream == "stdout" else self.stderr

    # ---- inspection ---------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self._closed:
            run_task(lambda: inspect_module(self.path), self._on_inspected, self._on_inspect_failed,
                     key=self._inspect_key)

    def _gone(self) -> bool:
        """An inspection can finish after its document was closed: its result is dropped."""
        return self._closed or not shiboken6.isValid(self.overview)

    def _on_inspected(self, inspected: tuple[Any, dict[str, Any]]) -> None:
        if self._gone():
            return
        report, data = inspected
        self.inspect_error = None
        self.sha256 = str(data.get("sha256") or "") or None
        self.overview.set_report(data)
        self.imports.set_report(data)
        self.exports.set_report(data)
        self.editor.set_report(data)
        if not self._config_restored:
            self._config_restored = True
            for problem in self.history.file.problems:
                self.notify.emit(f"Run history of {self.path.name}: {problem}", "warning")
            restored = self.store.load_config(self.path, self.sha256) if self.sha256 else None
            if restored is None:
                # The window shows every WASI call unless the user switches recording off in the Trace tab.
                self._apply_config(replace(self._initial_config or RunConfig(), trace=True))
            else:
                self._apply_config(restored, save=False)
        elif self.sha256:
            self.save_config()
        self.presets.refresh()
        self.context.set_report(report)
        runnable = data.get("runnable") or {}
        if runnable and not runnable.get("ok", True):
            self.notify.emit(f"{self.path.name} cannot run here: {runnable.get('reason', 'see Overview')}",
                             "warning")
        self.inspected.emit()
        if self._rerun_after_reload:
            self._rerun_after_reload = False
            self.run()

    def _on_inspect_failed(self, exc: BaseException) -> None:
        if self._gone():
            return
        message = str(exc) if not isinstance(exc, ImportError) else f"the inspector is not available ({exc})"
        if isinstance(exc, OSError):
            message = f"cannot read {self.path}: {exc.strerror or exc}"
        self.inspect_error = message
        self.overview.set_error(message)
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

    def _on_config_edited(self, config: RunConfig) -> None:
        config.denied = list(self.context.config.denied)
        config.trace = self.context.config.trace
        self._editing = True
        try:
            self.context.set_config(config)
        finally:
            self._editing = False
        self._save_timer.start()

    def _on_context_config(self) -> None:
        """Another panel (the capability lab) changed the configuration: show it and keep it."""
        if not self._editing:
            self.editor.set_config(self.context.config)
            self._save_timer.start()

    def _apply_config(self, config: RunConfig, save: bool = True) -> None:
        self.editor.set_config(config)
        self._editing = True
        try:
            self.context.set_config(config)
        finally:
            self._editing = False
        if save:
            self.save_config()

    def save_config(self) -> None:
        self._save_timer.stop()
        if self.sha256:
            self.store.save_config(self.path, self.sha256, self.context.config, background=True)

    def copy_wasmtime_command(self) -> str:
        from PySide6.QtGui import QGuiApplication

        command = self.context.config.wasmtime_command(str(self.path))
        QGuiApplication.clipboard().setText(command)
        self.notify.emit("Copied: " + command, "info")
        return command

    # ---- running ------------------------------------------------------------------------------------

    def run(self) -> bool:
        if self.controller.running:
            return False
        self.save_config()
        discard_spill_files(self.last_result)
        self.stdout.clear()
        self.stderr.clear()
        self.banner.show_running()
        self._run_started_at = time.time()
        self._run_config = self.context.config
        started = self.controller.start(self.path, self._run_config)
        self.runningChanged.emit(self.controller.running)
        self.statusChanged.emit(self._status_text())
        return started

    def stop(self) -> None:
        self.controller.stop()

    def _status_text(self) -> str:
        c = self.controller
        if not c.running:
            return ""
        return f"{self.path.name}: {c.phase} — {c.elapsed_s():.1f} s"

    def _on_output(self, stream: str, text: str) -> None:
        self._view(stream).append(text)

    def _on_finished(self, result: RunResult) -> None:
        self.last_result = result
        self.banner.show_result(result)
        self.timings.set_result(result)
        self.stdout.set_full_output(result.stdout, result.stdout_file)
        self.stderr.set_full_output(result.stderr, result.stderr_file)
        if result.error:
            self.notify.emit(f"{self.path.name} could not run: {result.error}", "error")
        record = RunRecord.from_result(self.sha256 or "", getattr(self, "_run_config", self.context.config),
                                       result, self._run_started_at or time.time())
        self.history.add(record, background=True)
        self.history_view.set_history(self.history)
        self.context.runFinished.emit(result)
        self.runningChanged.emit(False)
        self.statusChanged.emit(f"{self.path.name}: {record.outcome()}")

    def compare(self, older: RunRecord, newer: RunRecord) -> CompareDialog:
        dialog = CompareDialog(compare_runs(older, newer), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.last_compare = dialog
        return dialog

    def close_document(self) -> None:
        """Stop a run cleanly and keep the configuration; called before the document goes away."""
        if self._closed:
            return
        self._closed = True
        tasks().cancel_key(self._inspect_key)
        self.save_config()
        discard_spill_files(self.controller.stop_and_wait())
        discard_spill_files(self.last_result)
