"""One open module on screen: a side list of the views that apply (grouped by question), the chosen view,
and the configuration column that folds away.

What the document does (inspection, saving, runs, history, spill files, the file watcher) lives in
`DocumentModel`; this widget lays out the views and connects them to it. Every view is a `Panel` over the
module's `DocumentContext`: Overview, Imports, Exports and Run output are made at once; the panels of
`gui/document/panels.py` are made when first shown or, one per event-loop turn, after the module is read,
so opening a module never stalls the window for all of them at once.
"""

from __future__ import annotations

import importlib
import logging
import re
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.inspect.report import Report
from wasi_playground.core.inspect.views import (
    ViewFacts,
    ViewSpec,
    ViewVerdict,
    always,
    read_view_facts,
    view_key,
    view_verdicts,
)
from wasi_playground.core.state.diff import compare_runs
from wasi_playground.core.state.history import RunRecord
from wasi_playground.gui.configure.config_editor import ConfigEditor
from wasi_playground.gui.configure.preset_bar import PresetBar
from wasi_playground.gui.document.accessibility import name_unlabelled_controls
from wasi_playground.gui.document.document_model import DocumentModel
from wasi_playground.gui.document.navigator import DocumentNavigator
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.document.panels import PANELS
from wasi_playground.gui.document.progress_note import ProgressNote
from wasi_playground.gui.document.services import WindowServices
from wasi_playground.gui.inspector.imports_view import ExportsView, ImportsView
from wasi_playground.gui.inspector.overview import OverviewPanel
from wasi_playground.gui.outcome.compare_dialog import CompareDialog
from wasi_playground.gui.shell.run_output_page import RunOutputPage

log = logging.getLogger(__name__)

TRY_IT = "try"
NAMED_VIEWS = ("imports", "exports", "output", "trace")
"""Made first: their widgets carry the names of DESIGN.md that tests and screen readers look for."""
RUN_VIEWS = (*NAMED_VIEWS, "capabilities")
"""The views that follow a run as it happens (output, trace, call counts): made before a run starts."""
BEFORE_REPORT = [ViewVerdict("overview", "Overview", "what", "")]


