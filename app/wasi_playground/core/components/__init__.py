"""WASI 0.2 components: their world as WIT-like text, WAVE values, calls, and what this host cannot provide.

`info` and `contents` (what is nested inside, and the canonical lifts and lowers) read a component's binary
without wasmtime (inspection stays light); the names below are imported when first asked for.
"""

from __future__ import annotations

import importlib
from typing import Any

_FACE = {
    "CanonicalFunction": "canonical", "ComponentContents": "contents", "ContentsItem": "contents",
    "nested_bytes": "contents", "read_contents": "contents",
    "MissingImport": "host_support", "explain_missing": "host_support", "missing_imports": "host_support",
    "call_component_export": "invoke", "resolve_export": "invoke",
    "WaveError": "wave", "format_value": "wave", "parse_value": "wave",
    "FunctionInfo": "world", "InterfaceInfo": "world", "WorldInfo": "world", "describe_world": "world",
}
__all__ = sorted(_FACE)


def __getattr__(name: str) -> Any:
    module = _FACE.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f".{module}", __name__), name)
