"""The "Copy as" menu: the command for each runtime that can run the module, and "Export OCI image…".

Built from the core's verdicts each time it opens (`offered_targets`), so it offers only runtimes that can
run the current module with the current configuration. Copying puts the whole paste (warnings as `#`
lines, spin.toml or Dockerfile, the command) on the clipboard and reports the warnings through `copied`,
for the window to show beside it. The image is written off the GUI thread, through `in_background`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.export import ExportRefused, OciError, export_for, oci_warnings, offered_targets
from wasi_playground.core.export import write_oci_image as write_image
from wasi_playground.core.inspect.report import Report
from wasi_playground.core.inspect.runtimes import image_name

if TYPE_CHECKING:
    from wasi_playground.gui.shell.main_window import MainWindow

LABELS = {
    "wasmtime": "&wasmtime command",
    "wasmer": "wasm&er command",
    "wasmedge": "Wasm&Edge command",
    "spin": "&Spin (spin.toml + spin up)",
    "docker": "&Docker+Wasm (Dockerfile + docker run)",
}


InBackground = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]
"""Runs `fn` off the GUI thread and calls back there with its result or error (the window's background)."""


@dataclass(frozen=True)
class ExportSource:
    """What the menu exports: the inspected module, its file and the configuration being edited."""

    report: Report
    path: str
    config: RunConfig


class CopyAsMenu(QMenu):
    copied = Signal(str, str, list)
    """(target, text put on the clipboard, warnings): what the copy cannot express, to show beside it."""
    imageWritten = Signal(str, list)
    """(path, warnings) after "Export OCI image…" wrote an image."""
    failed = Signal(str)
    """One sentence when an export could not be made."""

    def __init__(
        self,
        source: Callable[[], ExportSource | None],
        in_background: InBackground,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Copy &as", parent)
        self.setObjectName("copyAsMenu")
        self.source = source
        self.in_background = in_background
        self.choose_image_path: Callable[[str], str] = self._ask_image_path
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        source = self.source()
        targets = offered_targets(source.report) if source is not None else []
        for target in (t for t in targets if t in LABELS):
            action = self.addAction(LABELS[target])
            action.setObjectName(f"copyAs_{target}")
            action.triggered.connect(lambda _=False, t=target: self.copy(t))
        if "oci" in targets:
            self.addSeparator()
            action = self.addAction("Export &OCI image…")
            action.setObjectName("exportOciAction")
            action.triggered.connect(self.export_image)
        if not targets:
            self.addAction("(no runtime elsewhere can run this module)").setEnabled(False)

    def copy(self, target: str) -> str | None:
        source = self.source()
        if source is None:
            return None
        try:
            export = export_for(source.report, source.config, target, source.path)
        except ExportRefused as e:
            self.failed.emit(str(e))
            return None
        text = export.text()
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(target, text, list(export.warnings))
        return text

    def export_image(self) -> None:
        source = self.source()
        if source is None:
            return
        name = Path(source.path).with_suffix(".wasm").name
        out = self.choose_image_path(str(Path(source.path).with_name(Path(name).stem + "-image.tar")))
        if not out:
            return
        out = out if Path(out).suffix else out + ".tar"
        module = source.report.wasm
        config, ref = source.config, image_name(name)

        def write() -> str:
            data = module if module is not None else Path(source.path).read_bytes()
            return str(write_image(data, name, config, out, ref))

        def failed(exc: BaseException) -> None:
            reason = str(exc) if isinstance(exc, OciError) else f"cannot read {source.path}: {exc}"
            self.failed.emit(reason)

        self.in_background(write, lambda path: self.imageWritten.emit(path, oci_warnings(config)), failed)

    def _ask_image_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.parentWidget(), "Export OCI image", suggested, "OCI image archive (*.tar);;All files (*)"
        )
        return path


def copied_message(target: str, warnings: list[str]) -> str:
    said = f"Copied the {target} command."
    return said + (" It cannot say everything: " + "; ".join(warnings) if warnings else "")


def install_copy_as_menu(window: MainWindow, menu: QMenu) -> CopyAsMenu:
    """A "Copy as" submenu in `menu`, for the window's current module; what it says goes to the strip."""

    def source() -> ExportSource | None:
        doc = window.current_document()
        if doc is None or doc.context.report is None:
            return None
        return ExportSource(doc.context.report, str(doc.path), doc.context.config)

    copy_as = CopyAsMenu(source, lambda fn, ok, err: window.background.run(copy_as, fn, ok, err), menu)
    copy_as.copied.connect(
        lambda target, _text, warnings: window.messages.post(
            copied_message(target, warnings), "warning" if warnings else "info"
        )
    )
    copy_as.imageWritten.connect(
        lambda path, warnings: window.messages.post(
            f"Wrote the OCI image {path}." + (" " + "; ".join(warnings) if warnings else ""), "info"
        )
    )
    copy_as.failed.connect(lambda text: window.messages.post(text, "error"))
    menu.addMenu(copy_as)
    return copy_as
