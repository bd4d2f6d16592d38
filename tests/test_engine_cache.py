"""The compiled-code cache: a second run skips compilation; corrupt or stale entries are rebuilt."""

from __future__ import annotations

from pathlib import Path

import wasmtime

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.engines import cache_dir, get_engine, load_module
from wasi_playground.core.run.runner import run


def _entries() -> list[Path]:
    return sorted(cache_dir().glob("*.cwasm")) if cache_dir().exists() else []


def _fresh_module(tag: str) -> bytes:
    return wasmtime.wat2wasm(f'(module (func (export "_start")) (func (export "{tag}")))')


def test_cache_lives_under_the_configured_directory(tmp_path_factory) -> None:
    assert str(cache_dir()).startswith(str(tmp_path_factory.getbasetemp()))


def test_second_run_is_a_cache_hit_with_a_faster_compile(wat) -> None:
    module = wat('(module (func (export "_start")) (func (export "cache-hit-test")))')
    first = run(module, RunConfig())
    second = run(module, RunConfig())
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.cache_hit is False and second.cache_hit is True


def test_cache_is_keyed_by_engine_settings() -> None:
    data = _fresh_module("settings-key")
    assert load_module(get_engine(), data)[1] is False
    assert load_module(get_engine(fuel=True), data)[1] is False
    assert load_module(get_engine(fuel=True), data)[1] is True


def test_corrupt_entry_is_detected_and_rebuilt() -> None:
    data = _fresh_module("corrupt")
    before = set(_entries())
    load_module(get_engine(), data)
    (entry,) = set(_entries()) - before
    raw = bytearray(entry.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    entry.write_bytes(bytes(raw))
    module, hit = load_module(get_engine(), data)
    assert hit is False
    assert load_module(get_engine(), data)[1] is True
    assert module.exports[0].name == "_start"


def test_truncated_or_foreign_entry_is_rebuilt() -> None:
    data = _fresh_module("truncated")
    before = set(_entries())
    load_module(get_engine(), data)
    (entry,) = set(_entries()) - before
    entry.write_bytes(entry.read_bytes()[:100])
    assert load_module(get_engine(), data)[1] is False
    entry.write_bytes(b"not a cache entry at all")
    assert load_module(get_engine(), data)[1] is False
    assert load_module(get_engine(), data)[1] is True


def test_no_temporary_files_are_left_behind() -> None:
    load_module(get_engine(), _fresh_module("atomic"))
    assert not list(cache_dir().glob(".tmp-*"))


def test_unwritable_cache_directory_only_costs_speed(monkeypatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("WASI_PLAYGROUND_CACHE_DIR", str(blocker))
    module, hit = load_module(get_engine(), _fresh_module("unwritable"))
    assert hit is False and module.exports
