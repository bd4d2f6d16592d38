"""Editors for component values, built from the value's type, that produce WAVE text.

Strings, numbers and chars are line edits (strings and chars are quoted for you), bools and flags are
check boxes, enums are combo boxes, records and tuples are nested forms, lists grow and shrink with
buttons, and options, results and variants pick a case and show that case's payload editor. Each editor
only assembles text: the core parses it against the type and says what is wrong and where.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from wasmtime import component as wc

from wasi_playground.core.components.types import INT_RANGES, TypeNames, kind_name, render_type, variant_cases
from wasi_playground.core.components.wave import format_value


class ValueEditor(QWidget):
    """Base: `text()` is the WAVE text of what the user entered."""

    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ty = ty
        self.names = names
        self.setToolTip(render_type(ty, names))

    def text(self) -> str:
        raise NotImplementedError


class LineEditor(ValueEditor):
    """Numbers, strings, chars, resource handles: typed as text; strings and chars get quoted."""

    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        self.edit = QLineEdit(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        if type(ty) in INT_RANGES:
            low, high = INT_RANGES[type(ty)]
            self.edit.setPlaceholderText(f"{kind_name(ty)}: {low}..{high} (0x.. hex ok)")
            self.edit.setText("0")
        elif isinstance(ty, wc.F32 | wc.F64):
            self.edit.setPlaceholderText(f"{kind_name(ty)}: 1.5, -2e3, inf, nan")
            self.edit.setText("0.0")
        elif isinstance(ty, wc.Char):
            self.edit.setMaxLength(2)
            self.edit.setPlaceholderText("one character")
        elif isinstance(ty, wc.String):
            self.edit.setPlaceholderText("text (no quotes needed)")
        else:
            self.edit.setPlaceholderText("a handle this session holds, e.g. counter#1")

    def text(self) -> str:
        raw = self.edit.text()
        if isinstance(self.ty, wc.String):
            return format_value(raw, self.ty)
        if isinstance(self.ty, wc.Char):
            return format_value(raw[:1], self.ty) if len(raw) == 1 else f"'{raw}'"
        return raw.strip()


class BoolEditor(ValueEditor):
    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        self.box = QCheckBox("true", self)
        QHBoxLayout(self).addWidget(self.box)
        self.layout().setContentsMargins(0, 0, 0, 0)

    def text(self) -> str:
        return "true" if self.box.isChecked() else "false"


class EnumEditor(ValueEditor):
    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        self.combo = QComboBox(self)
        self.combo.addItems(ty.names)
        QHBoxLayout(self).addWidget(self.combo)
        self.layout().setContentsMargins(0, 0, 0, 0)

    def text(self) -> str:
        return format_value(self.combo.currentText(), self.ty)


class FlagsEditor(ValueEditor):
    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {name: QCheckBox(name, self) for name in ty.names}
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)

    def text(self) -> str:
        return format_value({n for n, box in self.boxes.items() if box.isChecked()}, self.ty)


class FieldsEditor(ValueEditor):
    """Records ({name: value}) and tuples ((a, b)): one nested editor per field."""

    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        layout = QFormLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        if isinstance(ty, wc.RecordType):
            fields = list(ty.fields)
        else:
            fields = [(str(i), t) for i, t in enumerate(ty.elements)]
        self.fields = [(name, make_editor(t, names, self)) for name, t in fields]
        for name, editor in self.fields:
            layout.addRow(f"{name}:", editor)

    def text(self) -> str:
        if isinstance(self.ty, wc.RecordType):
            if not self.fields:
                return "{:}"
            return "{" + ", ".join(f"{n}: {e.text()}" for n, e in self.fields) + "}"
        return "(" + ", ".join(e.text() for _, e in self.fields) + ")"


class ListEditor(ValueEditor):
    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        self.items: list[ValueEditor] = []
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(12, 0, 0, 0)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add item", self)
        self.remove_button = QPushButton("Remove last", self)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_item)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.box.addLayout(buttons)

    def add_item(self) -> ValueEditor:
        editor = make_editor(self.ty.element, self.names, self)
        self.items.append(editor)
        self.box.insertWidget(len(self.items) - 1, editor)
        return editor

    def remove_item(self) -> None:
        if self.items:
            editor = self.items.pop()
            editor.setParent(None)
            editor.deleteLater()

    def text(self) -> str:
        return "[" + ", ".join(e.text() for e in self.items) + "]"


class CaseEditor(ValueEditor):
    """Options, results and variants: a combo box of cases and the chosen case's payload editor."""

    def __init__(self, ty: Any, names: TypeNames, parent: QWidget | None = None) -> None:
        super().__init__(ty, names, parent)
        self.cases = variant_cases(ty)
        self.combo = QComboBox(self)
        self.stack = QStackedWidget(self)
        self.payloads: list[ValueEditor | None] = []
        for name, case_ty in self.cases:
            self.combo.addItem(name)
            editor = make_editor(case_ty, names, self.stack) if case_ty is not None else None
            self.payloads.append(editor)
            self.stack.addWidget(editor if editor is not None else QWidget(self.stack))
        self.combo.currentIndexChanged.connect(self.stack.setCurrentIndex)
        if isinstance(ty, wc.OptionType):
            self.combo.setCurrentIndex(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.stack)

    def set_case(self, name: str) -> None:
        self.combo.setCurrentIndex([n for n, _ in self.cases].index(name))

    def text(self) -> str:
        index = self.combo.currentIndex()
        name = self.cases[index][0]
        if not isinstance(self.ty, wc.OptionType | wc.ResultType) and name in (
            "true",
            "false",
            "some",
            "none",
            "ok",
            "err",
            "inf",
            "nan",
        ):
            name = f"%{name}"
        payload = self.payloads[index]
        return name if payload is None else f"{name}({payload.text()})"


def make_editor(ty: Any, names: TypeNames, parent: QWidget | None = None) -> ValueEditor:
    """The editor for a value of type `ty`."""
    if isinstance(ty, wc.Bool):
        return BoolEditor(ty, names, parent)
    if isinstance(ty, wc.EnumType):
        return EnumEditor(ty, names, parent)
    if isinstance(ty, wc.FlagsType):
        return FlagsEditor(ty, names, parent)
    if isinstance(ty, wc.RecordType | wc.TupleType):
        return FieldsEditor(ty, names, parent)
    if isinstance(ty, wc.ListType):
        return ListEditor(ty, names, parent)
    if isinstance(ty, wc.OptionType | wc.ResultType | wc.VariantType):
        return CaseEditor(ty, names, parent)
    return LineEditor(ty, names, parent)
