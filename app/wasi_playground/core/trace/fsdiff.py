"""What a run did to its preopened directories: created, changed and deleted files, with sizes and a
text diff for small text files. A snapshot is taken before the run and compared after it.

Snapshots are bounded (file count and bytes kept for diffing), so preopening a huge tree costs a walk,
not a copy; files beyond the bounds are still compared by size and modification time.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILES = 20_000
TEXT_LIMIT = 64 * 1024
DIFF_LINES = 200


@dataclass(frozen=True, slots=True)
class FileState:
    size: int
    mtime_ns: int
    digest: str | None
    text: str | None


Snapshot = dict[str, FileState]
"""Key: "<guest dir>/<relative path>" as the module sees it."""


def _read_state(path: str, st: os.stat_result, keep_bytes: bool) -> FileState:
    digest = text = None
    if keep_bytes and st.st_size <= TEXT_LIMIT:
        try:
            with open(path, "rb") as f:
                data = f.read(TEXT_LIMIT + 1)
            digest = hashlib.sha256(data).hexdigest()
            if b"\0" not in data:
                text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    return FileState(st.st_size, st.st_mtime_ns, digest, text)


def snapshot(dirs: list[tuple[str, str]]) -> Snapshot:
    """(host, guest) pairs -> the state of every regular file under them (symlinks are not followed)."""
    out: Snapshot = {}
    for host, guest in dirs:
        root = Path(host)
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                if len(out) >= MAX_FILES:
                    return out
                full = os.path.join(dirpath, name)
                try:
                    st = os.lstat(full)
                except OSError:
                    continue
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                key = f"{guest.rstrip('/')}/{rel}" if guest not in (".", "") else rel
                out[key] = _read_state(full, st, keep_bytes=True)
    return out


def diff(before: Snapshot, after: Snapshot) -> list[dict[str, Any]]:
    """Changes as plain dicts (the `fs_changes` of a RunResult), sorted by path."""
    changes: list[dict[str, Any]] = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if old is None and new is not None:
            changes.append({"path": path, "change": "created", "size_before": None, "size_after": new.size,
                            "diff": _text_diff(path, "", new.text) if new.text is not None else None})
        elif new is None and old is not None:
            changes.append({"path": path, "change": "deleted", "size_before": old.size, "size_after": None,
                            "diff": None})
        elif old is not None and new is not None and _changed(old, new):
            text_diff = (_text_diff(path, old.text, new.text)
                         if old.text is not None and new.text is not None else None)
            changes.append({"path": path, "change": "changed", "size_before": old.size,
                            "size_after": new.size, "diff": text_diff})
    return changes


def _changed(old: FileState, new: FileState) -> bool:
    if old.size != new.size:
        return True
    if old.digest is not None and new.digest is not None:
        return old.digest != new.digest
    return old.mtime_ns != new.mtime_ns


def _text_diff(path: str, old: str, new: str) -> str:
    lines = list(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                      fromfile=f"a/{path}", tofile=f"b/{path}"))
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more diff lines\n"]
    return "".join(lines)


def describe(change: dict[str, Any]) -> str:
    """One line for a person: `created /data/out.txt (12 bytes)`."""
    kind, path = change["change"], change["path"]
    if kind == "created":
        return f"created {path} ({change['size_after']} bytes)"
    if kind == "deleted":
        return f"deleted {path} (was {change['size_before']} bytes)"
    return f"changed {path} ({change['size_before']} -> {change['size_after']} bytes)"
