"""core/ never imports Qt: the CLI and the tests must work without a display or PySide6 loaded."""

import pkgutil
import subprocess
import sys

import wasi_playground.core as core


def test_importing_every_core_module_loads_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "wasi_playground.core.")]
    assert "wasi_playground.core.binary.reader" in names
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
