"""Names for controls that carry no visible label, so a screen reader says what they are.

A search field is named by its placeholder ("Search strings…"), a button that shows only an arrow or an
icon by its tooltip. Controls that already have an accessible name keep it. The document applies this to
each view when it is made, and the window to what it builds itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget


def name_unlabelled_controls(root: QWidget) -> int:
    """Give every unnamed field and text-less button under `root` a name; returns how many were named."""
    named = 0
    for edit in root.findChildren(QLineEdit):
        if not edit.accessibleName() and edit.placeholderText():
            edit.setAccessibleName(edit.placeholderText().rstrip("…").strip())
            named += 1
    for button in root.findChildren(QAbstractButton):
        text = button.text().strip()
        if not button.accessibleName() and (not text or not any(c.isalnum() for c in text)):
            if button.toolTip():
                button.setAccessibleName(button.toolTip())
                named += 1
    return named
