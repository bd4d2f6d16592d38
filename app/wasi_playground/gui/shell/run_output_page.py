"""The "Run output" view: how the last run ended, what it is doing now and for how long (with Stop), its
stdout and stderr, its timings and the history of runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.history import RunHistory
from wasi_playground.core.window_words import window_words
from wasi_playground.gui.document.progress_note import ProgressNote
from wasi_playground.gui.outcome.history_view import HistoryView
from wasi_playground.gui.outcome.outcome_banner import OutcomeBanner
from wasi_playground.gui.outcome.output_view import OutputView
from wasi_playground.gui.outcome.timings_view import TimingsView

PHASE_WORDS = {"read": "Reading the module", "compile": "Compiling", "instantiate": "Instantiating",
               "run": "Running", "done": "Finishing"}


class RunOutputPage(QWidget):
    def __init__(self, history: RunHistory, tail_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runOutputPage")
        self.banner = OutcomeBanner(self)
        self.progress = ProgressNote(self)
        self.stdout = OutputView("stdoutView", "stdout", tail_lines, self)
        self.stderr = OutputView("stderrView", "stderr", tail_lines, self)
        self.timings = TimingsView(self)
        self.history_view = HistoryView(self)
        self.history_view.set_history(history)
        self.output_tabs = QTabWidget(self)
        self.output_tabs.setObjectName("outputTabs")
        for view, title in ((self.stdout, "stdout"), (self.stderr, "stderr"), (self.timings, "Timings"),
                            (self.history_view, "History")):
            self.output_tabs.addTab(view, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.progress)
        layout.addWidget(self.output_tabs, 1)

    def view(self, stream: str) -> OutputView:
        return self.stdout if stream == "stdout" else self.stderr

    def starting(self, stop: Callable[[], None]) -> None:
        self.stdout.clear()
        self.stderr.clear()
        self.banner.show_running()
        self.progress.start(PHASE_WORDS["read"], cancel=stop)

    def phase(self, name: str) -> None:
        self.progress.relabel(PHASE_WORDS.get(name, name.capitalize()))

    def ended(self, result: RunResult, history: RunHistory) -> None:
        self.progress.finish()
        self.banner.show_result(replace(result, error=window_words(result.error)) if result.error else result)
        self.timings.set_result(result)
        self.stdout.set_full_output(result.stdout, result.stdout_file)
        self.stderr.set_full_output(result.stderr, result.stderr_file)
        self.history_view.set_history(history)
