"""The Validation tab: is the module valid, and if not, the first error, its offset and its function —
with that function's WAT shown and the failing instruction's line selected."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wasi_playground.core.lookinside.validate import ValidationResult, validate_path
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.lookinside.common import LazyPanel
from wasi_playground.gui.lookinside.wat_view import RenderedFunction, WatView, render_function


class ValidationPanel(LazyPanel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
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
        self.wat_view = WatView()
        self.wat_view.setObjectName("validationWatView")
        self.wat_view.hide()
        layout.addWidget(self.wat_view, 1)
        layout.addStretch(1)
        self.again.clicked.connect(self.load)

    def start_load(self) -> None:
        self.verdict.setText("Validating…")
        self.details.clear()
        self.wat_view.hide()
        path = self.source
        report = self.context.report
        if report is not None and getattr(report, "format", "binary") == "wat":
            wasm = report.wasm
            self.in_background(lambda: _validate_bytes(wasm), self._show, self._on_error,
                               key=f"validate-{id(self)}")
            return
        self.in_background(lambda: validate_path(path), self._show, self._on_error,
                           key=f"validate-{id(self)}")

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
            parts.append(
                f"in function {result.function_index}"
                + (f" — {result.function_name}" if result.function_name else "")
            )
        self.details.setText(", ".join(parts))
        if result.function_index is not None and result.offset is not None:
            self._show_function(result.function_index, result.offset)

    def _show_function(self, index: int, offset: int) -> None:
        from wasi_playground.core.lookinside.functions import load_cached

        path = self.source
        report = self.context.report
        if report is not None and getattr(report, "format", "binary") == "wat":
            from wasi_playground.core.lookinside.functions import FunctionTable

            wasm = report.wasm

            def work() -> RenderedFunction:
                return render_function(FunctionTable.from_bytes(wasm), index)
        else:

            def work() -> RenderedFunction:
                return render_function(load_cached(path), index)

        self.in_background(
            work,
            lambda rendered: self._on_rendered(rendered, offset),
            lambda _e: None,
            key=f"validate-wat-{id(self)}",
        )

    def _on_rendered(self, rendered: RenderedFunction, offset: int) -> None:
        self.wat_view.show_rendered(rendered)
        self.wat_view.show()
        line = rendered.function.line_of_offset(offset)
        if line is not None:
            self.wat_view.select_line(line)

    def _on_error(self, exc: BaseException) -> None:
        self.verdict.setText(f"Cannot validate: {exc}")


def _validate_bytes(wasm: bytes) -> ValidationResult:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "module.wasm"
        path.write_bytes(wasm)
        return validate_path(path)
