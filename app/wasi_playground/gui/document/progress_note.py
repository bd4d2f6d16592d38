"""A line that says what long work is going on, for how long already, and offers Cancel when it can stop.

Panels put one above their content: `start("Scanning data", cancel=...)` while a worker reads a big module,
`finish()` when the result arrives. The elapsed time is redrawn a few times a second by a timer on the
GUI thread; the work itself never runs here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

TICK_MS = 200
SHOW_AFTER_MS = 150
"""Work that ends sooner never flashes the note on screen."""


class ProgressNote(QWidget):
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressNote")
        self.label = QLabel(self)
        self.label.setObjectName("progressText")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(12)
        self.bar.setAccessibleName("Working")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("progressCancel")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._what = ""
        self._on_cancel: Callable[[], None] | None = None
        self.hide()

    @property
    def busy(self) -> bool:
        return self._timer.isActive()

    def start(self, what: str, cancel: Callable[[], None] | None = None) -> None:
        """Say `what` is going on ("Compiling"), with Cancel only when `cancel` is given."""
        self._what = what
        self._on_cancel = cancel
        self.cancel_button.setVisible(cancel is not None)
        self.cancel_button.setEnabled(True)
        self._clock.start()
        self._timer.start()
        self._tick()

    def relabel(self, what: str) -> None:
        """Say what is going on now without restarting the clock (a run going from compiling to running)."""
        self._what = what
        if self.busy:
            self._tick()

    def finish(self) -> None:
        self._timer.stop()
        self._on_cancel = None
        self.hide()

    def elapsed_s(self) -> float:
        return self._clock.elapsed() / 1000 if self._clock.isValid() else 0.0

    def text(self) -> str:
        return self.label.text()

    def _tick(self) -> None:
        self.label.setText(f"{self._what}… {self.elapsed_s():.1f} s")
        if not self.isVisible() and self._clock.elapsed() >= SHOW_AFTER_MS:
            self.show()

    def _cancel(self) -> None:
        if self._on_cancel is not None:
            self.cancel_button.setEnabled(False)
            self._what = f"Cancelling {self._what[:1].lower()}{self._what[1:]}"
            self._on_cancel()
            self.cancelled.emit()
