"""The before/after listing of preopened directories."""

from __future__ import annotations

from pathlib import Path

from wasi_playground.core.trace import fsdiff


def test_created_changed_deleted_and_unchanged(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("same\n")
    (tmp_path / "edit.txt").write_text("one\ntwo\n")
    (tmp_path / "gone.bin").write_bytes(b"\0\1\2")
    (tmp_path / "sub").mkdir()
    before = fsdiff.snapshot([(str(tmp_path), "/data")])
    (tmp_path / "edit.txt").write_text("one\nTWO\n")
    (tmp_path / "gone.bin").unlink()
    (tmp_path / "sub" / "new.txt").write_text("fresh\n")
    changes = fsdiff.diff(before, fsdiff.snapshot([(str(tmp_path), "/data")]))
    by_path = {c["path"]: c for c in changes}
    assert set(by_path) == {"/data/edit.txt", "/data/gone.bin", "/data/sub/new.txt"}
    assert by_path["/data/edit.txt"]["change"] == "changed"
    assert "-two" in by_path["/data/edit.txt"]["diff"] and "+TWO" in by_path["/data/edit.txt"]["diff"]
    assert by_path["/data/gone.bin"] == {"path": "/data/gone.bin", "change": "deleted", "size_before": 3,
                                         "size_after": None, "diff": None}
    assert (
        by_path["/data/sub/new.txt"]["size_after"] == 6 and "+fresh" in by_path["/data/sub/new.txt"]["diff"]
    )
    assert fsdiff.describe(by_path["/data/sub/new.txt"]) == "created /data/sub/new.txt (6 bytes)"


def test_same_size_rewrite_is_a_change_and_binary_has_no_diff(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\0abc")
    before = fsdiff.snapshot([(str(tmp_path), ".")])
    (tmp_path / "a.bin").write_bytes(b"\0abd")
    (change,) = fsdiff.diff(before, fsdiff.snapshot([(str(tmp_path), ".")]))
    assert change["path"] == "a.bin" and change["change"] == "changed" and change["diff"] is None


def test_missing_directory_is_empty(tmp_path: Path) -> None:
    assert fsdiff.snapshot([(str(tmp_path / "nope"), "/x")]) == {}
