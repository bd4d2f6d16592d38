"""Run history: persisted per module, bounded, readable labels."""

from __future__ import annotations

from pathlib import Path

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.engine.result import RunResult, TrapInfo
from wasi_playground.core.state.history import OUTPUT_EXCERPT_CHARS, RunHistory, RunRecord


def record(**kw) -> RunRecord:
    result = RunResult(**kw)
    return RunRecord.from_result("sha", RunConfig(args=["a"]), result, 1_700_000_000.0)


def test_history_persists_and_is_bounded(tmp_path: Path) -> None:
    history = RunHistory(tmp_path / "m.wasm", tmp_path / "hist", limit=3)
    for code in range(5):
        history.add(record(exit_code=code, timings_ms={"total": 10.0 + code}))
    again = RunHistory(tmp_path / "m.wasm", tmp_path / "hist", limit=3)
    assert [r.exit_code for r in again.records] == [2, 3, 4]
    assert again.records[0].run_config.args == ["a"]
    assert again.get(again.records[1].id).exit_code == 3
    assert RunHistory(tmp_path / "other.wasm", tmp_path / "hist").records == []


def test_outcomes_in_words() -> None:
    assert record(exit_code=0).outcome() == "exit 0"
    assert record(trap=TrapInfo("wasm trap: unreachable", "unreachable")).outcome() == "trap: unreachable"
    assert record(cancelled=True).outcome() == "stopped"
    assert record(error="missing folder").outcome() == "could not run"
    assert "exit 3" in record(exit_code=3, timings_ms={"total": 12.0}).label()


def test_output_excerpt_is_bounded() -> None:
    big = record(stdout="x" * (OUTPUT_EXCERPT_CHARS * 2))
    assert len(big.stdout) == OUTPUT_EXCERPT_CHARS and big.stdout_bytes == OUTPUT_EXCERPT_CHARS * 2


def test_corrupt_history_starts_empty(tmp_path: Path) -> None:
    history = RunHistory(tmp_path / "m.wasm", tmp_path / "hist")
    history.add(record(exit_code=1))
    history.file.path.write_text("[garbage")
    again = RunHistory(tmp_path / "m.wasm", tmp_path / "hist")
    assert again.records == [] and again.file.problems


def test_an_add_written_later_persists_the_snapshot_taken_then(tmp_path: Path) -> None:
    history = RunHistory(tmp_path / "m.wasm", tmp_path / "hist")
    writes = []
    for code in range(3):
        history.add(record(exit_code=code), save=False)
        writes.append(history.writer())
    history.add(record(exit_code=9), save=False)
    for write in writes:
        write()
    assert [r.exit_code for r in RunHistory(tmp_path / "m.wasm", tmp_path / "hist").records] == [0, 1, 2]
