"""Shared fixtures: WAT compiled in the test, a private compiled-code cache, the samples folder."""

from __future__ import annotations

import os
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


@pytest.fixture
def wat(tmp_path: Path):
    """Compile WAT text to a .wasm file in tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def build(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"module{next(counter)}.wasm")
        path.write_bytes(wasmtime.wat2wasm(text))
        return path

    return build
