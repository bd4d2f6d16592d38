"""Broken state files never stop the window: it opens with a message, the module opens, and it runs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox

from wasi_playground.core.engine import engines as engine
from wasi_playground.core.engine.limits import add_probe_exports
from wasi_playground.core.state.history import RunHistory
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

pytest.importorskip("wasi_playground.core.inspect.report", reason="needs the inspector (issue 2)")
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

REPO = Path(__file__).resolve().parent.parent
HELLO_SOURCE = REPO / "samples" / "hello" / "hello.wasm"
HELLO_OUT = "Hello from WebAssembly!\n"


@pytest.fixture
def hello(tmp_path: Path) -> Path:
    """A private copy, so its history file is this test's own."""
    path = tmp_path / "module" / "hello.wasm"
    path.parent.mkdir()
    path.write_bytes(HELLO_SOURCE.read_bytes())
    return path


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and data dirs of this test only (history lives in the data dir)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    folder = tmp_path / "settings"
    folder.mkdir()
    return folder


def history_file(module: Path) -> Path:
    path = RunHistory(module).file.path
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def open_run(qtbot, window: MainWindow, path: Path, record_calls: bool = True):
    doc = window.open_path(path)
    assert isinstance(doc, ModuleDocument)
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=10000)
    assert doc.inspect_error is None
    if not record_calls:  # a traced run compiles the rewritten module, which has a cache entry of its own
        window.findChild(QCheckBox, "traceRecordBox").setChecked(False)
    with qtbot.waitSignal(doc.controller.finished, timeout=20000) as blocker:
        window.run_action.trigger()
    return doc, blocker.args[0]


def messages(window: MainWindow) -> str:
    return "\n".join(text for _level, text in window.messages.history)


def test_everything_corrupt_at_once_still_opens_and_runs(qtbot, state: Path, hello: Path) -> None:
    for name in ("preferences.json", "window-state.json", "modules.json"):
        (state / name).write_text('{"half": ')
    history_file(hello).write_text("not json at all")
    probed = add_probe_exports(hello.read_bytes()).data
    eng = engine.get_engine()
    engine.load_module(eng, probed)
    cache_entry = engine.cache_path(probed, engine.engine_settings(eng), "module")
    cache_entry.write_bytes(cache_entry.read_bytes()[:200])

    window = MainWindow(SettingsStore(state))
    qtbot.addWidget(window)
    window.show()
    for name in ("preferences.json", "window-state.json", "modules.json"):
        assert f"{name} was unreadable" in messages(window)
    doc, result = open_run(qtbot, window, hello, record_calls=False)
    assert result.exit_code == 0 and result.stdout == HELLO_OUT
    assert result.cache_hit is False
    assert doc.history.records and doc.history.records[-1].exit_code == 0
    assert sorted(p.name.split(".corrupt-")[0] for p in state.iterdir() if ".corrupt-" in p.name) == [
        "modules.json", "preferences.json", "window-state.json"]
    window.close()
    reopened = SettingsStore(state)
    assert reopened.problems == []
    assert reopened.load_config(hello, hashlib.sha256(hello.read_bytes()).hexdigest()) is not None


def test_corrupt_history_file_is_reported_in_the_window(qtbot, state: Path, hello: Path) -> None:
    history_file(hello).write_text("not json at all")
    window = MainWindow(SettingsStore(state))
    qtbot.addWidget(window)
    doc, result = open_run(qtbot, window, hello)
    assert result.exit_code == 0
    assert "unreadable" in messages(window) and ".json" in messages(window)
    window.close()


def test_mistyped_history_file_does_not_stop_the_module_opening(qtbot, state: Path, hello: Path) -> None:
    history_file(hello).write_text('{"runs": 5}')
    window = MainWindow(SettingsStore(state))
    qtbot.addWidget(window)
    _doc, result = open_run(qtbot, window, hello)
    assert result.exit_code == 0
    window.close()


def test_mistyped_saved_limits_do_not_break_opening_the_module(qtbot, state: Path, hello: Path) -> None:
    sha = hashlib.sha256(hello.read_bytes()).hexdigest()
    entry = {"path": str(hello.resolve()), "sha256": sha, "config": {"limits": {"timeout_s": "abc"}}}
    (state / "modules.json").write_text(json.dumps({"modules": [entry]}))
    window = MainWindow(SettingsStore(state))
    qtbot.addWidget(window)
    _doc, result = open_run(qtbot, window, hello)
    assert result.exit_code == 0
    window.close()


def test_unwritable_settings_folder_is_a_message_and_the_run_goes_on(qtbot, state: Path, hello: Path,
                                                                     tmp_path: Path) -> None:
    store = SettingsStore(state)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    for attr in ("_prefs_file", "_window_file", "_modules_file"):
        json_file = getattr(store, attr)
        json_file.path = blocker / json_file.path.name
    window = MainWindow(store)
    qtbot.addWidget(window)
    try:
        doc = window.open_path(hello)
        assert doc is not None
        qtbot.waitUntil(lambda: doc.sha256 is not None, timeout=10000)
        doc.editor.args_edit.setText("changed")
        with qtbot.waitSignal(doc.controller.finished, timeout=20000) as done:
            window.run_action.trigger()
        assert done.args[0].exit_code == 0
        assert "not-a-folder" in messages(window) or "settings" in messages(window).lower()
        window.close()
    finally:  # writable again, so pytest-qt's own closing of the window does not fail the teardown
        for attr in ("_prefs_file", "_window_file", "_modules_file"):
            json_file = getattr(store, attr)
            json_file.path = state / json_file.path.name
