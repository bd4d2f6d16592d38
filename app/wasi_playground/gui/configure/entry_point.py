"""Which function a run starts: the command's `_start` (or `wasi:cli/run`), or an exported function with
one typed field per parameter, built from the export's signature in the report."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator, QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report

COMMAND = "(run as a command)"
INTEGER_TYPES = {"i32", "i64", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64"}
FLOAT_TYPES = {"f32", "f64", "float32", "float64"}


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside <>, () or []."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


WAT_PARAM = re.compile(r"\(param\s+([^()]*)\)")


def parse_params(signature: str) -> list[tuple[str, str]]:
    """(name, type) of each parameter of "(func (param i32 i64) (result i32))" (the inspector's WAT form),
    "(func (param $a i32) (param $b f64))", or "(a: s32, b: string) -> ..." (a WIT-like form)."""
    groups = WAT_PARAM.findall(signature)
    if groups or signature.lstrip().startswith("(func"):
        params: list[tuple[str, str]] = []
        for group in groups:
            tokens = group.split()
            if len(tokens) == 2 and tokens[0].startswith("$"):
                params.append((tokens[0][1:], tokens[1]))
            else:
                params += [(f"arg{len(params) + i}", t) for i, t in enumerate(tokens)]
        return params
    start = signature.find("(")
    end = signature.find(")", start)
    if start < 0 or end < 0:
        return []
    params = []
    for i, part in enumerate(split_top_level(signature[start + 1 : end])):
        name, _, typ = part.rpartition(":")
        params.append((name.strip() or f"arg{i}", typ.strip()))
    return params


def function_exports(report: Report) -> list[tuple[str, str]]:
    """(name, signature) of each exported function but the command entry points."""
    if report.module is not None:
        exports = [(e.name, e.kind, e.type) for e in report.module.exports]
    elif report.component is not None:
        exports = [(e.name, e.kind, f"({e.kind})") for e in report.component.exports]
    else:
        exports = []
    return [(name, type_) for name, kind, type_ in exports
            if kind in ("func", "function") and name not in ("_start", "_initialize")]


class EntryPoint(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("entryPointCombo")
        self.combo.addItem(COMMAND, None)
        self.combo.currentIndexChanged.connect(self._rebuild_fields)
        self.fields_box = QWidget(self)
        self.form = QFormLayout(self.fields_box)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.fields: list[QLineEdit] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.fields_box)
        self._signatures: dict[str, str] = {}

    def set_report(self, report: Report) -> None:
        current = self.invoke()
        values = self.invoke_args()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(COMMAND, None)
        self._signatures = dict(function_exports(report))
        for name, sig in self._signatures.items():
            self.combo.addItem(f"{name} {sig}".strip(), name)
        self.combo.blockSignals(False)
        self.set_invoke(current, values)

    def set_invoke(self, name: str | None, args: list[str]) -> None:
        index = self.combo.findData(name) if name else 0
        if name and index < 0:
            self.combo.addItem(f"{name} (not exported)", name)
            index = self.combo.count() - 1
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self._rebuild_fields(emit=False)
        for field, value in zip(self.fields, args, strict=False):
            field.setText(value)

    def _rebuild_fields(self, *_: Any, emit: bool = True) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = []
        name = self.invoke()
        for pname, ptype in parse_params(self._signatures.get(name or "", "")) if name else []:
            edit = QLineEdit(self.fields_box)
            edit.setPlaceholderText(ptype)
            base = ptype.split()[0].lower()
            if base in INTEGER_TYPES:
                edit.setValidator(QRegularExpressionValidator(r"-?(0x[0-9a-fA-F]+|[0-9]+)", edit))
            elif base in FLOAT_TYPES:
                edit.setValidator(QDoubleValidator(edit))
            edit.textChanged.connect(lambda _t: self.changed.emit())
            self.form.addRow(f"{pname}: {ptype}", edit)
            self.fields.append(edit)
        self.fields_box.setVisible(bool(self.fields))
        if emit:
            self.changed.emit()

    def invoke(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def invoke_args(self) -> list[str]:
        return [f.text().strip() for f in self.fields]
