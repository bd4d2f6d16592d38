"""Named run configurations of one module ("no network dir", "big input"), kept beside its configuration.

Presets follow the module the same way its configuration does (content hash or path), so renaming or
rebuilding a module keeps them.
"""

from __future__ import annotations

from pathlib import Path

from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.state.settings import SettingsStore


def list_presets(store: SettingsStore, path: str | Path, sha256: str) -> list[str]:
    entry = store.module_entry(path, sha256)
    return sorted((entry or {}).get("presets", {}))


def save_preset(store: SettingsStore, path: str | Path, sha256: str, name: str, config: RunConfig) -> None:
    name = name.strip()
    if not name:
        raise ConfigError("a preset needs a name")
    entry = store.module_entry(path, sha256, create=True)
    assert entry is not None
    entry.setdefault("presets", {})[name] = config.to_dict()
    store.save_modules()


def load_preset(store: SettingsStore, path: str | Path, sha256: str, name: str) -> RunConfig:
    entry = store.module_entry(path, sha256) or {}
    data = entry.get("presets", {}).get(name)
    if data is None:
        raise ConfigError(f"no preset named {name!r}")
    return RunConfig.from_dict(data)


def delete_preset(store: SettingsStore, path: str | Path, sha256: str, name: str) -> None:
    entry = store.module_entry(path, sha256)
    if entry and entry.get("presets", {}).pop(name, None) is not None:
        store.save_modules()
