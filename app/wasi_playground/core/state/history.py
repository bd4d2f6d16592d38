"""The run history of each module: what was granted, what came out, how long it took.

History is keyed by the module's path (a rebuild is the same program, and comparing runs across rebuilds is
the point). Each record keeps a bounded excerpt of the output, enough to compare two runs without growing
without limit; the newest `limit` records are kept. Files are written atomically in the user data dir.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.state.settings import JsonFile, data_dir

OUTPUT_EXCERPT_CHARS = 64 * 1024


def _is(value: Any, kind: type) -> bool:
    """isinstance as JSON means it: a bool is not a number, an int is a float."""
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


@dataclass
class RunRecord:
    id: str
    started_at: float
    module_sha256: str
    config: dict[str, Any]
    exit_code: int | None = None
    trap: str | None = None
    error: str | None = None
    cancelled: bool = False
    timed_out: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    fuel_consumed: int | None = None
    memory_bytes: int | None = None
    cache_hit: bool | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_bytes: int = 0
    stderr_bytes: int = 0

    @property
    def run_config(self) -> RunConfig:
        try:
            return RunConfig.from_dict(self.config)
        except ConfigError:
            return RunConfig()

    def outcome(self) -> str:
        """One short phrase for lists: "exit 0", "trap: unreachable", "stopped"."""
        if self.error:
            return "could not run"
        if self.cancelled:
            return "stopped"
        if self.timed_out:
            return "timed out"
        if self.trap:
            return f"trap: {self.trap}"
        return f"exit {self.exit_code}" if self.exit_code is not None else "finished"

    def label(self) -> str:
        when = time.strftime("%H:%M:%S", time.localtime(self.started_at))
        total = self.timings_ms.get("total")
        took = f", {total:.0f} ms" if total is not None else ""
        return f"{when}  {self.outcome()}{took}"

    @classmethod
    def from_result(cls, sha256: str, config: RunConfig, result: RunResult, started_at: float) -> RunRecord:
        trap = None
        if result.trap is not None:
            trap = result.trap.code or result.trap.message.splitlines()[0][:120]
        return cls(
            id=uuid.uuid4().hex[:12],
            started_at=started_at,
            module_sha256=sha256,
            config=config.to_dict(),
            exit_code=result.exit_code,
            trap=trap,
            error=result.error,
            cancelled=result.cancelled,
            timed_out=result.timed_out,
            timings_ms=dict(result.timings_ms),
            fuel_consumed=result.fuel_consumed,
            memory_bytes=result.memory_bytes,
            cache_hit=result.cache_hit,
            stdout=result.stdout[-OUTPUT_EXCERPT_CHARS:],
            stderr=result.stderr[-OUTPUT_EXCERPT_CHARS:],
            stdout_bytes=result.stdout_bytes or len(result.stdout.encode("utf-8", "replace")),
            stderr_bytes=result.stderr_bytes or len(result.stderr.encode("utf-8", "replace")),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunRecord | None:
        """A record read back from disk, or None when any field has the wrong type."""
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        try:
            record = cls(**known)
        except TypeError:
            return None
        return record if record._well_typed() else None

    def _well_typed(self) -> bool:
        required = {"id": str, "module_sha256": str, "config": dict, "cancelled": bool, "timed_out": bool,
                    "stdout": str, "stderr": str, "stdout_bytes": int, "stderr_bytes": int,
                    "started_at": float, "timings_ms": dict}
        optional = {"exit_code": int, "trap": str, "error": str, "fuel_consumed": int, "memory_bytes": int,
                    "cache_hit": bool}
        if not all(_is(getattr(self, name), kind) for name, kind in required.items()):
            return False
        if not all(getattr(self, name) is None or _is(getattr(self, name), kind)
                   for name, kind in optional.items()):
            return False
        return all(_is(v, float) for v in self.timings_ms.values())


class RunHistory:
    """The persisted runs of one module, oldest first."""

    def __init__(self, module_path: str | Path, directory: Path | None = None, limit: int = 50) -> None:
        key = hashlib.sha256(str(Path(module_path).resolve()).encode()).hexdigest()[:24]
        self.file = JsonFile((directory or data_dir() / "history") / f"{key}.json")
        self.limit = limit
        self.module_path = str(module_path)
        loaded = self.file.load().get("runs", [])
        if not isinstance(loaded, list):
            self.file.problems.append(f"{self.file.path.name} holds no list of runs: history starts empty")
            loaded = []
        records = [RunRecord.from_dict(r) if isinstance(r, dict) else None for r in loaded]
        self.records: list[RunRecord] = [r for r in records if r is not None]
        if len(self.records) < len(records):
            self.file.problems.append(
                f"{len(records) - len(self.records)} unreadable run(s) in {self.file.path.name} were skipped"
            )

    def add(self, record: RunRecord, save: bool = True) -> None:
        """Append and persist; with `save=False` the caller writes later through `writer()`."""
        self.records.append(record)
        del self.records[: max(0, len(self.records) - self.limit)]
        if save:
            self.save()

    def writer(self) -> Callable[[], None]:
        """The records as they are now, to be written later on any thread (see `JsonFile.writer`)."""
        return self.file.writer(self._as_data(list(self.records)))

    def get(self, record_id: str) -> RunRecord | None:
        return next((r for r in self.records if r.id == record_id), None)

    def clear(self) -> None:
        self.records.clear()
        self.save()

    def _as_data(self, records: list[RunRecord]) -> dict[str, Any]:
        return {"module": self.module_path, "runs": [asdict(r) for r in records]}

    def save(self) -> None:
        self.file.save(self._as_data(self.records))

    def to_json(self) -> str:
        return json.dumps([asdict(r) for r in self.records], indent=2)
