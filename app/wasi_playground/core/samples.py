"""The bundled samples: small WASI programs, each with the run configuration that makes its point.

Every sample lives in `samples/<name>/` (shipped as the package `wasi_playground.samples`) with its source,
the built `<name>.wasm` and a `sample.json`. The folder is found through `importlib.resources`, so the
samples work from a checkout and from an install, and never depend on the current directory.

Preopen host paths in `sample.json` are relative to the sample's folder. The special host path
`@scratch` (or `@scratch/sub`) names a per-sample writable folder under the user's cache directory:
samples that write (write, escape) must not write into the installed package, which may be read-only.
The escape sample's scratch folder also gets the symlink pointing out of the sandbox, made here at
load time rather than carried by git, so it exists on every platform that allows symlinks.
"""

from __future__ import annotations

import filecmp
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wasi_playground.core.engine.config import ConfigError, Preopen, RunConfig

SOURCE_SUFFIXES = (".c", ".h", ".zig", ".wat", ".ts", ".wit", ".rs")
SCRATCH = "@scratch"
ESCAPE_LINK_NAME = "outside"
"""Name of the symlink in the escape sample's sandbox; it points at the filesystem root."""
LESSON_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("first-steps", "First steps", "What a WASI program is and how it talks to its host"),
    ("deny-by-default", "Deny by default", "A module can touch only what the host grants it"),
    ("limits", "When things go wrong", "Traps, endless loops and limits: the host stays in charge"),
    ("beyond-commands", "Beyond commands", "Libraries to call, HTTP handlers and WASI 0.2 components"),
)
"""(key, title, what the group teaches), in the order the first screen shows them."""
OTHER_GROUP = ("other", "More samples", "Samples not yet placed in a lesson group")


class SampleError(LookupError):
    """A sample that does not exist or whose description cannot be read."""


@dataclass
class Sample:
    name: str
    title: str
    teaches: str
    """One line for the Samples menu."""
    description: str
    """One paragraph the app shows beside the sample."""
    language: str
    wasm_path: Path
    sources: list[Path]
    config: RunConfig
    """The configuration that makes the sample's point, with preopen host paths made absolute."""
    expect: dict[str, Any] = field(default_factory=dict)
    """What a run with `config` produces (exit_code, stdout, stderr_contains...), for tests and the app."""
    group: str = ""
    """The lesson group's key (see LESSON_GROUPS)."""
    order: int = 0
    """Place within its lesson group."""

    @property
    def folder(self) -> Path:
        return self.wasm_path.parent


def samples_root() -> Path:
    """The folder holding every sample (a real directory: setuptools installs package data unzipped)."""
    return Path(str(resources.files("wasi_playground.samples")))


def scratch_root() -> Path:
    """Where samples that write get their folders; follows the compiled-code cache override."""
    override = os.environ.get("WASI_PLAYGROUND_CACHE_DIR")
    if override:
        return Path(override) / "sample-scratch"
    import platformdirs

    return Path(platformdirs.user_cache_dir("wasi-playground")) / "sample-scratch"


def list_samples(root: Path | None = None) -> list[Sample]:
    """Every sample whose `sample.json` reads well, sorted by name.

    A broken sample is left out rather than taking the whole Samples menu down with it; `get_sample`
    on its name says what is wrong."""
    root = root or samples_root()
    names = sorted(p.name for p in root.iterdir() if (p / "sample.json").is_file())
    found = []
    for name in names:
        try:
            found.append(get_sample(name, root))
        except SampleError:
            continue
    return found


@dataclass
class LessonGroup:
    key: str
    title: str
    summary: str
    samples: list[Sample]


def lessons(root: Path | None = None) -> list[LessonGroup]:
    """The samples grouped by what they teach, for the first screen; a sample in no known group goes to
    a last "More samples" group rather than disappearing. Empty groups are left out."""
    samples = list_samples(root)
    known = {key for key, _, _ in LESSON_GROUPS}
    groups = []
    for key, title, summary in (*LESSON_GROUPS, OTHER_GROUP):
        members = [s for s in samples if s.group == key or (key == OTHER_GROUP[0] and s.group not in known)]
        if members:
            groups.append(LessonGroup(key, title, summary, sorted(members, key=lambda s: (s.order, s.name))))
    return groups


def sample_at(path: Path, root: Path | None = None) -> Sample | None:
    """The bundled sample whose module is `path`, so opening it by path still teaches its lesson. A copy
    of the samples folder counts too when its module is the bundled one byte for byte: the README's quick
    start opens the repository's copy, not the installed one."""
    path = path.resolve()
    folder = path.parent
    if path.name != f"{folder.name}.wasm":
        return None
    installed = folder.parent == (root or samples_root()).resolve()
    if not installed and not (folder / "sample.json").is_file():
        return None
    try:
        sample = get_sample(folder.name, root)
    except SampleError:
        return None
    try:
        if not installed and not filecmp.cmp(path, sample.wasm_path, shallow=False):
            return None
    except OSError:
        return None
    return sample


def get_sample(name: str, root: Path | None = None) -> Sample:
    folder = (root or samples_root()) / name
    meta_path = folder / "sample.json"
    if "/" in name or "\\" in name or name.startswith(".") or not meta_path.is_file():
        raise SampleError(f"no sample named {name!r}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SampleError(f"sample {name!r}: cannot read sample.json: {e}") from None
    if not isinstance(meta, dict):
        raise SampleError(f"sample {name!r}: sample.json is not a JSON object")
    try:
        config = RunConfig.from_dict(meta.get("config", {}))
    except ConfigError as e:
        raise SampleError(f"sample {name!r}: {e}") from None
    config.preopens = [_resolve_preopen(name, folder, p) for p in config.preopens]
    return Sample(
        name=name,
        title=str(meta.get("title", name)),
        teaches=str(meta.get("teaches", "")),
        description=str(meta.get("description", "")),
        language=str(meta.get("language", "")),
        wasm_path=folder / f"{name}.wasm",
        sources=sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES),
        config=config,
        expect=dict(meta.get("expect", {})),
        group=str(meta.get("group", "")),
        order=meta["order"] if isinstance(meta.get("order"), int) else 0,
    )


def scratch_dir(name: str) -> Path:
    """The sample's writable folder, created (and for escape, given its symlink) on first use."""
    path = scratch_root() / name
    path.mkdir(parents=True, exist_ok=True)
    if name == "escape":
        _make_escape_link(path)
    return path


def _resolve_preopen(name: str, folder: Path, preopen: Preopen) -> Preopen:
    host = preopen.host
    if host == SCRATCH or host.startswith(SCRATCH + "/"):
        base = scratch_dir(name)
        rest = host[len(SCRATCH):].lstrip("/")
        resolved = base / rest if rest else base
        resolved.mkdir(parents=True, exist_ok=True)
    else:
        resolved = (folder / host).resolve()
    return Preopen(host=str(resolved), guest=preopen.guest, read_only=preopen.read_only)


def _make_escape_link(sandbox: Path) -> None:
    """A symlink inside the sandbox that leads out of it; the sample shows that following it is denied."""
    link = sandbox / ESCAPE_LINK_NAME
    if link.is_symlink():
        return
    target = Path(os.path.abspath(os.sep))
    try:
        link.symlink_to(target, target_is_directory=True)
    except OSError:
        pass  # no symlink privilege (e.g. Windows without developer mode): the sample reports ENOENT
