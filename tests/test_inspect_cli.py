"""`wasi-playground inspect`: JSON contract, human summary, exit codes and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wasi_playground.commands import inspect_cmd

WAT = """(module
  (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))
  (import "wasix_32v1" "sock_open" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 2)
  (func (export "_start")))"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wasi_playground", "inspect", *args],
                          capture_output=True, text=True, timeout=60)


def test_json_output_has_the_contract_keys(wat) -> None:
    path = wat(WAT)
    proc = run_cli(str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert {
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
    } <= set(d)
    assert d["kind"] == "module"
    assert d["wasi"]["flavours"] == ["wasi-preview1", "wasix"]
    assert d["runnable"] == {
        "ok": False,
        "missing": ["wasix_32v1.sock_open"],
        "reason": "needs WASIX socket calls, which only the wasmer runtime provides",
    }
    assert proc.stderr == ""


def test_human_summary(wat, capsys: pytest.CaptureFixture[str]) -> None:
    path = wat(WAT)
    assert inspect_cmd.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "module" in out.splitlines()[0]
    assert "runnable:  no — needs WASIX socket calls" in out
    assert "wasi_snapshot_preview1.args_get (func (param i32 i32) (result i32))" in out
    assert "memory (memory 1 2)" in out
    assert "args        args_get" in out


@pytest.mark.parametrize("content", [b"", b"not wasm at all", b"\0asm\x01\x00\x00\x00\x01\x7f"])
def test_invalid_input_exits_2_with_one_stderr_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.wasm"
    path.write_bytes(content)
    proc = run_cli(str(path), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert "Traceback" not in proc.stderr


def test_directory_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_cmd.main([str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert inspect_cmd.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required" in err
    assert inspect_cmd.main(["a.wasm", "--bogus"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_wat_error_says_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.wat"
    path.write_text("(module\n  (func (result i32) i32.const nope))\n")
    proc = run_cli(str(path))
    assert proc.returncode == 2
    assert "line 2, column 32" in proc.stderr and proc.stderr.count("\n") == 1


def test_long_listings_are_cut_unless_all(wat, capsys: pytest.CaptureFixture[str]) -> None:
    funcs = "".join(f'(func (export "f{i}"))' for i in range(inspect_cmd.LIST_LIMIT + 5))
    path = wat(f"(module {funcs})")
    assert inspect_cmd.main([str(path)]) == 0
    assert "... 5 more (use --all)" in capsys.readouterr().out
    assert inspect_cmd.main([str(path), "--all"]) == 0
    assert f"f{inspect_cmd.LIST_LIMIT + 4} (func)" in capsys.readouterr().out


def test_inspect_does_not_import_wasmtime_or_qt_for_binary_input(wat) -> None:
    path = wat(WAT)
    code = (
        "import sys\nfrom wasi_playground.cli import main\nmain(['inspect', '--json', sys.argv[1]])\n"
        "bad = [m for m in sys.modules if m.startswith(('wasmtime', 'PySide6'))]\n"
        "print('LOADED', bad, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in proc.stderr


def test_component_summary_names_interfaces_and_world(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cmd.wat"
    path.write_text("""(component
      (import "wasi:cli/environment@0.2.0" (instance))
      (core module $m (func (export "run") (result i32) i32.const 0))
      (core instance $i (instantiate $m))
      (func $run (result (result)) (canon lift (core func $i "run")))
      (instance $inst (export "run" (func $run)))
      (export "wasi:cli/run@0.2.0" (instance $inst)))""")
    assert inspect_cmd.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "WAT text compiled to a component" in out.splitlines()[0]
    assert "worlds:    wasi:cli/command" in out
    assert "wasi:cli/environment@0.2.0 (instance)" in out
    assert "wasi:cli/run@0.2.0 (instance)" in out
    assert re.search(r"^  environment +wasi:cli/environment$", out, re.M), out  # not "0" from "@0.2.0"
