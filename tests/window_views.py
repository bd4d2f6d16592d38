"""Choosing a view of a module document the way a person does: a click on its name in the side list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


def opened(qtbot: Any, window: Any, path: Any, timeout: int = 30000) -> Any:
    """Open `path` in the window and wait until the module has been read."""
    doc = window.open_path(path)
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=timeout)
    return doc


def choose_view(qtbot: Any, doc: Any, title: str) -> None:
    tree = doc.navigator.views
    items = tree.findItems(title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert items, f"no view named {title!r} in {[tree.title(k) for k in tree.keys()]}"
    item = items[0]
    if item.parent() is not None:
        item.parent().setExpanded(True)
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert doc.navigator.current_view() == item.data(0, Qt.ItemDataRole.UserRole)
