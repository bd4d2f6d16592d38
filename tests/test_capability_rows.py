"""The capability lab's rows: imported groups first with their counts, the rest marked "not imported"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.core.inspect.capabilities import calls_per_group, capability_rows
from wasi_playground.core.inspect.report import inspect_path
from wasi_playground.core.run.runner import run
from wasi_playground.core.samples import get_sample

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class Collect:
    def __init__(self) -> None:
        self.events: list[object] = []

    def on_trace(self, event: object) -> None:
        self.events.append(event)


def test_imported_groups_come_first_and_every_group_has_a_row():
    report = inspect_path(SAMPLES / "random" / "random.wasm")
    rows = capability_rows(report.wasi.capabilities)
    imported = [r.group for r in rows if r.imported]
    assert set(imported) == set(report.wasi.capabilities) and "random" in imported
    assert [r.group for r in rows][: len(imported)] == imported
    assert sorted(r.group for r in rows) == sorted(CAPABILITY_GROUPS)
    rest = [r for r in rows if not r.imported]
    assert rest and all(r.counts_text() == "not imported" for r in rest)
    random_row = next(r for r in rows if r.group == "random")
    assert random_row.imports == ("wasi_snapshot_preview1.random_get",)
    assert random_row.counts_text() == "1 import"


def test_a_component_counts_its_interfaces():
    report = inspect_path(SAMPLES / "hello-component" / "hello-component.wasm")
    rows = capability_rows(report.wasi.capabilities)
    stdio = next(r for r in rows if r.group == "stdio")
    assert stdio.imported and all(name.startswith("wasi:") for name in stdio.imports)
    assert rows[0].imported


def test_switches_follow_the_denied_groups():
    rows = capability_rows({"filesystem": ["wasi_snapshot_preview1.path_open"]},
                           denied=["filesystem", "clocks"])
    allowed = {r.group: r.allowed for r in rows}
    assert not allowed["filesystem"] and not allowed["clocks"] and allowed["stdio"]


def test_after_a_run_each_imported_group_counts_its_calls_and_denials():
    sample = get_sample("random")
    report = inspect_path(sample.wasm_path)
    collect = Collect()
    config = replace(sample.config, trace=True, denied=["random"])
    result = run(sample.wasm_path, config, collect)
    assert result.error is None
    calls, denied = calls_per_group(collect.events)
    assert calls["random"] >= 1 and denied["random"] == calls["random"]
    rows = capability_rows(report.wasi.capabilities, config.denied, calls, denied)
    random_row = next(r for r in rows if r.group == "random")
    assert not random_row.allowed
    plural = "s" if calls["random"] > 1 else ""
    expected = f"1 import · {calls['random']} call{plural} ({denied['random']} denied)"
    assert random_row.counts_text() == expected
    stdio = next(r for r in rows if r.group == "stdio")
    assert stdio.calls == calls["stdio"] > 0 and stdio.denied_calls == 0
    assert all(r.calls is None for r in capability_rows(report.wasi.capabilities))
