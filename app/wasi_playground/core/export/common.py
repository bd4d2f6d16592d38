"""What every target is asked to express, and the sentences for what one cannot."""

from __future__ import annotations

from collections.abc import Iterable

from wasi_playground.core.engine.config import RunConfig

LIMIT_WORDS = {
    "memory": "a memory limit",
    "table": "a table-size limit",
    "fuel": "a fuel limit",
    "timeout": "a timeout",
}


def set_limits(config: RunConfig) -> list[str]:
    """The limits this configuration sets, as keys of LIMIT_WORDS."""
    lim = config.limits
    values = {
        "memory": lim.max_memory_bytes,
        "table": lim.max_table_elements,
        "fuel": lim.fuel,
        "timeout": lim.timeout_s,
    }
    return [key for key, value in values.items() if value is not None]


def unsaid(config: RunConfig, target: str, expressible: Iterable[str] = ()) -> list[str]:
    """Warnings for the parts of `config` that `target` has no way to say (beyond `expressible`)."""
    can = set(expressible)
    out = [
        f"{target} has no way to set {LIMIT_WORDS[key]}: this runs without it"
        for key in set_limits(config)
        if key not in can
    ]
    if config.denied and "denied" not in can:
        out.append(
            f"{target} cannot switch capability groups off ({', '.join(config.denied)}): "
            "the module gets them there"
        )
    if config.argv0 is not None and "argv0" not in can:
        out.append(f"{target} sets argv[0] itself: {config.argv0!r} is not used")
    if config.trace:
        out.append("the WASI call trace is the playground's own: nothing records it there")
    return out


def read_only_dirs(config: RunConfig) -> list[str]:
    return [p.guest for p in config.preopens if p.read_only]
