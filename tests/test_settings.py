"""Settings: typed defaults, atomic files, corrupt files set aside, configurations following a module."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasi_playground.core.engine.config import ConfigError, Preopen, RunConfig
from wasi_playground.core.state.presets import delete_preset, list_presets, load_preset, save_preset
from wasi_playground.core.state.settings import SettingsStore, config_dir


def test_defaults_then_round_trip(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    assert store.preferences.output_tail_lines == 20000 and store.problems == []
    store.preferences.rerun_on_change = True
    store.window.open_modules = ["/a.wasm"]
    store.save_preferences()
    store.save_window()
    again = SettingsStore(tmp_path)
    assert again.preferences.rerun_on_change is True
    assert again.window.open_modules == ["/a.wasm"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["preferences.json", "window-state.json"]


def test_store_lives_in_redirected_user_config_dir() -> None:
    assert SettingsStore().directory == config_dir()
    assert "config" in str(config_dir())


def test_corrupt_file_is_set_aside_and_defaults_used(tmp_path: Path) -> None:
    (tmp_path / "preferences.json").write_text("{ not json", encoding="utf-8")
    store = SettingsStore(tmp_path)
    assert store.preferences.recent_limit == 12
    assert len(store.problems) == 1 and "preferences.json" in store.problems[0]
    aside = [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and not (tmp_path / "preferences.json").exists()


def test_mistyped_values_fall_back_to_defaults(tmp_path: Path) -> None:
    (tmp_path / "preferences.json").write_text('{"output_tail_lines": "many", "rerun_on_change": 1}')
    store = SettingsStore(tmp_path)
    assert store.preferences.output_tail_lines == 20000
    assert store.preferences.rerun_on_change is False


def test_config_follows_rebuilt_module_at_same_path(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    config = RunConfig(args=["one", "two words"], preopens=[Preopen("/tmp", "/data", True)])
    store.save_config(tmp_path / "m.wasm", "hash-v1", config)
    reloaded = SettingsStore(tmp_path)
    assert reloaded.load_config(tmp_path / "m.wasm", "hash-v2") == config


def test_config_follows_moved_module_with_same_content(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.save_config(tmp_path / "a.wasm", "same", RunConfig(args=["x"]))
    store.save_config(tmp_path / "b.wasm", "other", RunConfig(args=["y"]))
    assert store.load_config(tmp_path / "moved" / "a.wasm", "same").args == ["x"]
    assert store.load_config(tmp_path / "c.wasm", "unknown") is None


def test_presets_per_module(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    save_preset(store, tmp_path / "m.wasm", "h", "no dirs", RunConfig(args=["a"]))
    save_preset(store, tmp_path / "m.wasm", "h", "big", RunConfig(args=["b"]))
    assert list_presets(SettingsStore(tmp_path), tmp_path / "m.wasm", "h") == ["big", "no dirs"]
    assert load_preset(store, tmp_path / "m.wasm", "h", "big").args == ["b"]
    delete_preset(store, tmp_path / "m.wasm", "h", "big")
    with pytest.raises(ConfigError):
        load_preset(store, tmp_path / "m.wasm", "h", "big")
    with pytest.raises(ConfigError):
        save_preset(store, tmp_path / "m.wasm", "h", "  ", RunConfig())
    assert list_presets(store, tmp_path / "other.wasm", "zz") == []


def test_a_writer_writes_the_snapshot_taken_when_it_was_made(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    writes = [store.config_writer(tmp_path / "m.wasm", "h", RunConfig(args=[str(i)])) for i in range(20)]
    store.config_writer(tmp_path / "m.wasm", "h", RunConfig(args=["not written"]))
    for write in writes:
        write()
    assert SettingsStore(tmp_path).load_config(tmp_path / "m.wasm", "h").args == ["19"]


def test_a_failed_write_names_the_file_and_the_folder(tmp_path: Path) -> None:
    from wasi_playground.core.state.settings import SaveError

    store = SettingsStore(tmp_path)
    store._prefs_file.path = Path("/proc/no-such-place/preferences.json")
    with pytest.raises(SaveError, match="could not save preferences.json in /proc/no-such-place"):
        store.save_preferences()
