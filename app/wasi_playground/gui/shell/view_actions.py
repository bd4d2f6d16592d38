"""The View menu's actions on the current module: find in the current view, next and previous view, and
the configuration column shown or folded. Their shortcuts show in the menu beside each entry.

The layout (column widths, configuration folded or not) belongs to the window, not to a module: whatever
the user set on one document applies to every document, and is kept in the window state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from wasi_playground.core.state.settings import SettingsStore

SEARCH_WORDS = ("Search", "Filter")


def search_field(page: QWidget | None) -> QLineEdit | None:
    """The visible field of a view that searches or filters it (its placeholder says so)."""
    if page is None:
        return None
    for edit in page.findChildren(QLineEdit):
        if edit.isVisible() and edit.isEnabled() and edit.placeholderText().startswith(SEARCH_WORDS):
            return edit
    return None


class ViewActions(QObject):
    @property
    def window(self) -> Any:
        """Its Qt parent, not held in Python: a wrapper cycle between a QObject and its parent, collected
        after the parent was gone, has crashed the process."""
        return self.parent()

    def __init__(self, window: Any, current_document: Callable[[], Any], store: SettingsStore,
                 save_window_state: Callable[[], None]) -> None:
        super().__init__(window)
        self.current_document = current_document
        self.store = store
        self.save_window_state = save_window_state
        self.layout: dict[str, Any] = {"sizes": list(store.window.splitters.get("document", [])),
                                       "config_folded": store.window.config_folded}
        self.find_action = self._action("&Find in this view", "findAction", QKeySequence.StandardKey.Find,
                                        self.find)
        self.next_action = self._action("&Next view", "nextViewAction", "Ctrl+PgDown", lambda: self._step(+1))
        self.previous_action = self._action("&Previous view", "previousViewAction", "Ctrl+PgUp",
                                            lambda: self._step(-1))
        self.config_action = self._action("&Configuration column", "configurationAction", "F9",
                                          self._toggle_config)
        self.config_action.setCheckable(True)
        self.config_action.setChecked(not self.layout["config_folded"])

    def _action(self, text: str, name: str, shortcut: Any, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)
        return action

    def add_to(self, menu: QMenu) -> None:
        for action in (self.find_action, self.next_action, self.previous_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.config_action)

    def set_enabled(self, enabled: bool) -> None:
        for action in (self.find_action, self.next_action, self.previous_action, self.config_action):
            action.setEnabled(enabled)

    def find(self) -> bool:
        doc = self.current_document()
        if doc is None:
            return False
        edit = search_field(doc.navigator.pages.currentWidget())
        if edit is None:
            doc.notify.emit("This view has no search field: choose Imports, Functions, Data, Trace or an "
                            "output to search in.", "info")
            return False
        edit.setFocus()
        edit.selectAll()
        return True

    def _step(self, delta: int) -> None:
        doc = self.current_document()
        if doc is not None:
            key = doc.navigator.next_view() if delta > 0 else doc.navigator.previous_view()
            doc.navigator.views.setFocus()
            doc.show_view(key)

    def _toggle_config(self) -> None:
        doc = self.current_document()
        if doc is not None:
            doc.navigator.set_config_folded(not self.config_action.isChecked())

    # ---- one layout for every document ---------------------------------------------------------------

    def adopt(self, doc: Any) -> None:
        """Give a document (new, or just brought to front) the window's layout."""
        doc.navigator.restore_layout(self.layout)
        self.config_action.setChecked(not doc.navigator.config.folded)

    def remember(self, doc: Any) -> None:
        """The user changed the layout on `doc`: it becomes the window's."""
        self.layout = doc.navigator.layout_state()
        self.config_action.setChecked(not self.layout["config_folded"])
        self.store.window.splitters["document"] = list(self.layout["sizes"])
        self.store.window.config_folded = bool(self.layout["config_folded"])
