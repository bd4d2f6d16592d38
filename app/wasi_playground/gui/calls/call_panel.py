"""The Call tab: pick an exported function, fill in a form built from its signature, call it, read the answer.

Core modules get one typed field per parameter (checked as you type with the same rules the core applies);
components get nested value editors built from the WIT types. Calls run through `run_task` on a session
kept alive between calls (state persists) unless "Fresh instance" is ticked. Below the answer, a core
module's exported memory (hex) and globals are shown and refreshed after each call.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.calls.module_session import CallOutcome, open_session
from wasi_playground.core.engine.config import ConfigError
from wasi_playground.core.engine.invoke_args import parse_arg
from wasi_playground.gui.background import run_task
from wasi_playground.gui.calls.memory_view import MemoryView
from wasi_playground.gui.calls.value_editor import ValueEditor, make_editor
from wasi_playground.gui.document.context import DocumentContext


def describe_outcome(outcome: CallOutcome) -> str:
    lines = []
    if outcome.trap is not None:
        lines.append(f"trap: {outcome.trap}")
    elif outcome.exit_code is not None:
        lines.append(f"exited with code {outcome.exit_code}")
    elif outcome.results:
        lines += [f"result: {r}" for r in outcome.results]
    else:
        lines.append("returned (no results)")
    fuel = f", fuel {outcome.fuel_consumed:,}" if outcome.fuel_consumed is not None else ""
    where = "fresh instance" if outcome.fresh_instance else "same instance"
    lines.append(f"time {outcome.elapsed_ms:.3f} ms{fuel} ({where})")
    if outcome.stdout:
        lines += ["stdout:", outcome.stdout.rstrip("\n")]
    if outcome.stderr:
        lines += ["stderr:", outcome.stderr.rstrip("\n")]
    lines += [f"note: {n}" for n in outcome.notes]
    return "\n".join(lines)


class CoreArgEdit(QLineEdit):
    """One core parameter: text checked against its type as it is typed."""

    def __init__(self, valtype: str, position: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.valtype = valtype
        self.position = position
        self.setPlaceholderText({"i32": "i32: decimal or 0x hex", "i64": "i64: decimal or 0x hex",
                                 "f32": "f32: 1.5, inf, nan", "f64": "f64: 1.5, inf, nan",
                                 "v128": "v128: 32 hex digits"}.get(valtype, valtype))
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


class SessionOwner:
    """Owns the panel's session so that it is closed exactly once: when replaced, when the panel is
    destroyed (its tab closed), when the application quits, or — if a call is running at that moment —
    when the call ends. A session delivered after the owner closed is closed on arrival. It is a plain
    Python object so Qt's destroyed/aboutToQuit signals can reach it after the widget is gone."""

    def __init__(self) -> None:
        self.session: Any = None
        self.busy = False
        self.closed = False
        self._orphans: list[Any] = []

    def adopt(self, session: Any) -> bool:
        if self.closed:
            session.close()
            return False
        self.release()
        self.session = session
        return True

    def release(self) -> None:
        if self.session is not None:
            if self.busy:
                self._orphans.append(self.session)
            else:
                self.session.close()
        self.session = None

    def end_call(self) -> None:
        self.busy = False
        while self._orphans:
            self._orphans.pop().close()

    def close(self, *_args: object) -> None:
        self.closed = True
        self.release()

    def guard(self, fn: Any, ends_call: bool = False) -> Any:
        """A callback for run_task that does nothing (but the bookkeeping) once the owner is closed."""
        def deliver(value: Any) -> None:
            if ends_call:
                self.end_call()
            if not self.closed:
                fn(value)
        return deliver


