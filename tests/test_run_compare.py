"""Comparing two runs: configuration differences, output diff, timing ratios."""

from __future__ import annotations

from wasi_playground.core.engine.config import Limits, RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.diff import compare_runs, config_differences
from wasi_playground.core.state.history import RunRecord


def make(config: RunConfig, **kw) -> RunRecord:
    return RunRecord.from_result("sha", config, RunResult(**kw), 0.0)


def test_config_output_and_timing_differences() -> None:
    a = make(RunConfig(args=["1"], env=[("A", "1")]), exit_code=0, stdout="hello\nworld\n",
             timings_ms={"compile": 10.0, "run": 4.0, "total": 20.0})
    b = make(RunConfig(args=["2"], env=[("A", "1")], limits=Limits(fuel=1000)), exit_code=1,
             stdout="hello\nthere\n", timings_ms={"compile": 1.0, "run": 4.0, "total": 10.0})
    cmp = compare_runs(a, b)
    changed = {c.setting: (c.before, c.after) for c in cmp.config_changes}
    assert changed == {"args": ("1", "2"), "limits.fuel": ("(default)", "1000")}
    assert "-world" in cmp.stdout_diff and "+there" in cmp.stdout_diff
    assert cmp.stderr_diff == [] and not cmp.same_output and cmp.outcome_changed
    ratios = {t.phase: t.ratio for t in cmp.timings}
    assert ratios["compile"] == 0.1 and ratios["run"] == 1.0 and ratios["total"] == 0.5
    assert "faster" in next(t for t in cmp.timings if t.phase == "total").describe()
    assert "2 configuration differences" in cmp.summary() and "exit 0 -> exit 1" in cmp.summary()


def test_identical_runs_compare_equal() -> None:
    a = make(RunConfig(), exit_code=0, stdout="x\n", timings_ms={"total": 5.0})
    cmp = compare_runs(a, make(RunConfig(), exit_code=0, stdout="x\n", timings_ms={"total": 5.0}))
    assert cmp.config_changes == [] and cmp.same_output and not cmp.outcome_changed
    assert cmp.summary().startswith("same configuration; same output")
    assert config_differences({"args": []}, {"args": []}) == []
