"""Cache entries are wasmtime's own serialized files with a checksum beside them, loaded without a copy."""

from __future__ import annotations

import wasmtime

from wasi_playground.core.engine import code_cache
from wasi_playground.core.engine.engines import cache_path, engine_settings, get_engine, load_module


def _module(tag: str) -> bytes:
    return wasmtime.wat2wasm(f'(module (func (export "_start")) (func (export "{tag}")))')


def test_an_entry_is_exactly_what_wasmtime_serializes_and_maps_back() -> None:
    engine = get_engine()
    data = _module("exact")
    module, hit = load_module(engine, data)
    assert hit is False
    path = cache_path(data, engine_settings(engine), "module")
    assert path.read_bytes() == bytes(module.serialize())
    assert code_cache.check_entry(path) == (True, None)
    assert [e.name for e in wasmtime.Module.deserialize_file(engine, str(path)).exports] == [
        "_start",
        "exact",
    ]


def test_the_serialized_view_matches_the_public_api() -> None:
    module = wasmtime.Module(get_engine(), _module("view"))
    with code_cache._serialized(module) as view:
        assert bytes(view) == bytes(module.serialize())


def test_an_entry_without_its_checksum_is_set_aside_with_a_note_and_rebuilt() -> None:
    engine = get_engine()
    data = _module("no-sum")
    load_module(engine, data)
    path = cache_path(data, engine_settings(engine), "module")
    code_cache.sum_path(path).unlink()
    notes: list[str] = []
    module, hit = load_module(engine, data, notes)
    assert hit is False and module.exports
    assert notes and "checksum file is missing" in notes[0]
    assert path.with_name(path.name + ".corrupt").is_file()
    assert load_module(engine, data)[1] is True


def test_a_missing_entry_is_a_plain_miss() -> None:
    path = cache_path(_module("absent"), engine_settings(get_engine()), "module")
    assert code_cache.check_entry(path) == (False, None)


def test_entries_of_an_older_format_are_never_read(monkeypatch, tmp_path) -> None:
    from wasi_playground.core.engine.engines import cache_dir

    monkeypatch.setenv("WASI_PLAYGROUND_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path / f"compiled-v{code_cache.FORMAT}"
    old = tmp_path / "compiled"
    old.mkdir()
    data = _module("old-format")
    (old / cache_path(data, engine_settings(get_engine()), "module").name).write_bytes(
        b"old header + payload"
    )
    notes: list[str] = []
    assert load_module(get_engine(), data, notes)[1] is False
    assert notes == []
