"""Shared fixtures: WAT compiled in the test, a private compiled-code cache, the samples folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import wasmtime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real cache or settings."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("WASI_PLAYGROUND_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))


@pytest.fixture(autouse=True)
def _background_work_ends_with_its_test():
    """A worker started by one test must not finish during the next one, into a pool whose owner the
    garbage collector is tearing down (a panel tested on its own makes its own Background)."""
    yield
    background = sys.modules.get("wasi_playground.gui.background")
    if background is not None:
        background.wait_for_all_workers()
        from PySide6.QtCore import QCoreApplication

        if QCoreApplication.instance() is not None:
            QCoreApplication.processEvents()


@pytest.fixture
def window(qtbot, tmp_path: Path):
    """A real main window with its own settings folder; its documents are closed at the end."""
    from wasi_playground.core.state.settings import SettingsStore
    from wasi_playground.gui import MainWindow

    w = MainWindow(SettingsStore(tmp_path / "settings"))
    qtbot.addWidget(w)
    w.show()
    yield w
    for doc in w.documents():
        doc.close_document()


@pytest.fixture
def wat(tmp_path: Path):
    """Compile WAT text to a .wasm file in tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def build(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"module{next(counter)}.wasm")
        path.write_bytes(wasmtime.wat2wasm(text))
        return path

    return build


@pytest.fixture(scope="session")
def zig_cc(tmp_path_factory: pytest.TempPathFactory):
    """Build a C file for wasm32-wasi with the ziglang package; results cached for the session by content."""
    import hashlib
    import subprocess
    import sys

    out_dir = tmp_path_factory.mktemp("zig-build")

    def build(source: Path, *flags: str) -> Path:
        key = hashlib.sha256(source.read_bytes() + repr(flags).encode()).hexdigest()[:16]
        out = out_dir / f"{source.stem}-{key}.wasm"
        if not out.exists():
            cmd = [sys.executable, "-m", "ziglang", "cc", "--target=wasm32-wasi", "-O2", *flags,
                   str(source), "-o", str(out)]
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return out

    return build
