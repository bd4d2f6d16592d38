"""The argument form of the selected function: one field per parameter, built from its signature.

Core parameters get checked text fields; component parameters get nested value editors built from the WIT
types, or WAVE text fields when "Edit as text" is ticked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from wasi_playground.gui.calls.arg_edits import CoreArgEdit, WaveTextEdit
from wasi_playground.gui.calls.value_editor import ValueEditor, make_editor


class CallForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: list[Any] = []
        self.signature = QLabel("", self)
        self.signature.setObjectName("callSignature")
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.signature)
        layout.addWidget(scroll, 1)

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = []

    def build(self, session: Any, function: Any, as_text: bool) -> None:
        self.clear()
        self.signature.setText(f"{function.name}: {function.signature}")
        if session.kind == "component":
            info = session.function_info(function.name)
            names = session.names_for(info)
            for param, ty in info.params:
                editor = (
                    WaveTextEdit(make_editor(ty, names).text(), self.form_host)
                    if as_text
                    else make_editor(ty, names, self.form_host)
                )
                self.add_row(f"{param}:", editor)
        else:
            for i, valtype in enumerate(function.params):
                self.add_row(f"{i + 1} ({valtype}):", CoreArgEdit(valtype, i + 1, self.form_host))

    def add_row(self, label: str, editor: QWidget) -> None:
        self.editors.append(editor)
        self.form.addRow(label, editor)

    def arguments(self) -> list[str]:
        return [e.text() if isinstance(e, ValueEditor) else e.text_value() for e in self.editors]

    def fill_text(self, texts: list[str]) -> None:
        for edit, text in zip(self.editors, texts, strict=False):
            edit.setText(text)
