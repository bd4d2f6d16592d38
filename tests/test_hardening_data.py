"""The user's data survives crashes and corruption: configurations, presets, history and the compiled-code
cache are written atomically, and a corrupt file is set aside with a message while the app (and a run) go
on."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasi_playground.core.engine import code_cache
from wasi_playground.core.engine import engines as engine
from wasi_playground.core.engine.config import ConfigError, Limits, RunConfig
from wasi_playground.core.engine.limits import add_probe_exports
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.run.runner import run
from wasi_playground.core.state.history import RunHistory, RunRecord
from wasi_playground.core.state.presets import list_presets, load_preset, save_preset
from wasi_playground.core.state.settings import SettingsStore

REPO = Path(__file__).resolve().parent.parent
HELLO = REPO / "samples" / "hello" / "hello.wasm"
HELLO_SHA = hashlib.sha256(HELLO.read_bytes()).hexdigest()
HELLO_OUT = "Hello from WebAssembly!\n"
BIG_ENV = [(f"VAR{i}", "x" * 200) for i in range(1500)]  # ~300 KB of JSON: a write takes a while


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".tmp-"))


def cached_entry(data: bytes) -> Path:
    """The cache file the runner uses for this module (it compiles the module with its probe exports
    added)."""
    probed = add_probe_exports(data).data
    eng = engine.get_engine()
    engine.load_module(eng, probed)
    path = engine.cache_path(probed, engine.engine_settings(eng), "module")
    assert path.is_file()
    return path


@pytest.fixture
def fail_renames(monkeypatch: pytest.MonkeyPatch):
    """From now on, every os.replace fails the way a crash between write and rename would leave things."""

    def arm() -> None:
        def refuse(src: str, dst: str) -> None:
            raise OSError(28, "No space left on device (simulated before rename)")

        monkeypatch.setattr(os, "replace", refuse)

    return arm


# ---- a crash between write and rename leaves the old file --------------------------------------------------


def test_configuration_and_presets_survive_a_failed_rename(tmp_path: Path, fail_renames) -> None:
    store = SettingsStore(tmp_path)
    store.save_config(HELLO, HELLO_SHA, RunConfig(args=["old"]))
    save_preset(store, HELLO, HELLO_SHA, "keep", RunConfig(args=["preset"]))
    before = (tmp_path / "modules.json").read_bytes()
    fail_renames()
    with pytest.raises(OSError):
        store.save_config(HELLO, HELLO_SHA, RunConfig(args=["new"], env=BIG_ENV))
    with pytest.raises(OSError):
        save_preset(store, HELLO, HELLO_SHA, "other", RunConfig(args=["other"]))
    assert (tmp_path / "modules.json").read_bytes() == before
    assert leftovers(tmp_path) == []
    again = SettingsStore(tmp_path)
    assert again.problems == []
    assert again.load_config(HELLO, HELLO_SHA).args == ["old"]
    assert list_presets(again, HELLO, HELLO_SHA) == ["keep"]


def test_history_and_preferences_survive_a_failed_rename(tmp_path: Path, fail_renames) -> None:
    history = RunHistory(HELLO, tmp_path / "history")
    history.add(RunRecord.from_result(HELLO_SHA, RunConfig(), RunResult(exit_code=0, stdout="first"), 1.0))
    store = SettingsStore(tmp_path / "config")
    store.preferences.theme = "dark"
    store.save_preferences()
    fail_renames()
    with pytest.raises(OSError):
        history.add(
            RunRecord.from_result(HELLO_SHA, RunConfig(), RunResult(exit_code=1, stdout="second"), 2.0)
        )
    store.preferences.theme = "light"
    with pytest.raises(OSError):
        store.save_preferences()
    assert [r.stdout for r in RunHistory(HELLO, tmp_path / "history").records] == ["first"]
    assert SettingsStore(tmp_path / "config").preferences.theme == "dark"
    assert leftovers(tmp_path) == []


def test_compiled_code_cache_survives_a_failed_rename(tmp_path: Path, fail_renames) -> None:
    """The cache swallows write failures (it only costs speed): the run works and no temp file is left."""
    path = cached_entry(HELLO.read_bytes())
    entry = path.read_bytes()
    path.write_bytes(entry[:100])  # corrupt, so the next load must rebuild and write
    fail_renames()
    result = run(HELLO, RunConfig())
    assert result.exit_code == 0 and result.stdout == HELLO_OUT and result.cache_hit is False
    assert path.read_bytes() == entry[:100]
    assert leftovers(path.parent) == []


WRITER = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.state.history import RunHistory, RunRecord
from wasi_playground.core.engine.limits import add_probe_exports
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.settings import SettingsStore

folder, module, sha = Path(sys.argv[2]), sys.argv[3], sys.argv[4]
store = SettingsStore(folder)
history = RunHistory(module, folder / "history", limit=5)
env = [(f"VAR{i}", "x" * 200) for i in range(1500)]
print("ready", flush=True)
n = 0
while True:
    n += 1
    store.save_config(module, sha, RunConfig(args=[str(n)], env=env))
    result = RunResult(exit_code=0, stdout="y" * 60000)
    history.add(RunRecord.from_result(sha, RunConfig(args=[str(n)]), result, n))
"""


