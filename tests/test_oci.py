"""OCI images (issue 17 item 3): read back by a real OCI tool (Debian's skopeo), written atomically."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from wasi_playground.cli import main as cli_main
from wasi_playground.core.engine.config import Preopen, RunConfig
from wasi_playground.core.export import OciError, write_oci_image

SAMPLES = Path(__file__).parent.parent / "samples"
HELLO = SAMPLES / "hello" / "hello.wasm"
CONFIG = RunConfig(args=["--greet", "two words"], env=[("LANG", "C.UTF-8"), ("EMPTY", "")])

needs_skopeo = pytest.mark.skipif(
    shutil.which("skopeo") is None,
    reason="skopeo is not installed (Debian package skopeo; .ci/run installs it)",
)


def skopeo(*args: str) -> dict:
    out = subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@needs_skopeo
def test_archive_is_a_wasi_wasm_image_with_the_module_as_entrypoint(tmp_path: Path) -> None:
    image = write_oci_image(
        HELLO.read_bytes(), "hello.wasm", CONFIG, tmp_path / "hello.tar", "hello-wasm:1.0"
    )
    info = skopeo("inspect", f"oci-archive:{image}")
    assert (info["Os"], info["Architecture"]) == ("wasi", "wasm")
    assert info["Env"] == ["LANG=C.UTF-8", "EMPTY="]
    config = skopeo("inspect", "--config", f"oci-archive:{image}")["config"]
    assert config["Entrypoint"] == ["/hello.wasm"] and config["Cmd"] == ["--greet", "two words"]
    copied = tmp_path / "copied"
    subprocess.run(
        ["skopeo", "copy", f"oci-archive:{image}", f"oci:{copied}:1.0"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    blobs = copied / "blobs" / "sha256"
    manifest_digest = json.loads((copied / "index.json").read_text())["manifests"][0]["digest"]
    manifest = json.loads((blobs / manifest_digest.split(":", 1)[1]).read_text())
    layer_blob = (blobs / manifest["layers"][0]["digest"].split(":", 1)[1]).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(layer_blob), mode="r:*") as layer:
        module = layer.extractfile("hello.wasm")
        assert module is not None and module.read() == HELLO.read_bytes()


@needs_skopeo
def test_layout_folder_is_read_by_skopeo_and_is_reproducible(tmp_path: Path) -> None:
    folder = write_oci_image(HELLO.read_bytes(), "hello.wasm", RunConfig(), tmp_path / "layout", "hello-wasm")
    info = skopeo("inspect", f"oci:{folder}:latest")
    assert info["Os"] == "wasi" and info["Layers"]
    again = write_oci_image(
        HELLO.read_bytes(), "hello.wasm", RunConfig(), tmp_path / "again.tar", "hello-wasm"
    )
    digest = skopeo("inspect", f"oci-archive:{again}")["Digest"]
    assert digest == info["Digest"]
    index = json.loads((folder / "index.json").read_text())
    assert index["manifests"][0]["platform"] == {"architecture": "wasm", "os": "wasi"}
    assert index["manifests"][0]["annotations"]["io.containerd.image.name"] == "hello-wasm:latest"
    blob = index["manifests"][0]["digest"].split(":", 1)[1]
    assert hashlib.sha256((folder / "blobs" / "sha256" / blob).read_bytes()).hexdigest() == blob


def test_unwritable_places_are_a_message_and_leave_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OciError, match="cannot write the image to"):
        write_oci_image(b"\0asm\1\0\0\0", "m.wasm", RunConfig(), blocker / "image.tar", "m")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    with pytest.raises(OciError, match="not an empty folder"):
        write_oci_image(b"\0asm\1\0\0\0", "m.wasm", RunConfig(), occupied, "m")
    (tmp_path / "dir.tar").mkdir()
    with pytest.raises(OciError):
        write_oci_image(b"\0asm\1\0\0\0", "m.wasm", RunConfig(), tmp_path / "dir.tar", "m")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "dir.tar", "occupied"]
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]


def test_cli_writes_the_image_and_warns_what_it_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "img.tar"
    code = cli_main(
        [
            "export",
            str(HELLO),
            "--as",
            "oci",
            "-o",
            str(out),
            "--dir-ro",
            "/srv::/data",
            "--env",
            "A=1",
            "--",
            "x",
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and out.is_file()
    assert (
        lines[0].startswith("# an image holds no host directory: mount /srv")
        and "-v /srv:/data:ro" in lines[0]
    )
    assert lines[-1].startswith(f"# wrote {out}")
    assert cli_main(["export", str(HELLO), "--as", "oci"]) == 2
    assert "-o IMAGE.tar" in capsys.readouterr().err
    assert cli_main(["export", str(HELLO), "--as", "oci", "-o", str(tmp_path / "no" / "such" / "x.tar")]) == 2
    assert "cannot write the image" in capsys.readouterr().err
    calc = SAMPLES / "calc" / "calc.wasm"
    assert cli_main(["export", str(calc), "--as", "oci", "-o", str(tmp_path / "calc.tar")]) == 2
    assert "_start" in capsys.readouterr().err and not (tmp_path / "calc.tar").exists()


def test_preopen_guest_paths_reach_the_warning() -> None:
    from wasi_playground.core.export import oci_warnings

    warnings = oci_warnings(RunConfig(preopens=[Preopen("/h", "/g")], invoke="f"))
    assert "docker run -v /h:/g)" in warnings[0] and "--invoke f" in warnings[1]
