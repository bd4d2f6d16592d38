"""Shared wasmtime engines and the on-disk cache of compiled code.

Compiling a large module takes seconds; deserializing it takes a fraction of that. So every compile goes
through `load_module` / `load_component`, which look in the cache first, keyed by the content hash, the
wasmtime version and the engine settings; `code_cache` keeps the entries (wasmtime's own files with a
checksum beside them, loaded without a copy). A damaged entry is set aside and rebuilt rather than handed
to wasmtime, and a stale one (another wasmtime) is keyed differently or rejected by wasmtime and rebuilt.

Engines are shared per settings (epoch interruption unless a caller opts out; fuel metering only when
asked; both change the generated code). Sharing is safe for stopping runs independently: each store gets
its own epoch-deadline callback (see `interrupts`), so advancing the engine's epoch only makes each store
ask its own run whether to go on.

Others build on this: a persistent call session or a WAGI server calls `get_engine(fuel=...)` once,
`load_module(engine, data)` once, and then makes a `core.engine.sandbox.Sandbox` per instance.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import wasmtime
from wasmtime import component as wcomponent

from wasi_playground.core.engine import code_cache
from wasi_playground.core.engine.compile import compile_component, compile_module

CACHE_ENV = "WASI_PLAYGROUND_CACHE_DIR"


@dataclass(frozen=True)
class EngineSettings:
    """What changes the machine code wasmtime generates, and so belongs in the cache key."""

    fuel: bool = False
    interruptible: bool = True

    def key(self) -> str:
        return f"epoch={int(self.interruptible)};fuel={int(self.fuel)};wasmtime={wasmtime_version()}"


def wasmtime_version() -> str:
    try:
        from importlib.metadata import version

        return version("wasmtime")
    except Exception:  # a frozen app without package metadata
        return getattr(wasmtime, "__version__", "unknown")


_engines: dict[EngineSettings, wasmtime.Engine] = {}
_engines_lock = threading.Lock()


def get_engine(fuel: bool = False, interruptible: bool = True) -> wasmtime.Engine:
    """The shared engine for these settings (created on first use).

    `interruptible` engines check an epoch at every loop back-edge and function entry, which is what
    lets Stop end a tight loop; it costs up to ~15% on tight compute loops. Only a caller that never
    needs to stop running code (the CLI without --timeout, where Ctrl-C ends the process) asks for
    `interruptible=False`.
    """
    settings = EngineSettings(fuel=fuel, interruptible=interruptible)
    with _engines_lock:
        engine = _engines.get(settings)
        if engine is None:
            config = wasmtime.Config()
            config.epoch_interruption = interruptible
            config.consume_fuel = fuel
            config.wasm_component_model = True
            engine = wasmtime.Engine(config)
            _engines[settings] = engine
        return engine


def engine_settings(engine: wasmtime.Engine) -> EngineSettings:
    with _engines_lock:
        for settings, known in _engines.items():
            if known is engine:
                return settings
    raise ValueError("engine was not made by get_engine()")


def cache_dir() -> Path:
    """`WASI_PLAYGROUND_CACHE_DIR`, else the platform's user cache directory.

    The folder name carries the entry format, so entries of an older format are never read (and never
    mistaken for damaged ones)."""
    override = os.environ.get(CACHE_ENV)
    base = Path(override) if override else Path(_user_cache_dir())
    return base / f"compiled-v{code_cache.FORMAT}"


def _user_cache_dir() -> str:
    import platformdirs

    return platformdirs.user_cache_dir("wasi-playground")


def cache_path(data: bytes, settings: EngineSettings, kind: str) -> Path:
    digest = hashlib.sha256()
    digest.update(settings.key().encode())
    digest.update(kind.encode())
    digest.update(b"\0")
    digest.update(data)
    return cache_dir() / f"{digest.hexdigest()}.{kind}.cwasm"


def _load(
    engine: wasmtime.Engine, data: bytes, kind: str, compile_fn, deserialize_file_fn, notes: list[str] | None
):
    path = cache_path(data, engine_settings(engine), kind)
    sound, damage = code_cache.check_entry(path)
    if damage is not None:
        code_cache.set_aside(path, damage, notes)
    if sound:
        try:
            return deserialize_file_fn(engine, str(path)), True
        except wasmtime.WasmtimeError:
            pass  # stale (another wasmtime build) or otherwise unusable: rebuild below
    compiled = compile_fn(engine, data)
    code_cache.write_entry(path, compiled)
    return compiled, False


def load_module(
    engine: wasmtime.Engine, data: bytes, notes: list[str] | None = None
) -> tuple[wasmtime.Module, bool]:
    """Compile a core module through the cache. Returns (module, cache_hit). Raises WasmtimeError if invalid.

    A corrupt cache entry is set aside and rebuilt; a line saying so goes to `notes` when given."""
    return _load(engine, data, "module", compile_module, wasmtime.Module.deserialize_file, notes)


def load_component(
    engine: wasmtime.Engine, data: bytes, notes: list[str] | None = None
) -> tuple[wcomponent.Component, bool]:
    """Compile a component through the cache. Returns (component, cache_hit)."""
    return _load(
        engine, data, "component", compile_component, wcomponent.Component.deserialize_file, notes
    )