def test_a_writer_killed_mid_write_never_leaves_a_torn_file(tmp_path: Path) -> None:
    """SIGKILL a process that keeps saving large configurations and history, at several moments: every time,
    the files on disk load without problems and hold one complete version."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    folder = tmp_path / "state"
    seen: set[str] = set()
    for delay in (0.05, 0.13, 0.21, 0.34, 0.5):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(REPO / "app"), str(folder), str(HELLO), HELLO_SHA],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        store = SettingsStore(folder)
        assert store.problems == []
        config = store.load_config(HELLO, HELLO_SHA)
        if config is not None:
            assert config.env == BIG_ENV and len(config.args) == 1
            seen.add(config.args[0])
        history = RunHistory(HELLO, folder / "history", limit=5)
        assert history.file.problems == []
        assert all(r.stdout == "y" * 60000 for r in history.records)
    assert seen, "the writer never finished a single save: the test proved nothing"


# ---- corrupt files are set aside with a message ------------------------------------------------------------


@pytest.mark.parametrize("name", ["preferences.json", "window-state.json", "modules.json"])
@pytest.mark.parametrize("content", [b'{"truncated": [1, 2', b"[1, 2, 3]", b"\x00" * 64, b""])
def test_corrupt_settings_file_is_set_aside_with_a_message(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    store = SettingsStore(tmp_path)
    if content:
        assert len(store.problems) == 1 and name in store.problems[0] and "unreadable" in store.problems[0]
        kept = [p for p in tmp_path.iterdir() if p.name.startswith(f"{name}.corrupt-")]
        assert len(kept) == 1 and kept[0].read_bytes() == content
    store.save_config(HELLO, HELLO_SHA, RunConfig(args=["after"]))
    store.save_preferences()
    store.save_window()
    assert SettingsStore(tmp_path).problems == []
    assert SettingsStore(tmp_path).load_config(HELLO, HELLO_SHA).args == ["after"]


@pytest.mark.parametrize("name", ["preferences.json", "modules.json"])
def test_settings_file_that_is_not_utf8_is_set_aside_with_a_message(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b'\xff\xfe{\x00"garbage')
    store = SettingsStore(tmp_path)
    assert name in store.problems[0]
    assert any(p.name.startswith(f"{name}.corrupt-") for p in tmp_path.iterdir())


def test_corrupt_history_file_is_set_aside_with_a_message(tmp_path: Path) -> None:
    history = RunHistory(HELLO, tmp_path)
    history.add(RunRecord.from_result(HELLO_SHA, RunConfig(), RunResult(exit_code=0), 1.0))
    history.file.path.write_text('{"runs": [{"id": "a", "started_at"')
    reloaded = RunHistory(HELLO, tmp_path)
    assert reloaded.records == [] and "unreadable" in reloaded.file.problems[0]
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())
    reloaded.add(RunRecord.from_result(HELLO_SHA, RunConfig(), RunResult(exit_code=3), 2.0))
    assert [r.exit_code for r in RunHistory(HELLO, tmp_path).records] == [3]


JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
CONFIG_KEYS = [
    "args",
    "argv0",
    "env",
    "preopens",
    "stdin",
    "limits",
    "invoke",
    "invoke_args",
    "denied",
    "trace",
]
LIMIT_KEYS = ["max_memory_bytes", "max_table_elements", "fuel", "timeout_s"]


@st.composite
def mistyped_config(draw: st.DrawFn) -> dict:
    """A saved configuration with some fields of the wrong type or shape (a hand edit, another version)."""
    config = RunConfig(args=["a"], env=[("K", "V")]).to_dict()
    for key in draw(st.lists(st.sampled_from(CONFIG_KEYS), max_size=3, unique=True)):
        config[key] = draw(JSON_VALUE)
    if isinstance(config.get("limits"), dict):
        for key in draw(st.lists(st.sampled_from(LIMIT_KEYS), max_size=2, unique=True)):
            config["limits"][key] = draw(JSON_VALUE)
    return config


def load_or_default(store: SettingsStore) -> RunConfig | None:
    try:
        return store.load_config(HELLO, HELLO_SHA)
    except ConfigError:
        return None


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(mistyped_config(), st.dictionaries(st.text(max_size=5), JSON_VALUE, max_size=2))
def test_mistyped_saved_configuration_loads_as_a_configuration_or_not_at_all(
    config: dict, presets: dict
) -> None:
    """Valid JSON with the wrong shapes must never crash loading, presets or the store itself."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        entry = {"path": str(HELLO.resolve()), "sha256": HELLO_SHA, "config": config, "presets": presets}
        Path(folder, "modules.json").write_text(json.dumps({"modules": [entry]}))
        store = SettingsStore(Path(folder))
        assert store.problems == []
        loaded = [load_or_default(store)]
        for name in list_presets(store, HELLO, HELLO_SHA):
            try:
                loaded.append(load_preset(store, HELLO, HELLO_SHA, name))
            except ConfigError:
                pass
        for config in filter(None, loaded):
            config.limits.timeout_s = 2.0 if config.limits.timeout_s is None else config.limits.timeout_s
            result = run(HELLO, config)
            assert not (result.error or "").startswith("internal error"), (config, result.error)


