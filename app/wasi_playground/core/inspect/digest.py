"""SHA-256 of large files, remembered by file identity so reopening a big module does not rehash it.

Hashing 70 MB costs more than everything else inspection does, and the window reopens and re-inspects
the same file often (watcher, reload, history). Like git's index, a digest is reused only while the file's
device, inode, size, modification and change times are all unchanged, and never for a file modified in
the last two seconds (a write in the same timestamp tick could go unnoticed).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

RACY_SECONDS = 2.0


def _cache_dir() -> Path:
    """Where platformdirs would put the user cache (XDG on Linux), computed without importing it there."""
    override = os.environ.get("WASI_PLAYGROUND_CACHE_DIR")
    if override:
        return Path(override) / "digests"
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        return Path(base) / "wasi-playground" / "digests"
    from platformdirs import user_cache_dir  # elsewhere; its import costs more than the lookup saves

    return Path(user_cache_dir("wasi-playground")) / "digests"


def _identity_key(path: Path, st: os.stat_result) -> str:
    parts = (os.path.realpath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    ident = "\0".join(map(str, parts))
    return hashlib.sha1(ident.encode("utf-8", "surrogateescape")).hexdigest()


def cached_digest(path: Path, st: os.stat_result) -> str | None:
    """The remembered SHA-256 of this exact file version, or None."""
    try:
        text = (_cache_dir() / _identity_key(path, st)).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def remember_digest(path: Path, st: os.stat_result, digest: str) -> None:
    """Store the digest unless the file changed very recently; failures to write are ignored."""
    if time.time() - st.st_mtime < RACY_SECONDS:
        return
    try:
        folder = _cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _identity_key(path, st)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(digest, "ascii")
        os.replace(tmp, target)
    except OSError:
        pass
