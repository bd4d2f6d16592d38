"""WASI 0.2 components: their world as WIT-like text, WAVE values, calls, and what this host cannot provide."""

from wasi_playground.core.components.host_support import MissingImport, explain_missing, missing_imports
from wasi_playground.core.components.invoke import call_component_export, resolve_export
from wasi_playground.core.components.wave import WaveError, format_value, parse_value
from wasi_playground.core.components.world import FunctionInfo, InterfaceInfo, WorldInfo, describe_world

__all__ = [
    "FunctionInfo", "InterfaceInfo", "MissingImport", "WaveError", "WorldInfo", "call_component_export",
    "describe_world", "explain_missing", "format_value", "missing_imports", "parse_value", "resolve_export",
]
