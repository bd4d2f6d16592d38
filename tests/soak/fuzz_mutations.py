"""Long mutation fuzzing of the inspector, the WAT path and the run path (not part of the test suite).

Usage: python tests/soak/fuzz_mutations.py [CASES] [--run-every N] [--wat-every N]
Mutates the bundled samples' modules (bit flips, byte sets, truncations, splices, LEB128 bombs) and feeds each
case to the inspector; every Nth case also to the runner (with tight limits), and every Mth case is a mutated
WAT text instead. A case fails when anything other than a WasmFormatError escapes the inspector, when a
rejection names no byte offset (an empty input, which has none, must say so), when a WAT error names no line
and column, when the runner raises or reports an internal error instead of returning a result, or when one
case takes longer than its bound (a hang). Prints cases/s and the failures found, grouped by kind.
"""

from __future__ import annotations

import random
import re
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))

from wasi_playground.core.binary.reader import WasmFormatError  # noqa: E402
from wasi_playground.core.engine.config import Limits, RunConfig  # noqa: E402
from wasi_playground.core.inspect.report import InputError, inspect_bytes  # noqa: E402
from wasi_playground.core.run.runner import run  # noqa: E402

HANG_S = 5.0
LINE_COLUMN = re.compile(r"line \d+, column \d+")
WAT_SEED = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\\n")
  (global $g (mut i32) (i32.const 7))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""
WAT_TOKENS = (
    "(",
    ")",
    "module",
    "func",
    "param",
    "i32",
    "i64",
    "local.get",
    "$x",
    "0",
    "-1",
    "0xffffffff",
    '"',
    "\\",
    "memory",
    "export",
    "call",
    "loop",
    "br",
    ";;",
    "(;",
    ";)",
    "\n",
    "component",
    "\u00e9",
)


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
            del b[rng.randrange(8, len(b) + 1) if len(b) > 8 else len(b) :]
        elif op == 3:
            b[i:i] = b"\xff" * rng.randint(1, 10)
        elif op == 4:
            j = rng.randrange(len(b))
            b[i:i] = b[j : j + rng.randint(1, 64)]
        else:
            del b[i : i + rng.randint(1, 16)]
    return bytes(b)


def mutate_wat(rng: random.Random) -> bytes:
    text = WAT_SEED
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(3)
        if op == 0:
            text = text[:i] + rng.choice(WAT_TOKENS) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + rng.randint(1, 20) :]
        else:
            text = text[:i]
    return text.encode()


def rejection_problem(e: WasmFormatError, wat: bool) -> str | None:
    """What is wrong with a rejection's message, or None when it is a clear one."""
    message = str(e)
    if isinstance(e, InputError):
        return None if "empty" in message or e.offset else f"input error without offset: {message}"
    if "offset" not in message:
        return f"message without offset: {message}"
    if wat and message.startswith("WAT does not compile") and not LINE_COLUMN.search(message):
        return f"WAT error without line and column: {message}"
    return None


def run_problems(data: bytes, config: RunConfig) -> list[str]:
    """What went wrong running a mutant, beyond the module being refused in words."""
    try:
        result = run(data, config)
    except Exception as e:
        return [f"runner raised {type(e).__name__}\n{traceback.format_exc()}"]
    if result.error and "internal error" in result.error:
        return [f"runner internal error: {result.error}"]
    return []


def main() -> int:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    run_every = int(sys.argv[sys.argv.index("--run-every") + 1]) if "--run-every" in sys.argv else 2000
    wat_every = int(sys.argv[sys.argv.index("--wat-every") + 1]) if "--wat-every" in sys.argv else 50
    rng = random.Random(1234)
    corpus = seeds()
    limits = RunConfig(limits=Limits(timeout_s=0.5, fuel=5_000_000, max_memory_bytes=64 << 20))
    failures: list[str] = []
    kinds: dict[str, int] = {}
    rejected = accepted = runs = wat_cases = 0
    slowest = 0.0
    start = time.perf_counter()
    for n in range(cases):
        wat = wat_every > 0 and n % wat_every == 1
        data = mutate_wat(rng) if wat else mutate(rng, rng.choice(corpus))
        wat_cases += wat
        found: list[str] = []
        t = time.perf_counter()
        try:
            inspect_bytes(data, "fuzz.wat" if wat else None)
            accepted += 1
        except WasmFormatError as e:
            rejected += 1
            problem = rejection_problem(e, wat)
            if problem:
                found.append(problem)
        except Exception as e:
            found.append(f"inspector raised {type(e).__name__}\n{traceback.format_exc()}")
        if n % run_every == 0 and not wat:
            runs += 1
            found += run_problems(data, limits)
        took = time.perf_counter() - t
        slowest = max(slowest, took)
        if took > HANG_S:
            found.append(f"took {took:.1f} s")
        for problem in found:
            kind = problem.split(":")[0].splitlines()[0]
            kinds[kind] = kinds.get(kind, 0) + 1
            failures.append(f"case {n}: {problem}")
        if n and n % 50_000 == 0:
            rate = n / (time.perf_counter() - start)
            print(f"{n} cases, {rate:.0f}/s, {len(failures)} failures", flush=True)
    elapsed = time.perf_counter() - start
    print(
        f"cases: {cases} (WAT text: {wat_cases})  rejected: {rejected}  accepted: {accepted}  "
        f"also run: {runs}"
    )
    print(f"time: {elapsed:.1f} s ({cases / elapsed:.0f} cases/s), slowest case {slowest * 1000:.1f} ms")
    print(f"failures: {len(failures)}")
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:>7}  {kind}")
    for f in failures[:20]:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
