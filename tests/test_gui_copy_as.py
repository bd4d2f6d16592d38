"""The "Copy as" menu through its visible actions: only runtimes that can run the module, warnings beside."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from wasi_playground.core.engine.config import Preopen, RunConfig
from wasi_playground.core.export import export_for
from wasi_playground.core.inspect.report import inspect_path
from wasi_playground.gui.shell.copy_as_menu import CopyAsMenu, ExportSource

SAMPLES = Path(__file__).parent.parent / "samples"


def in_background(fn, on_done, on_error) -> None:
    """A worker thread that answers on the GUI thread, as the window's background does."""
    outcome: list = []

    def work() -> None:
        try:
            outcome.append((fn(), None))
        except BaseException as e:  # handed to on_error like the real background
            outcome.append((None, e))

    worker = threading.Thread(target=work)
    worker.start()

    def deliver() -> None:
        if worker.is_alive():
            QTimer.singleShot(10, deliver)
            return
        result, error = outcome[0]
        on_done(result) if error is None else on_error(error)

    QTimer.singleShot(10, deliver)


def make_menu(qtbot, sample: str, config: RunConfig | None = None) -> tuple[CopyAsMenu, ExportSource]:
    path = str(next((SAMPLES / sample).glob("*.wasm")))
    source = ExportSource(inspect_path(path), path, config or RunConfig())
    menu = CopyAsMenu(lambda: source, in_background)
    qtbot.addWidget(menu)
    return menu, source


def names(menu: CopyAsMenu) -> list[str]:
    return [a.objectName() for a in menu.actions() if a.objectName()]


def test_offers_every_runtime_for_a_preview1_module(qtbot) -> None:
    menu, _ = make_menu(qtbot, "hello")
    assert names(menu) == [
        "copyAs_wasmtime",
        "copyAs_wasmer",
        "copyAs_wasmedge",
        "copyAs_spin",
        "copyAs_docker",
        "exportOciAction",
    ]


def test_offers_only_what_runs_a_component_or_a_library(qtbot) -> None:
    menu, _ = make_menu(qtbot, "hello-component")
    assert names(menu) == ["copyAs_wasmtime", "copyAs_docker", "exportOciAction"]
    library, _ = make_menu(qtbot, "calc")
    assert names(library) == ["copyAs_wasmtime", "copyAs_wasmer", "copyAs_wasmedge"]


def test_copy_puts_the_paste_on_the_clipboard_and_reports_warnings(qtbot) -> None:
    config = RunConfig(preopens=[Preopen("/srv", "/data", read_only=True)], args=["x"])
    menu, source = make_menu(qtbot, "hello", config)
    action = menu.findChild(type(menu.actions()[0]), "copyAs_wasmer")
    with qtbot.waitSignal(menu.copied) as signal:
        action.trigger()
    target, text, warnings = signal.args
    assert target == "wasmer"
    assert text == export_for(source.report, config, "wasmer", source.path).text()
    assert QGuiApplication.clipboard().text() == text
    assert warnings == ["wasmer cannot map a directory read-only: writable there: /data"]
    assert text.startswith("# wasmer cannot map a directory read-only")


def test_export_image_writes_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    menu, _ = make_menu(qtbot, "hello", RunConfig(preopens=[Preopen("/srv", "/data")]))
    menu.choose_image_path = lambda suggested: str(tmp_path / "hello-image")
    with qtbot.waitSignal(menu.imageWritten, timeout=10000) as signal:
        menu.findChild(type(menu.actions()[0]), "exportOciAction").trigger()
    path, warnings = signal.args
    assert path == str(tmp_path / "hello-image.tar") and Path(path).is_file()
    assert "mount /srv" in warnings[0]
    if shutil.which("skopeo"):
        out = subprocess.run(["skopeo", "inspect", f"oci-archive:{path}"], capture_output=True, text=True)
        assert '"Os": "wasi"' in out.stdout


def test_unwritable_image_place_is_one_message(qtbot, tmp_path: Path) -> None:
    menu, _ = make_menu(qtbot, "hello")
    (tmp_path / "file").write_text("")
    menu.choose_image_path = lambda suggested: str(tmp_path / "file" / "x.tar")
    with qtbot.waitSignal(menu.failed, timeout=10000) as signal:
        menu.export_image()
    assert "cannot write the image" in signal.args[0]
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]


@pytest.mark.parametrize("cancel", ["", None])
def test_cancelled_dialog_writes_nothing(qtbot, tmp_path: Path, cancel: str | None) -> None:
    menu, _ = make_menu(qtbot, "hello")
    menu.choose_image_path = lambda suggested: cancel or ""
    with qtbot.assertNotEmitted(menu.imageWritten, wait=200):
        menu.export_image()
