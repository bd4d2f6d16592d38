"""Desktop files validate with the freedesktop tools; icons exist in every size the desktop asks for."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

RES = Path(__file__).resolve().parent.parent / "resources"
APP_ID = "org.wasiplayground.WasiPlayground"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs it")
        pytest.skip(f"{name} not installed (apt-get install desktop-file-utils appstream)")
    return path


def test_desktop_entry_validates() -> None:
    entry = RES / "desktop" / f"{APP_ID}.desktop"
    done = subprocess.run([tool("desktop-file-validate"), str(entry)], capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout
    text = entry.read_text()
    assert "MimeType=application/wasm;text/x-wat;" in text
    assert f"Icon={APP_ID}" in text


def test_appstream_metainfo_validates() -> None:
    meta = RES / "desktop" / f"{APP_ID}.metainfo.xml"
    done = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(meta)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mime_types_cover_wasm_and_wat() -> None:
    xml = (RES / "desktop" / "wasi-playground-mime.xml").read_text()
    for needle in ('type="application/wasm"', 'pattern="*.wasm"', 'type="text/x-wat"', 'pattern="*.wat"'):
        assert needle in xml


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_png_icon_has_its_size(size: int) -> None:
    data = (RES / "icons" / f"wasi-playground-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (size, size)


def test_install_script_is_valid_shell() -> None:
    script = Path(__file__).resolve().parent.parent / "packaging" / "install-desktop.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
