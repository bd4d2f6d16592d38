"""samples/build.py reproduces the committed binaries byte for byte (same toolchain versions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasi_playground.core.binary.reader import read_sections
from wasi_playground.core.samples import get_sample
from wasi_playground.samples import build


def rebuild(name: str, builder, tmp_path: Path) -> bytes:
    sample = get_sample(name)
    out = tmp_path / f"{name}.wasm"
    builder(sample.folder, name, out)
    return out.read_bytes()


def test_wat_sample_rebuilds_identically(tmp_path):
    for name in ("trap", "spin", "calc"):
        assert rebuild(name, build.build_wat, tmp_path) == get_sample(name).wasm_path.read_bytes(), name


@pytest.fixture(scope="module")
def pinned_zig():
    if build.zig_version() != build.ZIG_VERSION:
        pytest.skip(f"zig {build.zig_version()} is not the pinned {build.ZIG_VERSION}")


@pytest.mark.slow
def test_c_sample_rebuilds_identically(tmp_path, pinned_zig):
    assert rebuild("hello", build.build_c, tmp_path) == get_sample("hello").wasm_path.read_bytes()


@pytest.mark.slow
def test_zig_sample_rebuilds_identically(tmp_path, pinned_zig):
    assert rebuild("random", build.build_zig, tmp_path) == get_sample("random").wasm_path.read_bytes()


@pytest.mark.parametrize("name", ["hello", "cat", "trap", "random"])
def test_committed_binaries_keep_names_and_producers_but_no_dwarf(name):
    _, sections = read_sections(get_sample(name).wasm_path.read_bytes())
    custom = {s.custom_name for s in sections if s.custom_name is not None}
    assert "name" in custom
    assert not any(c.startswith(".debug") for c in custom)
    if name != "trap":
        assert "producers" in custom


def test_build_refuses_unknown_sample_names(capsys):
    assert build.main(["no-such-sample"]) == 2
    assert "no such sample" in capsys.readouterr().err


@pytest.mark.slow
def test_assemblyscript_sample_rebuilds_identically(tmp_path):
    if not (build.assemblyscript_dir() / "node_modules" / ".bin" / "asc").exists():
        pytest.skip("the AssemblyScript compiler is not in the build cache (samples/build.py wc installs it)")
    assert rebuild("wc", build.build_ts, tmp_path) == get_sample("wc").wasm_path.read_bytes()


@pytest.mark.slow
def test_component_sample_rebuilds_identically(tmp_path, pinned_zig):
    if not (build.build_cache() / f"jco-{build.JCO_VERSION}").is_dir():
        pytest.skip("the preview-1 adapter is not in the build cache (samples/build.py fetches it)")
    built = rebuild("hello-component", build.build_component, tmp_path)
    assert built == get_sample("hello-component").wasm_path.read_bytes()