@pytest.mark.parametrize(
    "config",
    [{"limits": {"fuel": "x"}}, {"limits": {"timeout_s": "abc"}}, {"preopens": [{"host": 5, "guest": None}]}],
)
def test_mistyped_saved_configuration_never_reaches_the_runner(tmp_path: Path, config: dict) -> None:
    entry = {"path": str(HELLO.resolve()), "sha256": HELLO_SHA, "config": config}
    (tmp_path / "modules.json").write_text(json.dumps({"modules": [entry]}))
    loaded = load_or_default(SettingsStore(tmp_path))
    result = run(HELLO, loaded or RunConfig())
    assert not (result.error or "").startswith("internal error"), result.error
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "content", ['{"runs": 5}', '{"runs": [{"id": "a", "started_at": "x", "module_sha256": 1, "config": []}]}']
)
def test_mistyped_history_file_loads_as_an_empty_history(tmp_path: Path, content: str) -> None:
    history = RunHistory(HELLO, tmp_path)
    history.file.path.parent.mkdir(parents=True, exist_ok=True)
    history.file.path.write_text(content)
    reloaded = RunHistory(HELLO, tmp_path)
    assert reloaded.records == []
    assert reloaded.file.problems  # what was dropped is said, not silently lost
    reloaded.add(RunRecord.from_result(HELLO_SHA, RunConfig(), RunResult(exit_code=0, stdout="after"), 3.0))
    again = RunHistory(HELLO, tmp_path)
    assert [(r.stdout, r.exit_code) for r in again.records] == [("after", 0)]
    assert again.file.problems == []


# ---- the compiled-code cache ---------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage-with-checksum", "empty"])
def test_corrupt_compiled_code_cache_entry_is_rebuilt_and_the_run_works(damage: str) -> None:
    data = HELLO.read_bytes()
    path = cached_entry(data)
    entry = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(entry[: len(entry) // 2])
    elif damage == "flip":
        path.write_bytes(entry[:-100] + bytes([entry[-100] ^ 0xFF]) + entry[-99:])
    elif damage == "garbage-with-checksum":
        payload = os.urandom(4096)
        path.write_bytes(payload)
        code_cache.sum_path(path).write_text(f"{hashlib.sha256(payload).hexdigest()} {len(payload)}\n")
    else:
        path.write_bytes(b"")
    result = run(HELLO, RunConfig())
    assert result.exit_code == 0 and result.stdout == HELLO_OUT
    assert result.cache_hit is False
    assert path.read_bytes() == entry  # rebuilt in place
    assert run(HELLO, RunConfig()).cache_hit is True


def test_corrupt_compiled_code_cache_entry_is_reported() -> None:
    data = HELLO.read_bytes()
    path = cached_entry(data)
    path.write_bytes(path.read_bytes()[:64])
    result = run(HELLO, RunConfig(limits=Limits(timeout_s=5)))
    assert result.exit_code == 0
    assert any("cache" in note and "corrupt" in note for note in result.notes), result.notes
    assert any(".corrupt" in p.name for p in path.parent.iterdir())
