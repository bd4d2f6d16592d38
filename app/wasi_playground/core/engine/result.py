"""What a run produced: the result object the runner returns and the CLI prints as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Frame:
    func_index: int | None
    func_name: str | None
    module_offset: int | None


@dataclass
class TrapInfo:
    message: str
    code: str | None = None
    """Trap code name such as "unreachable", "integer_divide_by_zero", "interrupt", "out_of_fuel"."""
    frames: list[Frame] = field(default_factory=list)


@dataclass
class RunResult:
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    trap: TrapInfo | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    """Keys: read, compile, instantiate, run, total."""
    fuel_consumed: int | None = None
    memory_bytes: int | None = None
    cancelled: bool = False
    timed_out: bool = False
    results: list[Any] | None = None
    """Return values of an --invoke call."""
    error: str | None = None
    """A failure before the module ran (bad configuration, unlinkable import), in words."""
    limit_message: str | None = None
    """Which limit bit and how, e.g. "memory.grow to 80 MiB refused: limit is 64 MiB"."""
    cache_hit: bool | None = None
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    stdout_truncated: bool = False
    """True when `stdout` holds only a bounded tail; the full text is in `stdout_file`."""
    stderr_truncated: bool = False
    stdout_file: str | None = None
    stderr_file: str | None = None
    trace_calls: int | None = None
    """Number of WASI calls recorded when tracing (events go to the sink as they happen)."""
    explanations: list[str] = field(default_factory=list)
    """Plain-language explanations of failed or denied WASI calls (capability lab)."""
    fs_changes: list[dict[str, Any]] | None = None
    """Created/changed/deleted files inside the preopened directories, when tracked."""
    notes: list[str] = field(default_factory=list)
    """Plain-language remarks, e.g. that fuel under-reports after a trap."""

    def to_json_dict(self) -> dict[str, Any]:
        """The `run --json` object of DESIGN.md (a superset: extra keys are allowed, none renamed)."""
        return asdict(self)
