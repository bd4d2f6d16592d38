"""The Call tab: pick an exported function, fill in a form built from its signature, call it, read the answer.

The form is `CallForm`, the instance's memory and globals `InstanceView`, and the session's lifetime
`SessionOwner`. Calls run on the window's `Background` on a session kept alive between calls (state
persists) unless "Fresh instance" is ticked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.calls.module_session import CallOutcome, open_session
from wasi_playground.gui.calls.arg_edits import CoreArgEdit, WaveTextEdit
from wasi_playground.gui.calls.call_form import CallForm
from wasi_playground.gui.calls.instance_view import InstanceView
from wasi_playground.gui.calls.outcome_text import describe_outcome
from wasi_playground.gui.calls.session_owner import SessionOwner
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel

__all__ = ["CallPanel", "CoreArgEdit", "WaveTextEdit", "describe_outcome"]


def _checkbox(text: str, name: str, tip: str, parent: QWidget) -> QCheckBox:
    box = QCheckBox(text, parent)
    box.setObjectName(name)
    box.setToolTip(tip)
    return box


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    return button


class CallPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.owner = SessionOwner()
        self.function_list: list[Any] = []
        self._task_key = f"call-panel-{id(self)}"
        self._stale = True
        self._calling = False
        self._build()
        self.functions.currentRowChanged.connect(self.select_function)
        self.text_mode.toggled.connect(self._switch_text_mode)
        self.call_button.clicked.connect(self.call)
        self.reset_button.clicked.connect(self.reset)
        self._set_enabled(False)
        context.configChanged.connect(self._invalidate)
        self.destroyed.connect(self.owner.close)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.owner.close)

    def _build(self) -> None:
        self.status = QLabel("", self)
        self.status.setObjectName("callStatus")
        self.status.setWordWrap(True)
        self.functions = QListWidget(self)
        self.functions.setObjectName("callFunctions")
        self.form = CallForm(self)
        self.signature = self.form.signature
        self.fresh = _checkbox("Fresh instance", "freshInstance",
                               "Call on a new instance instead of the one kept from earlier calls", self)
        self.text_mode = _checkbox("Edit as text", "waveTextMode",
                                   "Type component arguments as WAVE text, e.g. [1, 2] or {x: 1, y: 2}", self)
        self.call_button = _button("Call", "callButton", self)
        self.reset_button = _button("Reset instance", "resetInstance", self)
        self.results = QPlainTextEdit(self)
        self.results.setObjectName("callResults")
        self.results.setReadOnly(True)
        self.results.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.inside = InstanceView(self)
        self.memory, self.globals_table = self.inside.memory, self.inside.globals_table

        buttons = QHBoxLayout()
        for widget in (self.fresh, self.text_mode):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.call_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form, 2)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.results, 1)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.functions)
        top.addWidget(right)
        top.setSizes([160, 320])
        whole = QSplitter(Qt.Orientation.Vertical, self)
        whole.addWidget(top)
        whole.addWidget(self.inside)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(whole, 1)

    @property
    def session(self) -> Any:
        return self.owner.session

    @property
    def busy(self) -> bool:
        """A call or reset is on its way (until its answer is shown)."""
        return self._calling

    @property
    def editors(self) -> list[Any]:
        return self.form.editors

    # --- session ---------------------------------------------------------------------------------------

    def show_report(self, _report: object) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        """A reload or a configuration change: reopen now if the tab is shown, else when it is.
        Opening compiles the module (with fuel metering, so a separate cache entry from plain runs), which
        is too much to do for every module opened just to look at it."""
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        """Open (or reopen, after a reload or a configuration change) the session in the background."""
        self._stale = False
        path, config = self.context.path, self.context.config
        self.status.setText(f"Loading {path.name}...")
        work = self.owner.opening(lambda: open_session(path, config))
        self.in_background(work, self._adopt, self._on_load_error, key=self._task_key)

    def _adopt(self, session: Any) -> None:
        if self.owner.adopt(session):
            self._on_session(session)

    def _on_session(self, session: Any) -> None:
        self.functions.clear()
        self.function_list = session.functions()
        for f in self.function_list:
            self.functions.addItem(f.name)
        kind = "component" if session.kind == "component" else "module"
        notes = [f"{len(self.function_list)} exported functions ({kind})"]
        missing = getattr(session, "missing", [])
        if missing:
            notes.append(f"{len(missing)} imports this host cannot provide are linked as traps: "
                         + "; ".join(str(m) for m in missing))
        self.status.setText(". ".join(notes))
        self.inside.setVisible(kind == "module")
        if kind == "module":
            self.inside.set_reader(self._read_memory if session.memories() or session.memory_added else None)
        if self.function_list:
            self.functions.setCurrentRow(0)

    def _on_load_error(self, error: BaseException) -> None:
        self.functions.clear()
        self._set_enabled(False)
        readable = isinstance(error, ValueError | OSError)
        message = str(error) if readable else f"{type(error).__name__}: {error}"
        self.status.setText(f"Cannot call into this file: {message}")

    def close_session(self) -> None:
        self.owner.close()

    def closing(self) -> None:
        self.close_session()

    def _read_memory(self, address: int, length: int) -> bytes:
        if self.session is None or self.busy:
            raise ValueError("a call is running; try again when it ends")
        size = self.session.memory_size()
        if 0 <= address < size:
            length = min(length, size - address)
        return self.session.read_memory(address, length)

    # --- form --------------------------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        self.call_button.setEnabled(enabled and not self.busy)
        self.reset_button.setEnabled(enabled and not self.busy)

    def select_function(self, row: int) -> None:
        self.form.clear()
        if self.session is None or not 0 <= row < len(self.function_list):
            self._set_enabled(False)
            return
        self.form.build(self.session, self.function_list[row], self.text_mode.isChecked())
        self._set_enabled(True)

    def _switch_text_mode(self, on: bool) -> None:
        """Rebuild the component form as text fields (prefilled from the editors) or as editors."""
        if self.session is None or self.session.kind != "component":
            return
        current = self.arguments()
        self.select_function(self.functions.currentRow())
        if on:
            self.form.fill_text(current)

    def arguments(self) -> list[str]:
        return self.form.arguments()

    # --- calling ----------------------------------------------------------------------------------------

    def call(self) -> None:
        row = self.functions.currentRow()
        if self.session is None or self.busy or not 0 <= row < len(self.function_list):
            return
        name, args, fresh, session = (
            self.function_list[row].name, self.arguments(), self.fresh.isChecked(), self.session,
        )
        self.results.setPlainText(f"calling {name}...")
        work = self.owner.during_call(lambda: session.call(name, args, fresh))
        self._calling = True
        self._set_enabled(False)
        self.in_background(work, self._on_outcome, self._on_call_error)

    def reset(self) -> None:
        if self.session is None or self.busy:
            return
        work = self.owner.during_call(self.session.reset)
        self._calling = True
        self._set_enabled(False)
        self.in_background(work, lambda _r: self._on_reset(), self._on_call_error)

    def _on_reset(self) -> None:
        self._finish()
        self.results.setPlainText("fresh instance ready")
        self.refresh_inside()

    def _on_outcome(self, outcome: CallOutcome) -> None:
        self._finish()
        self.results.setPlainText(describe_outcome(outcome))
        self.refresh_inside()

    def _on_call_error(self, error: BaseException) -> None:
        self._finish()
        message = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
        self.results.setPlainText(f"not called: {message}")

    def _finish(self) -> None:
        self._calling = False
        self._set_enabled(self.session is not None)

    def refresh_inside(self) -> None:
        """Memory and globals after a call (fast reads on an idle instance)."""
        if self.session is None or self.session.kind != "module":
            return
        try:
            values = self.session.globals()
        except ValueError as e:
            self.status.setText(str(e))
            return
        self.inside.show_globals(values)
