"""Real components run like their preview-1 originals, and their insides read as the toolchains built them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from component_programs import *  # noqa: F403  (the fixtures)
from component_programs import PREVIEW1_SAMPLES, AdaptedSample, PythonCommand
from wasi_playground.core.components.contents import nested_bytes, read_contents
from wasi_playground.core.run.runner import run


def component_exit_code(preview1_code: int | None) -> int | None:
    """What a component reports today for the original's exit code: only ok (0) or err (1).

    The component-trace work adds real exit codes (wasi:cli/exit#exit-with-code); then this is the identity.
    """
    return None if preview1_code is None else (0 if preview1_code == 0 else 1)


def _shape(text: str) -> str:
    """Output with its numbers and hex digits blurred: clocks and random print different values each run."""
    return re.sub(r"[0-9a-f]{8,}|\d+(\.\d+)?", "#", text)


@pytest.mark.parametrize("name", PREVIEW1_SAMPLES)
def test_adapted_sample_runs_like_its_preview1_original(name: str, adapted_samples: dict[str, AdaptedSample],
                                                      tmp_path: Path) -> None:
    sample = adapted_samples[name]
    original = run(sample.module, sample.config(tmp_path / "original"))
    component = run(sample.component, sample.config(tmp_path / "component"))
    assert component.trap is None and original.trap is None
    assert component.exit_code == component_exit_code(original.exit_code)
    assert original.exit_code == sample.expect["exit_code"]
    if "stdout" in sample.expect:
        assert component.stdout == original.stdout == sample.expect["stdout"]
    else:
        assert sample.expect["stdout_contains"] in component.stdout
        assert _shape(component.stdout) == _shape(original.stdout)
    assert component.stderr == original.stderr


def test_adapted_write_sample_writes_the_same_file(adapted_samples: dict[str, AdaptedSample],
                                                   tmp_path: Path) -> None:
    sample = adapted_samples["write"]
    original, component = sample.config(tmp_path / "original"), sample.config(tmp_path / "component")
    run(sample.module, original)
    run(sample.component, component)
    written = [Path(c.preopens[0].host) / "note.txt" for c in (original, component)]
    assert written[0].read_bytes() == written[1].read_bytes() and len(written[0].read_bytes()) == 32
    assert str(tmp_path) in original.preopens[0].host


def test_adapter_keeps_the_original_module_byte_for_byte(adapted_samples: dict[str, AdaptedSample]) -> None:
    for sample in adapted_samples.values():
        data = sample.component.read_bytes()
        contents = read_contents(data)
        main = contents.core_modules[0]
        assert main.name == "main"
        assert nested_bytes(data, main.path) == sample.module.read_bytes()
        assert "wit-component:adapter:wasi_snapshot_preview1" in {m.name for m in contents.core_modules}
        lifts = [f.wit for f in contents.canonical if f.kind == "lift"]
        assert lifts == ["wasi:cli/run@0.2.12#run"]


@pytest.mark.slow
def test_python_component_uses_every_capability_it_was_given(
        python_command: PythonCommand, persistent_code_cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(python_command.path, python_command.config(data))
    assert result.trap is None, result.stderr
    assert result.stdout == python_command.expected_stdout()
    assert (data / "out.txt").read_text() == (data / "in.txt").read_text().upper()
    assert result.exit_code == 0
    failing = run(python_command.path, python_command.config(tmp_path / "again", exit_code=3))
    assert failing.stdout == python_command.expected_stdout()
    assert failing.exit_code == component_exit_code(3)


@pytest.mark.slow
def test_python_component_has_cpython_inside_and_a_libc_that_calls_wasi_02(
        python_command: PythonCommand) -> None:
    data = python_command.path.read_bytes()
    assert len(data) > 5_000_000
    contents = read_contents(data)
    modules = {m.name: m for m in contents.core_modules}
    assert any(name and name.startswith("libpython3") for name in modules)
    libc_imports = {i["module"] for i in modules["libc.so"].imports}
    assert {"wasi:filesystem/types@0.2.0", "wasi:random/random@0.2.0", "wasi:cli/environment@0.2.0",
            "wasi:clocks/monotonic-clock@0.2.0"} <= libc_imports
    run_lift = [f for f in contents.canonical if f.kind == "lift" and f.wit == "wasi:cli/run@0.2.12#run"]
    assert len(run_lift) == 1 and run_lift[0].resolved