def load_panel(spec: str) -> type[QWidget]:
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
    layoutChanged = Signal()
    """The user moved a column or folded the configuration (the window keeps one layout for all)."""

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
        self.panels: dict[str, QWidget] = {}
        """Registered panels made so far, by title."""
        self._extra_views: list[ViewSpec] = []
        self._facts = ViewFacts()
        self._verdicts: list[ViewVerdict] = list(BEFORE_REPORT)
        self._editing = False
        self._reading = False
        self._run_when_read = False
        self._build()
        self._wire()

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
        self.navigator = DocumentNavigator(self)
        self.navigator.pageBuilt.connect(lambda _key, page: name_unlabelled_controls(page))
        self.overview = OverviewPanel(self.context, self)
        self.navigator.add_view("overview", lambda: self.overview)
        self.navigator.page("overview")
        self.navigator.add_view("imports", lambda: ImportsView(self.context, self.navigator.pages))
        self.navigator.add_view("exports", lambda: ExportsView(self.context, self.navigator.pages))
        self.navigator.add_view("output", self._make_output)
        for title, spec in PANELS:
            key = view_key(title)
            if key is None:  # a panel with a view of its own: listed under "What is inside"
                key = re.sub(r"\W+", "-", title.lower()).strip("-")
                self._extra_views.append(ViewSpec(key, title, "inside", always))
            self.navigator.add_view(key, partial(self._make_panel, title, spec))
        self._editor: ConfigEditor | None = None
        self._presets: PresetBar | None = None
        self.context.background.soon(self, self._build_next_page)  # one part per turn
        self.navigator.set_verdicts(BEFORE_REPORT)
        self.reading = ProgressNote(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.reading)
        layout.addWidget(self.navigator, 1)

    def _build_config(self) -> None:
        while self._build_config_part():
            pass

    def _build_config_part(self) -> bool:
        """Make the next part of the configuration column (the editor, then the presets and the wiring,
        each a turn's work); False when the column is complete."""
        if self._editor is None:
            self._editor = ConfigEditor(self)
            self._editor.set_module_name(self.path.name)
            return True
        if self._presets is not None:
            return False
        editor = self._editor
        self._presets = presets = PresetBar(self)
        self.navigator.set_config_widget(_column(self, presets, editor))
        if self.context.report is not None:
            editor.set_report(self.context.report)
        editor.set_config(self.context.config)
        editor.configEdited.connect(self._on_config_edited)
        presets.configChosen.connect(self.model.apply_config)
        presets.copyCommand.connect(self.copy_wasmtime_command)
        presets.bind(self.store, lambda: (self.path, self.sha256), lambda: self.context.config)
        presets.notify.connect(self.notify)
        presets.refresh()
        name_unlabelled_controls(self.navigator.config)
        return True

    @property
    def editor(self) -> ConfigEditor:
        self._build_config()
        assert self._editor is not None
        return self._editor

    @property
    def presets(self) -> PresetBar:
        self._build_config()
        assert self._presets is not None
        return self._presets

    def _make_output(self) -> RunOutputPage:
        page = RunOutputPage(self.history, self.store.preferences.output_tail_lines, self.navigator.pages)
        c = self.controller
        c.output.connect(lambda stream, text: page.view(stream).append(text))
        c.skipped.connect(lambda stream, n: page.view(stream).note_skipped(n))
        c.phaseChanged.connect(page.phase)
        self.model.runStarting.connect(lambda: page.starting(self.stop))
        self.model.runEnded.connect(lambda result: page.ended(result, self.history))
        page.history_view.compareRequested.connect(self.compare)
        page.history_view.restoreRequested.connect(lambda r: self.model.apply_config(r.run_config))
        return page

    # Views made on first use keep their names on the document, for the window, tests and scripts.
    imports = property(lambda self: self.navigator.page("imports"))
    exports = property(lambda self: self.navigator.page("exports"))
    output = property(lambda self: self.navigator.page("output"))
    stdout = property(lambda self: self.output.stdout)
    stderr = property(lambda self: self.output.stderr)
    timings = property(lambda self: self.output.timings)
    banner = property(lambda self: self.output.banner)
    output_tabs = property(lambda self: self.output.output_tabs)
    history_view = property(lambda self: self.output.history_view)

    def _make_panel(self, title: str, spec: str) -> QWidget | None:
        try:
            panel = load_panel(spec)(self.context, self.navigator.pages)
        except Exception as e:  # one broken panel must not stop the window
            log.warning("panel %s (%s) not loaded: %s", title, spec, e)
            self.context.notify(f"The {title} view is not available: {e}", "warning")
            return None
        if isinstance(panel, Panel) and self.context.report is not None:
            panel.show_report(self.context.report)
        self.panels[title] = panel
        return panel

    def _wire(self) -> None:
        m = self.model
        m.notify.connect(self.notify)
        m.statusChanged.connect(self.statusChanged)
        m.runningChanged.connect(self.runningChanged)
        m.inspected.connect(self.inspected)
        m.inspected.connect(self.reading.finish)
        m.inspected.connect(self._run_if_asked)
        m.inspected.connect(lambda: self.presets.refresh())
        m.reportArrived.connect(lambda report: self.editor.set_report(report))
        m.reportArrived.connect(self._on_report)
        m.inspectFailed.connect(self.overview.set_error)
        m.configApplied.connect(lambda config: self.editor.set_config(config))
        self.context.configChanged.connect(self._on_context_config)
        self.navigator.splitter.splitterMoved.connect(lambda *_: self.layoutChanged.emit())
        self.navigator.config.foldedChanged.connect(lambda _folded: self.layoutChanged.emit())

    # ---- which views apply --------------------------------------------------------------------------

    def _on_report(self, report: Report) -> None:
        self._build_named_views()
        self._show_verdicts(report)
        self.context.background.run(self, lambda: read_view_facts(report),
                                    lambda facts: self._on_facts(report, facts), lambda _e: None,
                                    key=f"view-facts-{id(self)}")
        self.context.background.soon(self, self._build_next_page)

    def _on_facts(self, report: Report, facts: ViewFacts) -> None:
        if facts != self._facts and report is self.context.report:
            self._facts = facts
            self._show_verdicts(report)

    def _show_verdicts(self, report: Report) -> None:
        verdicts = view_verdicts(report, self._facts, self._extra_views)
        self._verdicts = [v for v in verdicts if self.navigator.has_view(v.key)]  # no page, not listed
        self.navigator.set_verdicts(self._verdicts)

    def _applicable(self) -> list[str]:
        return self.navigator.views.keys()

    def _pending_order(self) -> list[str]:
        """The views whose widgets others find by name first, then the views that apply."""
        return [*NAMED_VIEWS, *(self._applicable() if self.context.report is not None else [])]

    def _build_next_page(self) -> None:
        """Make one part (of the configuration, then one page), then give the event loop a turn. Reading
        the module starts once the named views exist, so its report finds them all."""
        if not self._build_config_part() and self.navigator.build_next_pending(self._pending_order()) is None:
            if not self._reading:
                self.reload()
            return  # all made; the report starts the chain again for the views that apply
        self.context.background.soon(self, self._build_next_page)

    def _build_named_views(self) -> None:
        """The widgets DESIGN.md names (argsEdit, importsView, traceView, stdoutView...) exist once the
        module is read; usually the turn-by-turn chain has made them already."""
        self._build_config()
        while self.navigator.build_next_pending(list(NAMED_VIEWS)) is not None:
            pass

    def _build_run_views(self) -> None:
        self._build_config()
        while self.navigator.build_next_pending(list(RUN_VIEWS)) is not None:
            pass

    def show_view(self, key: str) -> None:
        self.navigator.show_view(key)

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
        self._reading = True
        self.reading.start(f"Reading {self.path.name}")
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
        """Run; panels that follow runs (RUN_VIEWS) exist first, and the output comes into view unless
        the user is already looking at one of the "Try it" views. Asked before the module is read (its
        saved or prepared configuration is not applied yet), the run starts once it is."""
        if self.sha256 is None and self.inspect_error is None:
            self._run_when_read = True
            return False
        self._build_run_views()
        current = self.navigator.current_view()
        question = next((v.question for v in self._verdicts if v.key == current), "")
        if question != TRY_IT:
            self.navigator.show_view("output")
        return self.model.run()

    def _run_if_asked(self) -> None:
        if self._run_when_read:
            self._run_when_read = False
            self.run()

    def stop(self) -> None:
        self.model.stop()

    def compare(self, older: RunRecord, newer: RunRecord) -> CompareDialog:
        dialog = CompareDialog(compare_runs(older, newer), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.last_compare = dialog
        return dialog

    def close_document(self) -> None:
        """Stop a run cleanly, keep the configuration, tell every panel; before the document goes away."""
        self.model.close()
