"""What a call session offers and reports, the same for core modules and components."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExportedFunction:
    name: str
    params: list[str]
    """Parameter types, e.g. ["i32", "i64"] (core) or WIT types (components)."""
    results: list[str]
    signature: str
    param_names: list[str] = field(default_factory=list)


@dataclass
class GlobalValue:
    name: str
    type: str
    mutable: bool
    value: Any


@dataclass
class CallOutcome:
    """What one call did. A trap or exit is reported here, not raised: the session stays usable."""

    function: str
    results: list[Any] = field(default_factory=list)
    """Core: numbers (v128 as 0x-hex text); components: WAVE text."""
    elapsed_ms: float = 0.0
    fuel_consumed: int | None = None
    stdout: str = ""
    stderr: str = ""
    trap: str | None = None
    exit_code: int | None = None
    """Set when the function called proc_exit / exit instead of returning."""
    fresh_instance: bool = False
    """True when this call ran on an instance made for it."""
    notes: list[str] = field(default_factory=list)
