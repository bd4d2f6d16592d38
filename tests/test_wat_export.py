"""Whole-module WAT export and the `wat` command: same module back when re-assembled, progress, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import wasmtime

from lookinside_programs import build_program
from wasi_playground.commands import wat_cmd
from wasi_playground.core.binary.reader import uleb128
from wasi_playground.core.lookinside.datascan import data_segments
from wasi_playground.core.lookinside.functions import FunctionTable
from wasi_playground.core.lookinside.wat_export import ExportCancelled, WatExportError, export_wat

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="session")
def program(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_program(zig_cc, tmp_path_factory)


def test_export_reassembles_to_the_same_module(program: Path, tmp_path: Path) -> None:
    seen: list[tuple[float, int]] = []
    result = export_wat(program, tmp_path / "out.wat", lambda f, n: seen.append((f, n)))
    text = result.output.read_text()
    assert result.bytes_written == len(text.encode())
    assert seen[-1] == (1.0, result.bytes_written)
    assert all(0 <= f <= 1 for f, _ in seen)
    rebuilt = FunctionTable.from_bytes(bytes(wasmtime.wat2wasm(text)))
    original = FunctionTable.from_path(program)
    assert len(rebuilt) == len(original)
    # The linker pads LEB128 numbers, so compare meaning, not bytes: every function prints the same.
    assert all(rebuilt.wat(i).text == original.wat(i).text for i in range(len(original)))
    assert [s.size for s in data_segments(rebuilt.data)] == [s.size for s in data_segments(original.data)]


def _long_to_print(path: Path, nops: int = 4_000_000) -> Path:
    """One function of millions of `nop`s: a few MB that take the printer seconds to write as text."""

    def section(sid: int, payload: bytes) -> bytes:
        return bytes([sid]) + uleb128(len(payload)) + payload

    body = b"\x00" + b"\x01" * nops + b"\x0b"
    path.write_bytes(
        b"\0asm\x01\0\0\0"
        + section(1, b"\x01\x60\x00\x00")
        + section(3, b"\x01\x00")
        + section(10, b"\x01" + uleb128(len(body)) + body)
    )
    return path


def test_cancel_midway_removes_the_partial_output(tmp_path: Path) -> None:
    module = _long_to_print(tmp_path / "long.wasm")
    out = tmp_path / "gone.wat"
    cancel = threading.Event()
    partial: list[int] = []

    def progress(_fraction: float, written: int) -> None:
        if written > 0 and not cancel.is_set():
            partial.append(out.stat().st_size)
            cancel.set()

    with pytest.raises(ExportCancelled):
        export_wat(module, out, progress, cancel=cancel)
    assert partial and partial[0] > 0  # a partial file existed when the cancel came
    assert not out.exists()


def test_cancel_before_start_writes_nothing(program: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export_wat(program, tmp_path / "gone.wat", cancel=cancel)
    assert not (tmp_path / "gone.wat").exists()


def test_bad_inputs(tmp_path: Path) -> None:
    text = tmp_path / "not.wasm"
    text.write_text("hello")
    with pytest.raises(WatExportError, match="not a WebAssembly binary"):
        export_wat(text, tmp_path / "x.wat")
    cut = tmp_path / "cut.wasm"
    cut.write_bytes(b"\0asm\x01\0\0\0\x01\x05")
    with pytest.raises(WatExportError, match="cannot print"):
        export_wat(cut, tmp_path / "y.wat")
    assert not (tmp_path / "y.wat").exists()


def test_command_to_file_and_stdout(wat, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    module = wat('(module (func $answer (export "answer") (result i32) i32.const 42))')
    out = tmp_path / "m.wat"
    assert wat_cmd.main([str(module), "-o", str(out)]) == 0
    assert "i32.const 42" in out.read_text()
    capfd.readouterr()
    assert wat_cmd.main([str(module)]) == 0
    assert "(func $answer" in capfd.readouterr().out


def test_command_errors_are_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert wat_cmd.main([str(tmp_path / "absent.wasm")]) == 2
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
    assert wat_cmd.main([]) == 2
    assert capfd.readouterr().err.count("\n") == 1


def test_component_exports(tmp_path: Path) -> None:
    component = SAMPLES / "hello-component" / "hello-component.wasm"
    if not component.exists():
        pytest.skip("hello-component sample not built")
    result = export_wat(component, tmp_path / "c.wat")
    assert result.output.read_text().startswith("(component")


def test_command_prints_one_function(wat, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    module = wat(
        "(module (func $a) (func $_Z3addii (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"
    )
    assert wat_cmd.main([str(module), "--func", "add(int, int)"]) == 0
    out = capfd.readouterr().out
    assert out.startswith("(func $_Z3addii (;1;)") and "i32.add" in out
    assert wat_cmd.main([str(module), "--func", "0", "-o", str(tmp_path / "a.wat")]) == 0
    assert (tmp_path / "a.wat").read_text().startswith("(func $a (;0;)")
    assert wat_cmd.main([str(module), "--func", "7"]) == 2
    assert "no function 7" in capfd.readouterr().err
    assert wat_cmd.main([str(module), "--func", "missing"]) == 2
    assert capfd.readouterr().err.count("\n") == 1
