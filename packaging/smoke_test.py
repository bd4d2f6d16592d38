"""Run the frozen binary the way a user would: --version, inspect and run of a sample, the window offscreen.

Usage: python packaging/smoke_test.py path/to/frozen/wasi-playground
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "hello" / "hello.wasm"


def check(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    t = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)  # type: ignore[call-overload]
    print(f"{time.perf_counter() - t:6.2f} s  exit {done.returncode}  {' '.join(argv[1:])}")
    return done


def main() -> int:
    exe = str(Path(sys.argv[1]).resolve())
    failures: list[str] = []

    done = check([exe, "--version"])
    if done.returncode != 0 or "wasmtime" not in done.stdout:
        failures.append(f"--version: {done.stdout!r} {done.stderr!r}")

    done = check([exe, "inspect", str(SAMPLE), "--json"])
    if done.returncode != 0 or json.loads(done.stdout or "{}").get("kind") != "module":
        failures.append(f"inspect: {done.stderr.strip()}")

    done = check([exe, "run", str(SAMPLE)])
    if done.returncode != 0 or not done.stdout.strip():
        failures.append(f"run: exit {done.returncode}: {done.stderr.strip()}")

    done = check([exe, "wat", str(SAMPLE)])
    if done.returncode != 0 or not done.stdout.lstrip().startswith("(module"):
        failures.append(f"wat: exit {done.returncode}: {done.stderr.strip()}")

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WASI_PLAYGROUND_QUIT_AFTER_MS="1500")
    done = check([exe, str(SAMPLE)], env=env)
    if done.returncode != 0:
        failures.append(f"window: exit {done.returncode}: {done.stderr.strip()[-500:]}")

    for f in failures:
        print("FAILED", f)
    print("smoke test:", "passed" if not failures else f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
