"""The playground window: modules as tabs, menus and toolbar, the message strip and the status bar.

Modules come in through the open dialog, drag and drop, the recent list, the Samples menu and the
command line; each becomes a `ModuleDocument` with its own configuration and runs. Window state
(geometry, splitters, open modules) is saved apart from preferences and restored at the next start.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QImage,
    QKeySequence,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.samples import sample_at
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui.background import Background
from wasi_playground.gui.document import panels
from wasi_playground.gui.document.services import WindowServices
from wasi_playground.gui.palette import apply_palette
from wasi_playground.gui.shell.copy_as_menu import install_copy_as_menu
from wasi_playground.gui.shell.document import ModuleDocument
from wasi_playground.gui.shell.first_screen import FirstScreen
from wasi_playground.gui.shell.help_menu import build_help_menu
from wasi_playground.gui.shell.messages import MessageStrip
from wasi_playground.gui.shell.recent_files import RecentFilesMenu, remember
from wasi_playground.gui.shell.samples_menu import SamplesMenu, load_lessons
from wasi_playground.gui.shell.view_actions import ViewActions

log = logging.getLogger(__name__)

MODULE_FILTER = "WebAssembly (*.wasm *.wat *.wast);;All files (*)"


def preload_panels() -> int:
    """Import the registered panel modules on a worker, so opening the first module does not pay for
    importing them on the GUI thread, and build the WIT lexer's rules (half a second, once per process).
    A panel that fails to import is reported when a document loads it."""
    from wasi_playground.core.components.wit_text import WitLexer

    WitLexer()
    loaded = 0
    for _title, spec in panels.PANELS:
        try:
            importlib.import_module(spec.partition(":")[0])
            loaded += 1
        except Exception as e:  # reported again, visibly, when a document tries to load it
            log.info("panel %s not preloaded: %s", spec, e)
    return loaded


CLOSE_WAIT_MS = 10000


def warm_up() -> None:
    """What the first open would otherwise pay for on the GUI thread: loading the fonts, wrapping a
    scroll area's viewport, and the WAT lexer, imported here once so workers colouring code never import
    pygments' lexers side by side (pygments swaps its lexers module while importing it; two threads doing
    that at once can fail)."""
    from pygments.lexers import WatLexer

    _draw_printable_text(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    rich = QTextDocument()  # the overview's first layout resolves its fonts: 20 ms once per process
    rich.setHtml("<h4>a</h4><table><tr><td><b>a</b></td><td><code>a</code> <small>a</small>"
                 "<ul><li>a</li></ul></td></tr></table>")
    rich.size()
    QTableView().viewport()  # PySide's first viewport() call costs ~15-150 ms, once per process
    list(WatLexer().get_tokens(""))  # compiles the lexer's rules: 13 ms of Python, once per process


def _draw_printable_text(font: QFont) -> None:
    """Draw every printable ASCII character once in `font`: the first view in the code font (WAT, hex)
    otherwise pays for loading and rasterizing its glyphs in its first paint."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(0, 8, "".join(chr(c) for c in range(0x20, 0x7F)))
    painter.end()


