"""Toolchain guesses on modules built by real toolchains (ziglang: C and Zig) and on crafted producers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

from wasi_playground.core.binary.reader import uleb128
from wasi_playground.core.inspect.report import inspect_bytes, inspect_path
from wasi_playground.core.inspect.toolchain import guess_toolchain
from wasi_playground.core.wasi.knowledge import ImportRef

HELLO_C = '#include <stdio.h>\nint main(void) { puts("hello from C"); return 0; }\n'
HELLO_ZIG = 'const std = @import("std");\npub fn main() void { std.debug.print("hello from Zig\\n", .{}); }\n'


def name_bytes(text: str) -> bytes:
    raw = text.encode()
    return uleb128(len(raw)) + raw


def custom_section(name: str, payload: bytes) -> bytes:
    body = name_bytes(name) + payload
    return b"\x00" + uleb128(len(body)) + body


def producers_payload(fields: dict[str, list[tuple[str, str]]]) -> bytes:
    out = uleb128(len(fields))
    for field, values in fields.items():
        out += name_bytes(field) + uleb128(len(values))
        for name, version in values:
            out += name_bytes(name) + name_bytes(version)
    return out


@pytest.fixture(scope="session")
def zig_native(tmp_path_factory: pytest.TempPathFactory):
    """A Zig program built for wasm32-wasi in Debug mode (keeps the name section)."""
    folder = tmp_path_factory.mktemp("zig-native")
    source = folder / "hello.zig"
    source.write_text(HELLO_ZIG)
    out = folder / "hello.wasm"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ziglang",
            "build-exe",
            "-target",
            "wasm32-wasi",
            str(source),
            f"-femit-bin={out}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
        cwd=folder,
    )
    return out


def test_c_built_with_zig_cc(zig_cc, tmp_path: Path) -> None:
    source = tmp_path / "hello.c"
    source.write_text(HELLO_C)
    report = inspect_path(zig_cc(source))
    assert report.toolchain.name == "C (clang)"
    evidence = " ".join(report.toolchain.evidence)
    assert "C11" in evidence and "clang" in evidence and "zig cc" in evidence
    assert report.producers["processed-by"][0]["name"] == "clang"
    assert report.names is not None and report.names.function_name_count > 5
    assert (
        "main" in report.names.function_names().values()
        or "__original_main" in report.names.function_names().values()
    )
    assert report.target_features and all(f[0] in "+-=" for f in report.target_features)
    assert report.runnable.ok and report.wasi.flavours == ["wasi-preview1"]
    assert "stdio" in report.wasi.capabilities


def test_stripped_c_loses_names_but_keeps_producers_evidence(zig_cc, tmp_path: Path) -> None:
    source = tmp_path / "hello.c"
    source.write_text(HELLO_C)
    report = inspect_path(zig_cc(source, "-s"))
    assert report.names is None
    assert report.toolchain.name in ("C (clang)", "unknown")


def test_zig_program(zig_native: Path) -> None:
    report = inspect_path(zig_native)
    assert report.toolchain.name == "Zig"
    assert any("Zig's standard library" in e for e in report.toolchain.evidence)
    assert report.module is not None and report.module.exports


def test_rust_and_wasm_bindgen_from_producers() -> None:
    base = bytes(wasmtime.wat2wasm("(module)"))
    rust = base + custom_section(
        "producers",
        producers_payload(
            {"language": [("Rust", "")], "processed-by": [("rustc", "1.80.0 (abc 2024-07-21)")]}
        ),
    )
    report = inspect_bytes(rust)
    assert report.toolchain.name == "Rust"
    assert report.toolchain.evidence == [
        "producers language: Rust",
        "producers processed-by: rustc 1.80.0 (abc 2024-07-21)",
    ]
    assert report.to_json_dict()["producers"]["language"] == [{"name": "Rust", "version": ""}]
    bindgen = base + custom_section(
        "producers",
        producers_payload(
            {"language": [("Rust", "")], "processed-by": [("rustc", "1.80"), ("wasm-bindgen", "0.2.92")]}
        ),
    )
    assert inspect_bytes(bindgen).toolchain.name == "Rust (wasm-bindgen)"


def test_wasi_sdk_cplusplus() -> None:
    fields = {
        "language": [{"name": "C_plus_plus_14", "version": ""}, {"name": "C11", "version": ""}],
        "processed-by": [
            {"name": "clang", "version": "19.1.5-wasi-sdk (https://github.com/llvm/llvm-project abc)"}
        ],
    }
    tc = guess_toolchain(fields)
    assert tc.name == "C++ (clang), wasi-sdk"


def test_import_and_section_patterns() -> None:
    asc = guess_toolchain({}, [ImportRef("env", "abort", "(func (param i32 i32 i32 i32))")])
    assert asc.name == "AssemblyScript" and "env.abort" in asc.evidence[0]
    go = guess_toolchain({}, [], [], ["go:buildid"])
    assert go.name == "Go"
    dotnet = guess_toolchain({}, [], ["mono_wasm_load_runtime"])
    assert dotnet.name == ".NET"
    em = guess_toolchain({}, [ImportRef("env", "emscripten_resize_heap")], ["stackSave"])
    assert em.name == "Emscripten (C/C++)"
    tinygo = guess_toolchain({"processed-by": [{"name": "TinyGo", "version": "0.33.0"}]})
    assert tinygo.name == "TinyGo"
    py = guess_toolchain({"processed-by": [{"name": "componentize-py", "version": "0.13"}]})
    assert py.name == "Python (componentize-py)"
    rust_names = guess_toolchain({}, function_names=lambda: ["_ZN4core3fmt5write17h"])
    assert rust_names.name == "Rust"


def test_hand_written_module_is_unknown() -> None:
    tc = inspect_bytes(bytes(wasmtime.wat2wasm("(module (func))"))).toolchain
    assert tc.name == "unknown"
    assert "stripped or hand-written" in tc.evidence[0]


def _with_data(text: bytes) -> bytes:
    escaped = "".join(f"\\{b:02x}" for b in text)
    return bytes(wasmtime.wat2wasm(f'(module (memory 1) (data (i32.const 16) "{escaped}"))'))


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (
            b"panicked at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/fmt/mod.rs",
            "Rust",
            "rustc's panic paths (/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/...)",
        ),
        (
            b"/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.120/src/de.rs",
            "Rust",
            "crate from .cargo/registry (serde_json-1.0.120)",
        ),
        (b"\xff Go buildinf:\x08\x02\x06go1.22.4\x00", "Go", "Go's build info (go1.22.4)"),
        ("~lib/rt/itcms.ts".encode("utf-16-le"), "AssemblyScript", "standard library's paths"),
        (b"/opt/emsdk/emscripten/system/lib/libc/musl/src/stdio.c", "Emscripten (C/C++)", "emscripten SDK"),
        (b"GCC: (GNU) 13.2.0", "C/C++ (GCC)", "GCC's mark (GCC: (GNU) 13.2.0)"),
        (b"lib/libpython3.12.so", "Python (componentize-py)", "embeds libpython3.12"),
        (b"StarlingMonkey", "JavaScript (componentize-js)", "embeds StarlingMonkey"),
    ],
)
def test_strings_name_the_toolchain_without_producers(data: bytes, name: str, said: str) -> None:
    tc = inspect_bytes(_with_data(data)).toolchain
    assert tc.name == name
    assert len(tc.evidence) == 1 and said in tc.evidence[0] and tc.evidence[0].startswith("probably ")


def test_producers_still_win_over_strings() -> None:
    data = _with_data(b"GCC: (GNU) 13.2.0") + custom_section(
        "producers", producers_payload({"language": [("Rust", "")]})
    )
    assert inspect_bytes(data).toolchain.name == "Rust"


def test_assemblyscript_sample_is_named_from_its_function_names() -> None:
    tc = inspect_path(Path(__file__).parent.parent / "samples" / "wc" / "wc.wasm").toolchain
    assert tc.name == "AssemblyScript" and "~lib/" in tc.evidence[0]


def test_component_names_its_adapter() -> None:
    sample = Path(__file__).parent.parent / "samples" / "hello-component" / "hello-component.wasm"
    tc = inspect_path(sample).toolchain
    assert tc.name == "C (clang)"
    assert any("WASI preview-1 adapter" in e for e in tc.evidence)
