"""The one contract of a document's tabs, built-in and registered alike.

A panel gets the document's context (path, configuration, runs, the window's `Background`), receives the
typed inspection report (`core.inspect.report.Report`, or None while a file cannot be read) in `show_report`
(each panel in its own turn of the event loop, so a dozen panels showing a report never stall the window;
a report replaced before its turn is skipped),
reports messages with a level through `message`, and is told in `closing` that its document closes; its
background results are dropped from then on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from wasi_playground.gui.document.context import DocumentContext

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report


class Panel(QWidget):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        context.reportChanged.connect(self._report_soon)
        context.closing.connect(self._close)

    def show_report(self, report: Report | None) -> None:
        """A new inspection (after open or reload). Override to show it."""

    def _report_soon(self, report: Report | None) -> None:
        def show_if_current() -> None:
            if report is self.context.report:
                self.show_report(report)

        self.context.background.soon(self, show_if_current)

    def message(self, text: str, level: str = "info") -> None:
        self.context.notify(text, level)

    def in_background(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None, key: str | None = None) -> int:
        """`fn` on a worker; the answer comes back to this panel on the GUI thread, unless it closed."""
        return self.context.background.run(self, fn, on_done, on_error, key)

    def closing(self) -> None:
        """The document closes. Override to stop work or release what the panel holds."""

    def _close(self) -> None:
        self.context.background.forget(self)
        self.closing()