class WaveTextEdit(QLineEdit):
    """A component argument typed as WAVE text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setPlaceholderText("WAVE text")

    def text_value(self) -> str:
        return self.text()


class CallPanel(QWidget):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.owner = SessionOwner()
        self.editors: list[Any] = []
        self._task_key = f"call-panel-{id(self)}"

        self.status = QLabel("", self)
        self.status.setObjectName("callStatus")
        self.status.setWordWrap(True)
        self.functions = QListWidget(self)
        self.functions.setObjectName("callFunctions")
        self.signature = QLabel("", self)
        self.signature.setObjectName("callSignature")
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.fresh = QCheckBox("Fresh instance", self)
        self.fresh.setObjectName("freshInstance")
        self.fresh.setToolTip("Call on a new instance instead of the one kept from earlier calls")
        self.text_mode = QCheckBox("Edit as text", self)
        self.text_mode.setObjectName("waveTextMode")
        self.text_mode.setToolTip("Type component arguments as WAVE text, e.g. [1, 2] or {x: 1, y: 2}")
        self.call_button = QPushButton("Call", self)
        self.call_button.setObjectName("callButton")
        self.reset_button = QPushButton("Reset instance", self)
        self.reset_button.setObjectName("resetInstance")
        self.results = QPlainTextEdit(self)
        self.results.setObjectName("callResults")
        self.results.setReadOnly(True)
        self.results.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.memory = MemoryView(self)
        self.globals_table = QTableWidget(0, 3, self)
        self.globals_table.setObjectName("globalsView")
        self.globals_table.setHorizontalHeaderLabels(["Global", "Type", "Value"])
        self.globals_table.horizontalHeader().setStretchLastSection(True)
        self.inside = QTabWidget(self)
        self.inside.addTab(self.memory, "Memory")
        self.inside.addTab(self.globals_table, "Globals")

        buttons = QHBoxLayout()
        buttons.addWidget(self.fresh)
        buttons.addWidget(self.text_mode)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.call_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.signature)
        right_layout.addWidget(scroll, 2)
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

        self.functions.currentRowChanged.connect(self.select_function)
        self.text_mode.toggled.connect(self._switch_text_mode)
        self.call_button.clicked.connect(self.call)
        self.reset_button.clicked.connect(self.reset)
        self._set_enabled(False)
        self._stale = True
        context.reportChanged.connect(lambda _report: self._invalidate())
        context.configChanged.connect(self._invalidate)
        self.destroyed.connect(self.owner.close)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.owner.close)

    @property
    def session(self) -> Any:
        return self.owner.session

    @property
    def busy(self) -> bool:
        return self.owner.busy

    # --- session ---------------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        """A reload or a configuration change: reopen now if the tab is shown, else when it is.
        Opening compiles the module (with fuel metering, so a separate cache entry from plain runs), which
        is too much to do for every module opened just to look at it."""
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        """Open (or reopen, after a reload or a configuration change) the session in the background."""
        self._stale = False
        path, config = self.context.path, self.context.config
        self.status.setText(f"Loading {path.name}...")
        owner = self.owner
        run_task(lambda: open_session(path, config), self._adopt, owner.guard(self._on_load_error),
                 key=self._task_key)

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
            self.memory.set_reader(self._read_memory if session.memories() or session.memory_added else None)
        if self.function_list:
            self.functions.setCurrentRow(0)

    def _on_load_error(self, error: BaseException) -> None:
        self.functions.clear()
        self._set_enabled(False)
        message = str(error) if isinstance(error, ValueError | OSError) else f"{type(error).__name__}: {error}"
        self.status.setText(f"Cannot call into this file: {message}")

    def close_session(self) -> None:
        self.owner.close()

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
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = []
        if self.session is None or not 0 <= row < len(self.function_list):
            self._set_enabled(False)
            return
        function = self.function_list[row]
        self.signature.setText(f"{function.name}: {function.signature}")
        if self.session.kind == "component":
            info = self.session.function_info(function.name)
            names = self.session.names_for(info)
            for param, ty in info.params:
                editor = (
                    WaveTextEdit(make_editor(ty, names).text(), self.form_host)
                    if self.text_mode.isChecked()
                    else make_editor(ty, names, self.form_host)
                )
                self.editors.append(editor)
                self.form.addRow(f"{param}:", editor)
        else:
            for i, valtype in enumerate(function.params):
                edit = CoreArgEdit(valtype, i + 1, self.form_host)
                self.editors.append(edit)
                self.form.addRow(f"{i + 1} ({valtype}):", edit)
        self._set_enabled(True)

    def _switch_text_mode(self, on: bool) -> None:
        """Rebuild the component form as text fields (prefilled from the editors) or as editors."""
        if self.session is None or self.session.kind != "component":
            return
        current = self.arguments()
        self.select_function(self.functions.currentRow())
        if on:
            for edit, text in zip(self.editors, current, strict=False):
                edit.setText(text)

    def arguments(self) -> list[str]:
        return [e.text() if isinstance(e, ValueEditor) else e.text_value() for e in self.editors]

    # --- calling ----------------------------------------------------------------------------------------

    def call(self) -> None:
        row = self.functions.currentRow()
        if self.session is None or self.busy or not 0 <= row < len(self.function_list):
            return
        name, args, fresh, session = (
            self.function_list[row].name,
            self.arguments(),
            self.fresh.isChecked(),
            self.session,
        )
        self.owner.busy = True
        self._set_enabled(False)
        self.results.setPlainText(f"calling {name}...")
        run_task(
            lambda: session.call(name, args, fresh),
            self.owner.guard(self._on_outcome, ends_call=True),
            self.owner.guard(self._on_call_error, ends_call=True),
        )

    def reset(self) -> None:
        if self.session is None or self.busy:
            return
        session = self.session
        self.owner.busy = True
        self._set_enabled(False)
        run_task(
            session.reset,
            self.owner.guard(lambda _r: self._on_reset(), ends_call=True),
            self.owner.guard(self._on_call_error, ends_call=True),
        )

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
        self.globals_table.setRowCount(len(values))
        for row, g in enumerate(values):
            kind = f"mut {g.type}" if g.mutable else g.type
            for col, text in enumerate((g.name, kind, str(g.value))):
                self.globals_table.setItem(row, col, QTableWidgetItem(text))
        if self.memory.reader is not None:
            self.memory.refresh()
