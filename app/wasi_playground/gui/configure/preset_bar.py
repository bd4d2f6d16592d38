"""Named presets of a module's configuration, and "Copy as wasmtime command", above the editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QPushButton, QWidget

from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.state.presets import delete_preset, list_presets, load_preset, save_preset
from wasi_playground.core.state.settings import SettingsStore

PLACEHOLDER = "Presets…"


class PresetBar(QWidget):
    configChosen = Signal(object)
    copyCommand = Signal()
    notify = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("presetCombo")
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self._chosen)
        save = QPushButton("Save as…", self)
        save.setToolTip("Save the current configuration as a named preset of this module")
        save.clicked.connect(self._ask_save)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.clicked.connect(self._delete)
        copy = QPushButton("Copy as wasmtime command", self)
        copy.setObjectName("copyCommandButton")
        copy.clicked.connect(self.copyCommand)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(save)
        layout.addWidget(self.delete_button)
        layout.addWidget(copy)
        self._store: SettingsStore | None = None
        self._key: Callable[[], tuple[Path, str | None]] = lambda: (Path(), None)
        self._current: Callable[[], RunConfig] = RunConfig
        self.refresh()

    def bind(self, store: SettingsStore, key: Callable[[], tuple[Path, str | None]],
             current: Callable[[], RunConfig]) -> None:
        self._store, self._key, self._current = store, key, current

    def names(self) -> list[str]:
        path, sha = self._key()
        if self._store is None or not sha:
            return []
        return list_presets(self._store, path, sha)

    def refresh(self) -> None:
        self.combo.clear()
        self.combo.addItem(PLACEHOLDER)
        self.combo.addItems(self.names())
        self.delete_button.setEnabled(self.combo.count() > 1)

    def save_as(self, name: str) -> None:
        path, sha = self._key()
        if self._store is None or not sha:
            self.notify.emit("The module is still being inspected; try again in a moment.", "info")
            return
        try:
            save_preset(self._store, path, sha, name, self._current())
        except ConfigError as e:
            self.notify.emit(str(e), "warning")
            return
        except OSError as e:
            self.notify.emit(f"could not save the preset: {e.strerror or e}", "error")
            return
        self.refresh()
        self.combo.setCurrentText(name.strip())

    def choose(self, name: str) -> None:
        path, sha = self._key()
        if self._store is None or not sha:
            return
        try:
            self.configChosen.emit(load_preset(self._store, path, sha, name))
        except ConfigError as e:
            self.notify.emit(str(e), "warning")

    def _chosen(self, index: int) -> None:
        if index > 0:
            self.choose(self.combo.itemText(index))

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save preset", "Name of this configuration:")
        if ok and name.strip():
            self.save_as(name)

    def _delete(self) -> None:
        path, sha = self._key()
        name = self.combo.currentText()
        if self._store is not None and sha and name != PLACEHOLDER:
            try:
                delete_preset(self._store, path, sha, name)
            except OSError as e:
                self.notify.emit(f"could not delete the preset: {e.strerror or e}", "error")
            self.refresh()
