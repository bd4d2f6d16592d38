"""Text fields for one argument: a core parameter checked as typed, or a component value as WAVE text."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from wasi_playground.core.engine.config import ConfigError
from wasi_playground.core.engine.invoke_args import parse_arg

PLACEHOLDERS = {
    "i32": "i32: decimal or 0x hex", "i64": "i64: decimal or 0x hex", "f32": "f32: 1.5, inf, nan",
    "f64": "f64: 1.5, inf, nan", "v128": "v128: 32 hex digits",
}


class CoreArgEdit(QLineEdit):
    """One core parameter: text checked against its type as it is typed."""

    def __init__(self, valtype: str, position: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.valtype = valtype
        self.position = position
        self.setPlaceholderText(PLACEHOLDERS.get(valtype, valtype))
        self.setText("0" if valtype in ("i32", "i64") else "0.0" if valtype in ("f32", "f64") else "")
        self.textChanged.connect(self.check)

    def check(self) -> bool:
        try:
            parse_arg(self.text(), self.valtype, self.position)
        except ConfigError as e:
            self.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }")
            self.setToolTip(str(e))
            return False
        self.setStyleSheet("")
        self.setToolTip(self.valtype)
        return True

    def text_value(self) -> str:
        return self.text()


class WaveTextEdit(QLineEdit):
    """A component argument typed as WAVE text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setPlaceholderText("WAVE text")

    def text_value(self) -> str:
        return self.text()
