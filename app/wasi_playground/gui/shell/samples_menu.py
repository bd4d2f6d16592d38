"""The Samples menu: every bundled sample with one line on what it teaches; choosing one opens it with the
configuration that makes its point."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMenu

log = logging.getLogger(__name__)


def load_samples() -> list[Any]:
    try:
        from wasi_playground.core.samples import list_samples

        return list_samples()
    except Exception as e:  # a broken sample folder must not stop the window
        log.warning("samples unavailable: %s", e)
        return []


def load_lessons() -> list[Any]:
    """The samples grouped into lessons for the first screen; none (and a log line) if they cannot load."""
    try:
        from wasi_playground.core.samples import lessons

        return lessons()
    except Exception as e:  # a broken sample folder must not stop the window
        log.warning("lessons unavailable: %s", e)
        return []


class SamplesMenu(QMenu):
    def __init__(self, open_sample: Callable[[Any], None], parent=None) -> None:
        super().__init__("&Samples", parent)
        self.setObjectName("samplesMenu")
        self.setToolTipsVisible(True)
        self.open_sample = open_sample
        self.samples = load_samples()
        for sample in self.samples:
            action = self.addAction(f"{sample.title} — {sample.teaches}")
            action.setToolTip(sample.description)
            action.setData(sample.name)
            action.triggered.connect(lambda _=False, s=sample: self.open_sample(s))
        if not self.samples:
            self.addAction("(no samples installed)").setEnabled(False)
