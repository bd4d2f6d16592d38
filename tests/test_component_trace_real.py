"""Tracing real components: the preview-1 samples made into components with jco's adapter, and a
componentize-py app. Traced and untraced runs give the same output, files and exit codes; switching a
group off refuses the calls the component makes to it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from component_programs import *  # noqa: F403  (the fixtures)
from component_programs import PREVIEW1_SAMPLES, AdaptedSample, PythonCommand
from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.run.runner import run


class Events:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def on_trace(self, event: Any) -> None:
        self.events.append(event)


def traced(path: Path, config: RunConfig, denied: tuple[str, ...] = ()) -> tuple[RunResult, list[Any]]:
    sink = Events()
    result = run(path, dataclasses.replace(config, trace=True, denied=list(denied)), sink)
    return result, sink.events


def _shape(text: str) -> str:
    """Output with its numbers and hex digits blurred: clocks and random print different values each run."""
    return re.sub(r"[0-9a-f]{8,}|\d+(\.\d+)?", "#", text)


@pytest.mark.parametrize("name", PREVIEW1_SAMPLES)
def test_adapted_sample_traced_like_untraced(name: str, adapted_samples: dict[str, AdaptedSample],
                                             tmp_path: Path) -> None:
    sample = adapted_samples[name]
    plain = run(sample.component, sample.config(tmp_path / "plain"))
    result, events = traced(sample.component, sample.config(tmp_path / "traced"))
    assert result.error is None and result.trap is None
    assert (result.exit_code, result.stderr) == (plain.exit_code, plain.stderr)
    assert _shape(result.stdout) == _shape(plain.stdout)
    assert result.trace_calls == len(events) > 0
    assert all(e.func.startswith("wasi:") and "@0.2." in e.func for e in events)
    if name == "write":
        assert any(c["path"].endswith("note.txt") for c in result.fs_changes or [])


def test_adapted_samples_refused_what_is_switched_off(adapted_samples: dict[str, AdaptedSample],
                                                      tmp_path: Path) -> None:
    env = adapted_samples["env"]
    config = dataclasses.replace(env.config(), env=[("GREETING", "hi")])
    assert "GREETING=hi" in run(env.component, config).stdout
    result, events = traced(env.component, config, ("environment",))
    assert "GREETING" not in result.stdout
    assert any(e.denied and e.call.name == "get-environment" for e in events)

    cat = adapted_samples["cat"]
    result, events = traced(cat.component, cat.config(), ("filesystem",))
    assert result.exit_code != 0 and "A module wakes" not in result.stdout
    assert any(e.denied and e.call.name == "get-directories" for e in events)
    assert any("filesystem switched off" in line for line in result.explanations)


@pytest.mark.slow
def test_python_component_traced_like_untraced_and_refused(
        python_command: PythonCommand, persistent_code_cache: Path, tmp_path: Path) -> None:
    plain_dir, traced_dir = tmp_path / "plain", tmp_path / "traced"
    plain = run(python_command.path, python_command.config(plain_dir))
    result, events = traced(python_command.path, python_command.config(traced_dir))
    assert result.stdout == plain.stdout == python_command.expected_stdout()
    assert result.exit_code == plain.exit_code == 0
    assert (traced_dir / "out.txt").read_text() == (plain_dir / "out.txt").read_text()
    funcs = {e.func.split("@")[0] + "#" + e.func.split("#")[1] for e in events}
    assert {"wasi:cli/environment#get-environment", "wasi:filesystem/types#[method]descriptor.open-at",
            "wasi:random/random#get-random-bytes", "wasi:clocks/wall-clock#now"} <= funcs
    denied, events = traced(python_command.path, python_command.config(tmp_path / "denied"),
                            ("environment",))
    assert "GREETING=<unset>" in denied.stdout
    assert any(e.denied and e.call.name == "get-environment" for e in events)
