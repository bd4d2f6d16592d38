"""Where the playground keeps what it remembers: preferences, window state, per-module configurations.

Every file is JSON in the platform's user config directory, written atomically (temp file + rename) so a
crash never leaves half a file. A file that cannot be read is set aside as `<name>.corrupt-<time>` and the
app starts with defaults, telling the user once instead of refusing to start.

User preferences (what the person chose) and window state (geometry, splitters, open modules) live in two
different files: resetting the layout must never reset someone's choices.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from wasi_playground.core.engine.config import ConfigError, RunConfig

APP_NAME = "wasi-playground"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` so that readers see either the old file or the new one, never a torn mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SaveError(OSError):
    """A settings file could not be written; the message names the file and the folder, in words."""


class JsonFile:
    """One JSON object on disk. `problems` collects what went wrong while loading, in words."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as e:
            self.problems.append(f"could not read {self.path.name}: {e.strerror or e}")
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as e:
            self._set_aside(str(e))
            return {}
        return data

    def save(self, data: dict[str, Any]) -> None:
        """Write the file now, atomically. A failure (read-only home, full disk) raises SaveError."""
        try:
            atomic_write_text(self.path, json.dumps(data, indent=2, sort_keys=True))
        except OSError as e:
            reason = e.strerror or e
            raise SaveError(f"could not save {self.path.name} in {self.path.parent}: {reason}") from e

    def writer(self, data: dict[str, Any]) -> Callable[[], None]:
        """A call that writes `data` (a snapshot the caller no longer changes) when run, on any thread:
        how a GUI takes the snapshot on its own thread and writes it off that thread."""
        return lambda: self.save(data)

    def _set_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, target)
            where = f"kept as {target.name}"
        except OSError:
            where = "left in place"
        self.problems.append(
            f"{self.path.name} was unreadable ({why}); started with defaults, old file {where}"
        )


@dataclass
class Preferences:
    """What the user chose. Declared once, with typed defaults; unknown or mistyped keys fall back."""

    rerun_on_change: bool = False
    output_tail_lines: int = 20000
    recent_limit: int = 12
    theme: str = "system"
    """"system", "light" or "dark"."""
    history_limit: int = 50


@dataclass
class WindowState:
    """How the window looked: restored at start, never mixed with preferences."""

    geometry: str = ""
    """Qt's saveGeometry() as hex."""
    window_state: str = ""
    splitters: dict[str, list[int]] = field(default_factory=dict)
    open_modules: list[str] = field(default_factory=list)
    current_module: int = 0
    recent_files: list[str] = field(default_factory=list)


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    defaults = cls()
    values: dict[str, Any] = {}
    for f in fields(cls):
        default = getattr(defaults, f.name)
        value = data.get(f.name, default)
        ok = isinstance(value, type(default)) and not (
            isinstance(value, bool) and not isinstance(default, bool)
        )
        values[f.name] = value if ok else default
    return cls(**values)


def _number(value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return kind(value) if value >= 0 else None


def sanitized(config: RunConfig) -> RunConfig:
    """A saved configuration with every mistyped field dropped to its default: a hand-edited or damaged
    file must not reach the editor or the runner with text where a number belongs."""
    lim = config.limits
    lim.max_memory_bytes = _number(lim.max_memory_bytes, int)
    lim.max_table_elements = _number(lim.max_table_elements, int)
    lim.fuel = _number(lim.fuel, int)
    lim.timeout_s = _number(lim.timeout_s, float)
    config.preopens = [
        p
        for p in config.preopens
        if isinstance(p.host, str) and isinstance(p.guest, str) and isinstance(p.read_only, bool)
    ]
    if (
        config.stdin.kind not in ("none", "text", "file", "inherit")
        or not isinstance(config.stdin.text, str)
        or not isinstance(config.stdin.path, str)
    ):
        config.stdin = type(config.stdin)()
    if config.invoke is not None and not isinstance(config.invoke, str):
        config.invoke = None
    if config.argv0 is not None and not isinstance(config.argv0, str):
        config.argv0 = None
    return config


class SettingsStore:
    """Preferences, window state and per-module configurations of one user."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or config_dir()
        self._prefs_file = JsonFile(self.directory / "preferences.json")
        self._window_file = JsonFile(self.directory / "window-state.json")
        self._modules_file = JsonFile(self.directory / "modules.json")
        self.preferences: Preferences = _from_dict(Preferences, self._prefs_file.load())
        self.window: WindowState = _from_dict(WindowState, self._window_file.load())
        raw_modules = self._modules_file.load().get("modules", [])
        self._modules: list[dict[str, Any]] = [m for m in raw_modules if isinstance(m, dict)]

    @property
    def problems(self) -> list[str]:
        return self._prefs_file.problems + self._window_file.problems + self._modules_file.problems

    def save_preferences(self) -> None:
        self.preferences_writer()()

    def preferences_writer(self) -> Callable[[], None]:
        """The preferences as they are now, to be written later (see `JsonFile.writer`)."""
        return self._prefs_file.writer(asdict(self.preferences))

    def save_window(self) -> None:
        self.window_writer()()

    def window_writer(self) -> Callable[[], None]:
        return self._window_file.writer(asdict(self.window))

    # Per-module configuration: a rebuilt module at the same path keeps its entry, and so does a moved
    # module with the same content. Content wins over path when both could match.

    def _find(self, path: str, sha256: str) -> dict[str, Any] | None:
        by_hash = [m for m in self._modules if m.get("sha256") == sha256]
        for m in by_hash:
            if m.get("path") == path:
                return m
        if by_hash:
            return by_hash[-1]
        by_path = [m for m in self._modules if m.get("path") == path]
        return by_path[-1] if by_path else None

    def module_entry(self, path: str | Path, sha256: str, create: bool = False) -> dict[str, Any] | None:
        path = str(Path(path).resolve())
        entry = self._find(path, sha256)
        if entry is None and create:
            entry = {"path": path, "sha256": sha256, "config": RunConfig().to_dict(), "presets": {}}
            self._modules.append(entry)
        if entry is not None and create:
            entry["path"], entry["sha256"] = path, sha256
        return entry

    def load_config(self, path: str | Path, sha256: str) -> RunConfig | None:
        entry = self.module_entry(path, sha256)
        if entry is None:
            return None
        try:
            return sanitized(RunConfig.from_dict(entry.get("config") or {}))
        except (ConfigError, TypeError, ValueError):
            return None

    def save_config(self, path: str | Path, sha256: str, config: RunConfig) -> None:
        self.config_writer(path, sha256, config)()

    def config_writer(self, path: str | Path, sha256: str, config: RunConfig) -> Callable[[], None]:
        """Record `config` for the module now; the returned call writes the file (see `JsonFile.writer`)."""
        entry = self.module_entry(path, sha256, create=True)
        assert entry is not None
        entry["config"] = config.to_dict()
        entry["updated"] = time.time()
        return self.modules_writer()

    def save_modules(self) -> None:
        self.modules_writer()()

    def modules_writer(self) -> Callable[[], None]:
        return self._modules_file.writer({"modules": copy.deepcopy(self._modules)})
