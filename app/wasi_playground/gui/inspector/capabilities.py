"""The capability lab's switches: one per capability group; a cleared switch denies the group's calls."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel

GROUP_HINTS = {
    "stdio": "read stdin, write stdout/stderr", "args": "see its command-line arguments",
    "environment": "see environment variables", "clocks": "read clocks", "random": "get random bytes",
    "filesystem": "use preopened directories", "sockets": "use sockets", "polling": "wait on clocks or fds",
    "process": "yield (exit always works)", "signals": "raise signals", "threads": "spawn threads",
}


class CapabilitiesPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("capabilitiesPanel")
        layout = QVBoxLayout(self)
        intro = QLabel("Switch a group off and run again: its calls return ENOTCAPABLE and the trace shows "
                       "them as denied.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.switches: dict[str, QCheckBox] = {}
        for group in CAPABILITY_GROUPS:
            box = QCheckBox(f"{group} — {GROUP_HINTS.get(group, '')}", objectName=f"capability_{group}")
            box.toggled.connect(lambda on, g=group: self._toggled(g, on))
            layout.addWidget(box)
            self.switches[group] = box
        layout.addStretch(1)
        context.configChanged.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        denied = set(self.context.config.denied)
        for group, box in self.switches.items():
            box.blockSignals(True)
            box.setChecked(group not in denied)
            box.blockSignals(False)

    def _toggled(self, group: str, allowed: bool) -> None:
        denied = [g for g in self.context.config.denied if g != group]
        if not allowed:
            denied.append(group)
        self.context.config.denied = [g for g in CAPABILITY_GROUPS if g in denied]
        self.context.configChanged.emit()
