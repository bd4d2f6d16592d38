"""The Validation tab: is the module valid, and if not, the first error, its offset and its function."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wasi_playground.core.validate import ValidationResult, validate_path
from wasi_playground.gui.context import DocumentContext
from wasi_playground.gui.tasks import run_task


class ValidationPanel(QWidget):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._pending = True
        self.result: ValidationResult | None = None
        self.verdict = QLabel()
        self.verdict.setObjectName("validationVerdict")
        self.verdict.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.again = QPushButton("Validate again")
        row = QHBoxLayout()
        row.addWidget(self.verdict, 1)
        row.addWidget(self.again)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.again.clicked.connect(self.load)
        context.reportChanged.connect(self._on_report)

    def _on_report(self, _report: object) -> None:
        self._pending = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._pending:
            self.load()

    def load(self) -> None:
        self._pending = False
        self.verdict.setText("Validating…")
        self.details.clear()
        path = self.context.path
        report = self.context.report
        if report is not None and getattr(report, "format", "binary") == "wat":
            wasm = report.wasm
            run_task(lambda: _validate_bytes(wasm), self._show, self._on_error, key=f"validate-{id(self)}")
            return
        run_task(lambda: validate_path(path), self._show, self._on_error, key=f"validate-{id(self)}")

    def _show(self, result: ValidationResult) -> None:
        self.result = result
        if result.ok:
            self.verdict.setText(f"✔ Valid ({result.validator})")
            return
        self.verdict.setText(f"✘ Invalid: {result.message}")
        parts = []
        if result.offset is not None:
            parts.append(f"at byte offset {result.offset} (0x{result.offset:x})")
        if result.function_index is not None:
            parts.append(f"in function {result.function_index}"
                         + (f" — {result.function_name}" if result.function_name else ""))
        self.details.setText(", ".join(parts))

    def _on_error(self, exc: BaseException) -> None:
        self.verdict.setText(f"Cannot validate: {exc}")


def _validate_bytes(wasm: bytes) -> ValidationResult:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "module.wasm"
        path.write_bytes(wasm)
        return validate_path(path)