class MainWindow(QMainWindow):
    def __init__(self, store: SettingsStore | None = None, restore_modules: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("WASI Playground")
        self.setAcceptDrops(True)
        self.store = store or SettingsStore()
        self.messages = MessageStrip(self)
        self.background = Background(self)
        self.services = WindowServices(self.background, self.store, self, self.messages.post)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("documentTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.first_screen = FirstScreen(self)
        self.first_screen.set_lessons(load_lessons())
        self.first_screen.set_recent_files(self.store.window.recent_files)
        self.first_screen.lessonChosen.connect(self.open_sample)
        self.first_screen.fileChosen.connect(self.open_path)
        self.first_screen.openRequested.connect(self.ask_open)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.first_screen)
        self.stack.addWidget(self.tabs)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.messages)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel(self)
        self.statusBar().addWidget(self.status_label, 1)
        warm_up()
        self._build_actions()
        self._build_menus()
        self._restore_geometry()
        for problem in self.store.problems:
            self.messages.post(problem, "warning")
        if restore_modules:
            self.restore_open_modules()
        self._update_actions()
        self.background.run(self, preload_panels, lambda _n: None, lambda _e: None, key="preload-panels")

    # ---- actions and menus --------------------------------------------------------------------------

    def _action(self, text: str, name: str, shortcuts: list[str] | None = None, slot: Any = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open…", "openAction", [QKeySequence.StandardKey.Open],
                                        self.ask_open)
        self.run_action = self._action("&Run", "runAction", ["F5", "Ctrl+R"], self.run_current)
        self.run_action.setToolTip("Run the module (F5)")
        self.stop_action = self._action("&Stop", "stopAction", ["Shift+F5"], self.stop_current)
        self.stop_action.setToolTip("Stop the run (Shift+F5)")
        self.reload_action = self._action("Re&load", "reloadAction", ["Ctrl+Shift+R"], self.reload_current)
        self.close_action = self._action(
            "&Close module", "closeAction", ["Ctrl+W"], lambda: self.close_tab(self.tabs.currentIndex())
        )
        self.copy_command_action = self._action(
            "Copy as &wasmtime command", "copyCommandAction", ["Ctrl+Shift+C"], self.copy_command
        )
        self.rerun_action = self._action("Rerun when the file &changes", "rerunOnChangeAction")
        self.rerun_action.setCheckable(True)
        self.rerun_action.setChecked(self.store.preferences.rerun_on_change)
        self.rerun_action.toggled.connect(self._set_rerun)
        self.quit_action = self._action("&Quit", "quitAction", [QKeySequence.StandardKey.Quit], self.close)
        self.view_actions = ViewActions(self, self.current_document, self.store, self.save_window_state)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = RecentFilesMenu(self.store, self.save_window_state, self.open_path, file_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.reload_action)
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.samples_menu = SamplesMenu(self.open_sample, bar)
        bar.addMenu(self.samples_menu)
        run_menu = bar.addMenu("&Run")
        for action in (self.run_action, self.stop_action, self.copy_command_action, self.rerun_action):
            run_menu.addAction(action)
        self.copy_as_menu = install_copy_as_menu(self, run_menu)
        view_menu = bar.addMenu("&View")
        self.view_actions.add_to(view_menu)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        for theme in ("system", "light", "dark"):
            action = theme_menu.addAction(theme.capitalize())
            action.setCheckable(True)
            action.setChecked(self.store.preferences.theme == theme)
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
        build_help_menu(bar.addMenu("&Help"), self)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icons = {
            self.open_action: QStyle.StandardPixmap.SP_DialogOpenButton,
            self.run_action: QStyle.StandardPixmap.SP_MediaPlay,
            self.stop_action: QStyle.StandardPixmap.SP_MediaStop,
            self.reload_action: QStyle.StandardPixmap.SP_BrowserReload,
        }
        for action, pixmap in icons.items():
            action.setIcon(self.style().standardIcon(pixmap))
            toolbar.addAction(action)

    # ---- documents ----------------------------------------------------------------------------------

    def documents(self) -> list[ModuleDocument]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), ModuleDocument)]

    def current_document(self) -> ModuleDocument | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ModuleDocument) else None

    def open_path(self, path: str | Path, config: RunConfig | None = None) -> ModuleDocument | None:
        """Open (or focus) a module. A missing file is a message, not an exception."""
        p = Path(path).expanduser()
        if not p.is_file():
            self.messages.post(f"Cannot open {p}: no such file", "error")
            return None
        p = p.resolve()
        for doc in self.documents():
            if doc.path == p:
                self.tabs.setCurrentWidget(doc)
                return doc
        if config is None and (sample := sample_at(p)) is not None:
            return self.open_sample(sample)
        doc = ModuleDocument(p, self.services, self, initial_config=config)
        doc.notify.connect(self.messages.post)
        doc.statusChanged.connect(self.status_label.setText)
        doc.runningChanged.connect(lambda _running: self._update_actions())
        doc.layoutChanged.connect(lambda d=doc: self.view_actions.remember(d))
        self.view_actions.adopt(doc)
        index = self.tabs.addTab(doc, p.name)
        self.tabs.setTabToolTip(index, str(p))
        self.tabs.setCurrentIndex(index)
        remember(self.store, p)
        self.save_window_state()
        self._update_actions()
        return doc

    def open_sample(self, sample: Any) -> ModuleDocument | None:
        doc = self.open_path(sample.wasm_path, sample.config)
        if doc is not None:  # in a later turn: the strip's layout would lengthen the opening one
            text = f"Sample “{sample.title}”: {sample.description}"
            self.background.soon(doc, lambda: self.messages.post(text, "info"))
        return doc

    def ask_open(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open WebAssembly module", "", MODULE_FILTER)
        for path in paths:
            self.open_path(path)

    def close_tab(self, index: int) -> None:
        doc = self.tabs.widget(index)
        if isinstance(doc, ModuleDocument):
            self.tabs.removeTab(index)
            doc.close_document()
            doc.deleteLater()
        self._update_actions()

    def run_current(self) -> None:
        doc = self.current_document()
        if doc is not None:
            doc.run()
        self._update_actions()

    def stop_current(self) -> None:
        doc = self.current_document()
        if doc is not None:
            doc.stop()

    def reload_current(self) -> None:
        doc = self.current_document()
        if doc is not None:
            doc.reload()

    def copy_command(self) -> None:
        doc = self.current_document()
        if doc is not None:
            doc.copy_wasmtime_command()

    def save_window_state(self) -> None:
        self.services.write_settings(self.store.window_writer())

    def _set_rerun(self, on: bool) -> None:
        self.store.preferences.rerun_on_change = on
        self.services.write_settings(self.store.preferences_writer())

    def set_theme(self, theme: str) -> None:
        self.store.preferences.theme = theme
        self.services.write_settings(self.store.preferences_writer())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, theme)

    def _on_current_changed(self, _index: int) -> None:
        doc = self.current_document()
        if doc is not None:
            self.view_actions.adopt(doc)
        self._update_actions()

    def _update_actions(self, *_: Any) -> None:
        doc = self.current_document()
        if doc is None and self.stack.currentIndex() != 0:
            self.first_screen.set_recent_files(self.store.window.recent_files)
        self.stack.setCurrentIndex(1 if doc is not None else 0)
        self.view_actions.set_enabled(doc is not None)
        running = doc is not None and doc.controller.running
        self.run_action.setEnabled(doc is not None and not running)
        self.stop_action.setEnabled(running)
        for action in (self.reload_action, self.close_action, self.copy_command_action):
            action.setEnabled(doc is not None)
        title = f"{doc.path.name} — WASI Playground" if doc is not None else "WASI Playground"
        self.setWindowTitle(title)

    # ---- drag and drop ------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        for path in paths:
            self.open_path(path)
        if paths:
            event.acceptProposedAction()

    # ---- state across sessions ----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        state = self.store.window
        if state.geometry:
            self.restoreGeometry(QByteArray.fromHex(state.geometry.encode()))
        else:
            self.resize(1360, 820)
        if state.window_state:
            self.restoreState(QByteArray.fromHex(state.window_state.encode()))

    def restore_open_modules(self) -> None:
        for path in self.store.window.open_modules:
            if Path(path).is_file():
                self.open_path(path)
        if 0 <= self.store.window.current_module < self.tabs.count():
            self.tabs.setCurrentIndex(self.store.window.current_module)

    def save_state(self) -> None:
        state = self.store.window
        state.geometry = bytes(self.saveGeometry().toHex().data()).decode()
        state.window_state = bytes(self.saveState().toHex().data()).decode()
        state.open_modules = [str(d.path) for d in self.documents()]
        state.current_module = max(0, self.tabs.currentIndex())
        doc = self.current_document()
        if doc is not None:
            self.view_actions.remember(doc)
        self.save_window_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        for doc in self.documents():
            doc.close_document()
        if not self.background.wait_in_order(CLOSE_WAIT_MS):  # a hanging write must not keep the window open
            log.warning("settings not fully written at close")
        event.accept()
