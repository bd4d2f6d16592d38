"""How the last run ended, shown prominently above the output: exit code, trap with backtrace, stop,
timeout, or why it could not start."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from wasi_playground.core.engine.result import RunResult
from wasi_playground.gui.palette import is_dark

STYLES = {
    "ok": ("#1e6b34", "#dcf5e3"),
    "warn": ("#7a4b00", "#fff1cc"),
    "bad": ("#7f1d1d", "#fde2e2"),
    "busy": ("#1f4e79", "#d6e9f8"),
}
DARK_STYLES = {
    "ok": ("#bff0cc", "#1f4a2b"),
    "warn": ("#ffe3a3", "#4a3711"),
    "bad": ("#ffd0d0", "#5a2424"),
    "busy": ("#cfe4ff", "#1d3550"),
}


def describe(result: RunResult) -> tuple[str, str]:
    """(style, rich text) for a result."""
    if result.error:
        return "bad", f"<b>Could not run</b>: {html.escape(result.error)}"
    if result.cancelled:
        return "warn", "<b>Stopped</b> by you."
    if result.timed_out:
        return "warn", "<b>Timed out</b>: the run hit its time limit and was stopped."
    if result.trap is not None:
        trap = result.trap
        text = (
            f"<b>Trap</b>{f' ({html.escape(trap.code)})' if trap.code else ''}: {html.escape(trap.message)}"
        )
        if result.limit_message:
            text += f"<br>{html.escape(result.limit_message)}"
        frames = [
            f"#{i} {html.escape(f.func_name or f'func[{f.func_index}]')}"
            + (f" @ 0x{f.module_offset:x}" if f.module_offset is not None else "")
            for i, f in enumerate(trap.frames[:12])
        ]
        if frames:
            text += "<br><span style='font-family:monospace'>" + "<br>".join(frames) + "</span>"
        if len(trap.frames) > 12:
            text += f"<br>… {len(trap.frames) - 12} more frames"
        return "bad", text
    code = result.exit_code
    style = "ok" if code in (0, None) else "warn"
    text = "<b>Finished</b>" if code is None else f"<b>Exited with code {code}</b>"
    if result.results is not None:
        text += f" — returned {html.escape(repr(result.results))}"
    for note in result.notes:
        text += f"<br>{html.escape(note)}"
    return style, text


class OutcomeBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMargin(6)
        self.style_name = ""
        self.hide()

    def _show(self, style: str, text: str) -> None:
        fg, bg = (DARK_STYLES if is_dark() else STYLES)[style]
        self.style_name = style
        self.setStyleSheet(f"QLabel#outcomeBanner {{ color: {fg}; background: {bg}; border-radius: 4px; }}")
        self.setText(text)
        self.show()

    def show_running(self) -> None:
        self._show("busy", "<b>Running…</b> (Shift+F5 stops it)")

    def show_result(self, result: RunResult) -> None:
        self._show(*describe(result))
