"""One open module on screen: its inspection, its configuration and its runs, side by side in splitters.

What the document does (inspection, saving, runs, history, spill files, the file watcher) lives in
`DocumentModel`; this widget lays out the views and connects them to it. Every tab is a `Panel` over the
module's `DocumentContext`: Overview/Imports/Exports, then the panels of `gui/document/panels.py`; the trace
goes next to stdout/stderr.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.diff import compare_runs
from wasi_playground.core.state.history import RunRecord
from wasi_playground.gui.configure.config_editor import ConfigEditor
from wasi_playground.gui.configure.preset_bar import PresetBar
from wasi_playground.gui.document.document_model import DocumentModel
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.document.panels import PANELS
from wasi_playground.gui.document.services import WindowServices
from wasi_playground.gui.inspector.imports_view import ExportsView, ImportsView
from wasi_playground.gui.inspector.overview import OverviewPanel
from wasi_playground.gui.outcome.compare_dialog import CompareDialog
from wasi_playground.gui.outcome.history_view import HistoryView
from wasi_playground.gui.outcome.outcome_banner import OutcomeBanner
from wasi_playground.gui.outcome.output_view import OutputView
from wasi_playground.gui.outcome.timings_view import TimingsView

log = logging.getLogger(__name__)

OUTPUT_SIDE_PANELS = ("trace",)
DEFAULT_SPLIT = [420, 360, 720]


def load_panel(spec: str) -> type[Panel]:
    module_name, _, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def _column(parent: QWidget, *widgets: QWidget) -> QWidget:
    """Widgets stacked top to bottom, the last one taking the spare height."""
    column = QWidget(parent)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets[:-1]:
        layout.addWidget(widget)
    layout.addWidget(widgets[-1], 1)
    return column


class ModuleDocument(QWidget):
    notify = Signal(str, str)
    """(text, level) for the window's message strip."""
    statusChanged = Signal(str)
    runningChanged = Signal(bool)
    inspected = Signal()

    def __init__(self, path: str | Path, services: WindowServices, parent: QWidget | None = None,
                 initial_config: RunConfig | None = None) -> None:
        """`initial_config` (a sample's) applies only when nothing was saved for this module yet."""
        super().__init__(parent)
        self.path = Path(path).resolve()
        self.store = services.store
        self.model = DocumentModel(self.path, services, initial_config, self)
        self.context = self.model.context
        self.controller = self.model.controller
        self.history = self.model.history
        self._editing = False
        self._build()
        self._wire()
        self.model.reload()

    # ---- what the model knows, for the window and tests ----------------------------------------------

    @property
    def sha256(self) -> str | None:
        return self.model.sha256

    @property
    def inspect_error(self) -> str | None:
        return self.model.inspect_error

    @property
    def last_result(self) -> RunResult | None:
        return self.model.last_result

    @property
    def _save_timer(self) -> Any:
        return self.model.save_timer

    # ---- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.overview = OverviewPanel(self.context, self)
        self.imports = ImportsView(self.context, self)
        self.exports = ExportsView(self.context, self)
        self.inspector_tabs = QTabWidget(self)
        self.inspector_tabs.setObjectName("inspectorTabs")
        for panel, title in ((self.overview, "Overview"), (self.imports, "Imports"),
                             (self.exports, "Exports")):
            self.inspector_tabs.addTab(panel, title)
        self.editor = ConfigEditor(self)
        self.editor.set_module_name(self.path.name)
        self.presets = PresetBar(self)
        config_side = _column(self, self.presets, self.editor)

        tail = self.store.preferences.output_tail_lines
        self.stdout = OutputView("stdoutView", "stdout", tail, self)
        self.stderr = OutputView("stderrView", "stderr", tail, self)
        self.timings = TimingsView(self)
        self.history_view = HistoryView(self)
        self.history_view.set_history(self.history)
        self.banner = OutcomeBanner(self)
        self.output_tabs = QTabWidget(self)
        self.output_tabs.setObjectName("outputTabs")
        for view, title in ((self.stdout, "stdout"), (self.stderr, "stderr"), (self.timings, "Timings"),
                            (self.history_view, "History")):
            self.output_tabs.addTab(view, title)
        output_side = _column(self, self.banner, self.output_tabs)
        self._add_registered_panels()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("documentSplitter")
        for side in (self.inspector_tabs, config_side, output_side):
            self.splitter.addWidget(side)
        self.splitter.setChildrenCollapsible(False)
        sizes = self.store.window.splitters.get("document")
        self.splitter.setSizes(sizes if sizes and len(sizes) == 3 else DEFAULT_SPLIT)
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
                self.context.notify(f"The {title} tab is not available: {e}", "warning")
                continue
            self.panels[title] = panel
            if any(word in title.lower() for word in OUTPUT_SIDE_PANELS):
                self.output_tabs.insertTab(2, panel, title)
            else:
                self.inspector_tabs.addTab(panel, title)

    def _wire(self) -> None:
        m = self.model
        m.notify.connect(self.notify)
        m.statusChanged.connect(self.statusChanged)
        m.runningChanged.connect(self.runningChanged)
        m.inspected.connect(self.inspected)
        m.inspected.connect(self.presets.refresh)
        m.reportArrived.connect(self.editor.set_report)
        m.inspectFailed.connect(self.overview.set_error)
        m.configApplied.connect(self.editor.set_config)
        m.runStarting.connect(self._clear_outcome)
        m.runEnded.connect(self._show_outcome)
        self.editor.configEdited.connect(self._on_config_edited)
        self.context.configChanged.connect(self._on_context_config)
        self.presets.configChosen.connect(m.apply_config)
        self.presets.copyCommand.connect(self.copy_wasmtime_command)
        self.presets.bind(self.store, lambda: (self.path, self.sha256), lambda: self.context.config)
        self.presets.notify.connect(self.notify)
        c = self.controller
        c.output.connect(lambda stream, text: self._view(stream).append(text))
        c.skipped.connect(lambda stream, n: self._view(stream).note_skipped(n))
        self.history_view.compareRequested.connect(self.compare)
        self.history_view.restoreRequested.connect(lambda r: m.apply_config(r.run_config))

    def _view(self, stream: str) -> OutputView:
        return self.stdout if stream == "stdout" else self.stderr

    # ---- configuration ------------------------------------------------------------------------------

    def _on_config_edited(self, config: RunConfig) -> None:
        config.denied = list(self.context.config.denied)
        config.trace = self.context.config.trace
        self._editing = True
        try:
            self.context.set_config(config)
        finally:
            self._editing = False
        self.model.save_config_soon()

    def _on_context_config(self) -> None:
        """Another panel (the capability lab) changed the configuration: show it and keep it."""
        if not self._editing and not self.model.applying:
            self.editor.set_config(self.context.config)
            self.model.save_config_soon()

    def _apply_config(self, config: RunConfig, save: bool = True) -> None:
        self.model.apply_config(config, save)

    def reload(self) -> None:
        self.model.reload()

    def save_config(self) -> None:
        self.model.save_config()

    def copy_wasmtime_command(self) -> str:
        from PySide6.QtGui import QGuiApplication

        command = self.context.config.wasmtime_command(str(self.path))
        QGuiApplication.clipboard().setText(command)
        self.notify.emit("Copied: " + command, "info")
        return command

    # ---- running ------------------------------------------------------------------------------------

    def run(self) -> bool:
        return self.model.run()

    def stop(self) -> None:
        self.model.stop()

    def _clear_outcome(self) -> None:
        self.stdout.clear()
        self.stderr.clear()
        self.banner.show_running()

    def _show_outcome(self, result: RunResult) -> None:
        self.banner.show_result(result)
        self.timings.set_result(result)
        self.stdout.set_full_output(result.stdout, result.stdout_file)
        self.stderr.set_full_output(result.stderr, result.stderr_file)
        self.history_view.set_history(self.history)

    def compare(self, older: RunRecord, newer: RunRecord) -> CompareDialog:
        dialog = CompareDialog(compare_runs(older, newer), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.last_compare = dialog
        return dialog

    def close_document(self) -> None:
        """Stop a run cleanly, keep the configuration, tell every panel; before the document goes away."""
        self.model.close()
