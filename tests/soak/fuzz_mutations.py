"""Long mutation fuzzing of the inspector, the WAT path and the run path (not part of the test suite).

Usage: python tests/soak/fuzz_mutations.py [CASES] [--run-every N]
Mutates the bundled samples' modules (bit flips, byte sets, truncations, splices, LEB128 bombs) and feeds each
case to the inspector; every Nth case also to the runner (with tight limits). A case fails when anything other
than a WasmFormatError escapes the inspector, when the runner raises instead of returning a result with an
error, or when one case takes longer than its bound (a hang). Prints cases/s and the failures found.
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from wasi_playground.core.binary import WasmFormatError  # noqa: E402
from wasi_playground.core.config import Limits, RunConfig  # noqa: E402
from wasi_playground.core.inspect import inspect_bytes  # noqa: E402
from wasi_playground.core.runner import run  # noqa: E402

HANG_S = 5.0


def seeds() -> list[bytes]:
    found = sorted((REPO / "samples").rglob("*.wasm"))
    return [p.read_bytes() for p in found if p.stat().st_size < 2_000_000]


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if not b:
            break
        i = rng.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.choice((0x00, 0x7F, 0x80, 0xFF, rng.randrange(256)))
        elif op == 2:
            del b[rng.randrange(8, len(b) + 1) if len(b) > 8 else len(b):]
        elif op == 3:
            b[i:i] = b"\xff" * rng.randint(1, 10)
        elif op == 4:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 64)]
        else:
            del b[i:i + rng.randint(1, 16)]
    return bytes(b)


def main() -> int:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    run_every = int(sys.argv[sys.argv.index("--run-every") + 1]) if "--run-every" in sys.argv else 2000
    rng = random.Random(1234)
    corpus = seeds()
    limits = RunConfig(limits=Limits(timeout_s=0.5, fuel=5_000_000, max_memory_bytes=64 << 20))
    failures: list[str] = []
    rejected = accepted = runs = 0
    slowest = 0.0
    start = time.perf_counter()
    for n in range(cases):
        data = mutate(rng, rng.choice(corpus))
        t = time.perf_counter()
        try:
            inspect_bytes(data)
            accepted += 1
        except WasmFormatError as e:
            rejected += 1
            if "offset" not in str(e):
                failures.append(f"case {n}: message without offset: {e}")
        except Exception:
            failures.append(f"case {n}: inspector raised\n{traceback.format_exc()}")
        if n % run_every == 0:
            runs += 1
            try:
                run(data, limits)
            except Exception:
                failures.append(f"case {n}: runner raised\n{traceback.format_exc()}")
        took = time.perf_counter() - t
        slowest = max(slowest, took)
        if took > HANG_S:
            failures.append(f"case {n}: took {took:.1f} s")
        if n and n % 50_000 == 0:
            rate = n / (time.perf_counter() - start)
            print(f"{n} cases, {rate:.0f}/s, {len(failures)} failures", flush=True)
    elapsed = time.perf_counter() - start
    print(f"cases: {cases}  rejected: {rejected}  accepted: {accepted}  also run: {runs}")
    print(f"time: {elapsed:.1f} s ({cases / elapsed:.0f} cases/s), slowest case {slowest * 1000:.1f} ms")
    print(f"failures: {len(failures)}")
    for f in failures[:20]:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
