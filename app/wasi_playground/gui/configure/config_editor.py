"""The run configuration editor: arguments, environment, folders, stdin, limits, entry point.

It edits a `RunConfig` and nothing else; `configEdited` fires with the new one after each change (the
document saves it and tells the other panels). Arguments use shell-like quoting and show the argv the
module will actually receive, so quoting mistakes are visible before running.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.engine.config import Limits, RunConfig, Stdin
from wasi_playground.gui.configure.dirs_table import DirsTable
from wasi_playground.gui.configure.entry_point import EntryPoint
from wasi_playground.gui.configure.env_table import EnvTable

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report

MIB = 1024 * 1024


def split_args(text: str) -> tuple[list[str], str | None]:
    """(argv, None) or (best effort, what is wrong)."""
    try:
        return shlex.split(text), None
    except ValueError as e:
        return text.split(), f"{e} — fix the quoting"


def _number(value: Any) -> float:
    """A limit as a number for a spin box; anything else (a damaged saved value) shows as no limit."""
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else 0.0
    )


class ConfigEditor(QScrollArea):
    configEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.module_name = "module.wasm"
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)

        self.args_edit = QLineEdit(body)
        self.args_edit.setObjectName("argsEdit")
        self.args_edit.setPlaceholderText('arguments, quoted like a shell: one "two words"')
        self.argv_label = QLabel(body)
        self.argv_label.setObjectName("argvPreview")
        self.argv_label.setWordWrap(True)
        self.args_edit.textChanged.connect(self._args_changed)
        args_box = QGroupBox("Arguments", body)
        args_layout = QVBoxLayout(args_box)
        args_layout.addWidget(self.args_edit)
        args_layout.addWidget(self.argv_label)
        layout.addWidget(args_box)

        self.entry = EntryPoint(body)
        entry_box = QGroupBox("Entry point", body)
        QVBoxLayout(entry_box).addWidget(self.entry)
        layout.addWidget(entry_box)

        self.env = EnvTable(body)
        env_box = QGroupBox("Environment (nothing is inherited from this computer)", body)
        QVBoxLayout(env_box).addWidget(self.env)
        layout.addWidget(env_box)

        self.dirs = DirsTable(body)
        dirs_box = QGroupBox("Folders the module may use", body)
        QVBoxLayout(dirs_box).addWidget(self.dirs)
        layout.addWidget(dirs_box)

        layout.addWidget(self._build_stdin(body))
        layout.addWidget(self._build_limits(body))
        layout.addStretch(1)

        for signal in (self.env.changed, self.dirs.changed, self.entry.changed):
            signal.connect(self._emit)
        self._loading = False
        self._args_changed()

    def _build_stdin(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Standard input", body)
        self.stdin_group = QButtonGroup(box)
        row = QHBoxLayout()
        self.stdin_buttons: dict[str, QRadioButton] = {}
        for kind, label in (("none", "None"), ("text", "Text"), ("file", "File")):
            button = QRadioButton(label, box)
            self.stdin_group.addButton(button)
            self.stdin_buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        self.stdin_buttons["none"].setChecked(True)
        self.stdin_text = QPlainTextEdit(box)
        self.stdin_text.setObjectName("stdinText")
        self.stdin_text.setMaximumHeight(80)
        self.stdin_file = QLineEdit(box)
        browse = QPushButton("Browse…", box)
        browse.clicked.connect(self._pick_stdin_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.stdin_file, 1)
        file_row.addWidget(browse)
        self.stdin_file_row = QWidget(box)
        self.stdin_file_row.setLayout(file_row)
        file_row.setContentsMargins(0, 0, 0, 0)
        v = QVBoxLayout(box)
        v.addLayout(row)
        v.addWidget(self.stdin_text)
        v.addWidget(self.stdin_file_row)
        self.stdin_group.buttonToggled.connect(lambda *_: (self._sync_stdin(), self._emit()))
        self.stdin_text.textChanged.connect(self._emit)
        self.stdin_file.textChanged.connect(self._emit)
        self._sync_stdin()
        return box

    def _build_limits(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Limits (0 = no limit)", body)
        form = QFormLayout(box)
        self.memory_spin = QSpinBox(box)
        self.memory_spin.setObjectName("memoryLimitSpin")
        self.memory_spin.setRange(0, 4096)
        self.memory_spin.setSuffix(" MiB")
        self.fuel_edit = QLineEdit(box)
        self.fuel_edit.setObjectName("fuelEdit")
        self.fuel_edit.setPlaceholderText("no fuel limit")
        self.fuel_edit.setInputMask("")
        self.timeout_spin = QDoubleSpinBox(box)
        self.timeout_spin.setObjectName("timeoutSpin")
        self.timeout_spin.setRange(0, 24 * 3600)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        form.addRow("Memory", self.memory_spin)
        form.addRow("Fuel", self.fuel_edit)
        form.addRow("Timeout", self.timeout_spin)
        for signal in (
            self.memory_spin.valueChanged,
            self.fuel_edit.textChanged,
            self.timeout_spin.valueChanged,
        ):
            signal.connect(self._emit)
        return box

    def _pick_stdin_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "File to use as standard input")
        if path:
            self.stdin_file.setText(path)

    def _sync_stdin(self) -> None:
        self.stdin_text.setVisible(self.stdin_buttons["text"].isChecked())
        self.stdin_file_row.setVisible(self.stdin_buttons["file"].isChecked())

    def set_module_name(self, name: str) -> None:
        """argv[0] shown in the preview when the configuration sets none (the runner uses the file name)."""
        self.module_name = name
        self._show_argv()

    def _show_argv(self) -> None:
        argv, problem = split_args(self.args_edit.text())
        argv0 = getattr(self, "_extra", RunConfig()).argv0
        shown = [argv0 or self.module_name, *argv]
        preview = "argv: " + "  ".join(f"[{i}] {a!r}" for i, a in enumerate(shown))
        self.argv_label.setText(f"<span style='color:#c0392b'>{problem}</span>" if problem else preview)

    def _args_changed(self) -> None:
        self._show_argv()
        self._emit()

    def _emit(self, *_: Any) -> None:
        if not self._loading:
            self.configEdited.emit(self.config())

    def set_report(self, report: Report) -> None:
        self._loading = True
        try:
            self.entry.set_report(report)
        finally:
            self._loading = False

    def set_config(self, config: RunConfig) -> None:
        """Show `config` without firing configEdited (loading is not editing)."""
        self._loading = True
        try:
            self.args_edit.setText(shlex.join(config.args))
            self.env.set_env(config.env)
            self.dirs.set_preopens(config.preopens)
            self.stdin_buttons.get(config.stdin.kind, self.stdin_buttons["none"]).setChecked(True)
            self.stdin_text.setPlainText(config.stdin.text)
            self.stdin_file.setText(config.stdin.path)
            lim = config.limits
            self.memory_spin.setValue(int(_number(lim.max_memory_bytes) // MIB))
            self.fuel_edit.setText(str(int(_number(lim.fuel))) if _number(lim.fuel) else "")
            self.timeout_spin.setValue(_number(lim.timeout_s))
            self.entry.set_invoke(config.invoke, config.invoke_args)
            self._extra = config
        finally:
            self._loading = False
        self._args_changed_quietly()

    def _args_changed_quietly(self) -> None:
        self._loading = True
        try:
            self._args_changed()
        finally:
            self._loading = False

    def config(self) -> RunConfig:
        argv, _ = split_args(self.args_edit.text())
        kind = next((k for k, b in self.stdin_buttons.items() if b.isChecked()), "none")
        fuel_text = self.fuel_edit.text().strip().replace("_", "").replace(",", "")
        base: RunConfig = getattr(self, "_extra", RunConfig())
        return RunConfig(
            args=argv,
            argv0=base.argv0,
            env=self.env.env(),
            preopens=self.dirs.preopens(),
            stdin=Stdin(
                kind,
                self.stdin_text.toPlainText() if kind == "text" else "",
                self.stdin_file.text().strip() if kind == "file" else "",
            ),
            limits=Limits(
                max_memory_bytes=self.memory_spin.value() * MIB or None,
                max_table_elements=base.limits.max_table_elements,
                fuel=int(fuel_text) if fuel_text.isdigit() and int(fuel_text) > 0 else None,
                timeout_s=self.timeout_spin.value() or None,
            ),
            invoke=self.entry.invoke(),
            invoke_args=self.entry.invoke_args() if self.entry.invoke() else [],
            denied=list(base.denied),
            trace=base.trace,
        )
