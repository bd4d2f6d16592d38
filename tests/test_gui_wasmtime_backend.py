"""The HTTP tab's wasmtime serve backend on a real wasi:http component: restarts on a new configuration,
stops and closes with the tab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wasi_http_component import http_component, wasmtime_command
from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.inspect.report import inspect_path
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.gui.http.wasmtime_backend import WasmtimeHttpBackend, is_wasi_http

SAMPLES = Path(__file__).parent.parent / "samples"


@pytest.fixture
def on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's wasmtime command line first on PATH, as a user's would be."""
    binary = wasmtime_command()
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ.get('PATH', '')}")


def test_only_wasi_http_components_take_this_way() -> None:
    assert not is_wasi_http(inspect_path(SAMPLES / "hello-component" / "hello-component.wasm"))
    assert not is_wasi_http(inspect_path(SAMPLES / "wagi" / "wagi.wasm"))


@pytest.mark.slow
def test_requests_restart_on_a_new_configuration_and_stop(on_path: None) -> None:
    component = http_component()
    assert is_wasi_http(inspect_path(component))
    backend = WasmtimeHttpBackend(component)
    assert backend.missing() is None
    try:
        first = backend.exchange(HttpRequest.from_target("/one"), RunConfig())
        assert first.response.status == 200 and first.response.body == b"hello from wasi:http at /one\n"
        url = backend.url
        assert (
            url is not None
            and backend.exchange(HttpRequest.from_target("/"), RunConfig())
            and backend.url == url
        )
        backend.exchange(HttpRequest.from_target("/"), RunConfig(env=[("A", "1")]))
        assert backend.url is not None and backend.url != url
        backend.stop()
        assert backend.url is None
        again = backend.exchange(HttpRequest.from_target("/missing"), RunConfig())
        assert again.response.status == 404
    finally:
        backend.close()
    assert backend.url is None
    with pytest.raises(RuntimeError, match="closed"):
        backend.exchange(HttpRequest.from_target("/"), RunConfig())
