"""The function table the window loads on a worker comes back ready to show."""

from __future__ import annotations

import wasmtime

from wasi_playground.core.lookinside.functions import load_cached


def test_a_shared_table_comes_back_with_its_names_decoded(tmp_path):
    """The window loads the table on a worker and draws rows on the GUI thread: decoding 89,000 names
    (over a second for CPython) must have happened on the worker, not when the first row is drawn."""
    path = tmp_path / "named.wasm"
    path.write_bytes(wasmtime.wat2wasm("(module (func $first) (func $second))"))
    table = load_cached(path)
    assert "raw_names" in vars(table)
    assert table.name(1) == "second"
