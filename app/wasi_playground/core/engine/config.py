"""The run configuration: a plain, serialisable description of everything a run is granted.

Deny-by-default is the point: an empty `RunConfig()` grants no argument, no environment variable, no
directory and no stdin. The GUI edits one of these, the CLI builds one from its options, and the runner
only ever reads it.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StdinKind = Literal["none", "text", "file", "inherit"]

# Capability groups a person can switch off (see core/wasi knowledge for which calls belong to each).
CAPABILITY_GROUPS = (
    "stdio", "args", "environment", "clocks", "random", "filesystem", "sockets", "polling",
    "process", "signals", "threads",
)


class ConfigError(ValueError):
    """A configuration that cannot run, explained in words the user acts on."""


@dataclass
class Preopen:
    host: str
    guest: str
    read_only: bool = False


@dataclass
class Stdin:
    kind: StdinKind = "none"
    text: str = ""
    path: str = ""


@dataclass
class Limits:
    max_memory_bytes: int | None = None
    max_table_elements: int | None = None
    fuel: int | None = None
    timeout_s: float | None = None


@dataclass
class RunConfig:
    args: list[str] = field(default_factory=list)
    """Arguments after argv[0]."""
    argv0: str | None = None
    """argv[0]; None means the module's file name."""
    env: list[tuple[str, str]] = field(default_factory=list)
    preopens: list[Preopen] = field(default_factory=list)
    stdin: Stdin = field(default_factory=Stdin)
    limits: Limits = field(default_factory=Limits)
    invoke: str | None = None
    """An exported function to call instead of `_start` (core) or `wasi:cli/run` (component)."""
    invoke_args: list[str] = field(default_factory=list)
    """Arguments of `invoke` as text: numbers for core modules, WAVE-like values for components."""
    denied: list[str] = field(default_factory=list)
    """Capability groups switched off in the capability lab (names from CAPABILITY_GROUPS)."""
    trace: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["env"] = [list(pair) for pair in self.env]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunConfig:
        try:
            return cls(
                args=[str(a) for a in d.get("args", [])],
                argv0=d.get("argv0"),
                env=[(str(k), str(v)) for k, v in d.get("env", [])],
                preopens=[Preopen(**p) for p in d.get("preopens", [])],
                stdin=Stdin(**d.get("stdin", {})),
                limits=Limits(**d.get("limits", {})),
                invoke=d.get("invoke"),
                invoke_args=[str(a) for a in d.get("invoke_args", [])],
                denied=[str(g) for g in d.get("denied", [])],
                trace=bool(d.get("trace", False)),
            )
        except (TypeError, ValueError, AttributeError) as e:
            raise ConfigError(f"not a valid run configuration: {e}") from None

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str) -> RunConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"configuration is not valid JSON: {e}") from None
        if not isinstance(data, dict):
            raise ConfigError("configuration must be a JSON object")
        return cls.from_dict(data)

    def wasmtime_command(self, module_path: str) -> str:
        """The equivalent `wasmtime run` command line, for teaching and for pasting into a terminal.

        Options stand before the module, as wasmtime's CLI requires. wasmtime's CLI (checked for the 2024+
        `-W`/`-S` option syntax) has no way to preopen a directory read-only, so a read-only preopen is
        rendered as `--dir` and a trailing shell comment says that wasmtime would let the module write there.
        """
        cmd = ["wasmtime", "run"]
        for p in self.preopens:
            cmd += ["--dir", p.host if p.host == p.guest else f"{p.host}::{p.guest}"]
        read_only = [p.guest for p in self.preopens if p.read_only]
        for k, v in self.env:
            cmd += ["--env", f"{k}={v}"]
        lim = self.limits
        for option, value in (("fuel", lim.fuel), ("max-memory-size", lim.max_memory_bytes),
                              ("max-table-elements", lim.max_table_elements)):
            if value is not None:
                cmd += ["-W", f"{option}={value}"]
        if lim.timeout_s is not None:
            cmd += ["-W", f"timeout={lim.timeout_s:g}s"]
        if self.invoke:
            cmd += ["--invoke", self.invoke]
        if self.argv0 is not None:
            cmd += ["--argv0", self.argv0]
        cmd.append(module_path)
        cmd += self.invoke_args if self.invoke else self.args
        line = shlex.join(cmd)
        if self.stdin.kind == "file" and self.stdin.path:
            line += " < " + shlex.quote(self.stdin.path)
        elif self.stdin.kind == "text":
            line = f"printf %s {shlex.quote(self.stdin.text)} | {line}"
        elif self.stdin.kind == "none":
            line += " < /dev/null"
        if read_only:
            line += (f"  # read-only here, writable under wasmtime run (its CLI cannot preopen read-only): "
                     f"{', '.join(read_only)}")
        return line
