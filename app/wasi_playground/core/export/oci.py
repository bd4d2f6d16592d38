"""An OCI image of a module, the format containerd's Wasm shims (runwasi) and Docker+Wasm run.

Platform `wasi/wasm`, one uncompressed layer holding the module at the root, the module as the entrypoint,
its arguments as the command and its environment. Written without a daemon as an OCI image layout: a folder
or a tar archive of one (what `skopeo inspect oci-archive:IMAGE.tar` reads). Written atomically: into a
temporary sibling first, then renamed, so a failure leaves nothing half-written behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.export.common import unsaid

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"
PLATFORM = {"architecture": "wasm", "os": "wasi"}
FIXED_MTIME = 0
"""Layer entries carry no build time, so the same module and configuration give the same image digest."""


class OciError(Exception):
    """The image could not be written; the message says where and why."""


def _blob(content: bytes) -> tuple[str, bytes]:
    return "sha256:" + hashlib.sha256(content).hexdigest(), content


def _layer(module: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(module), 0o755, FIXED_MTIME
        tar.addfile(info, io.BytesIO(module))
    return out.getvalue()


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def image_blobs(module: bytes, module_name: str, config: RunConfig, ref: str) -> dict[str, bytes]:
    """Every file of the image layout, by its path inside the layout."""
    layer_digest, layer = _blob(_layer(module, module_name))
    image_config = {
        **PLATFORM,
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Entrypoint": ["/" + module_name],
            "Cmd": list(config.args),
            "Env": [f"{k}={v}" for k, v in config.env],
        },
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        "history": [{"created_by": "wasi-playground export --as oci"}],
    }
    config_digest, config_blob = _blob(_json(image_config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {"mediaType": MEDIA_CONFIG, "digest": config_digest, "size": len(config_blob)},
        "layers": [{"mediaType": MEDIA_LAYER, "digest": layer_digest, "size": len(layer)}],
        "annotations": {"module.wasm.image/variant": "compat"},
    }
    manifest_digest, manifest_blob = _blob(_json(manifest))
    tag = ref.rsplit(":", 1)[1] if ":" in ref.rsplit("/", 1)[-1] else "latest"
    name = ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:{tag}"
    index = {
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": [
            {
                "mediaType": MEDIA_MANIFEST,
                "digest": manifest_digest,
                "size": len(manifest_blob),
                "platform": PLATFORM,
                "annotations": {"org.opencontainers.image.ref.name": tag, "io.containerd.image.name": name},
            }
        ],
    }
    files = {"oci-layout": _json({"imageLayoutVersion": "1.0.0"}), "index.json": _json(index)}
    for digest, blob in (
        (layer_digest, layer),
        (config_digest, config_blob),
        (manifest_digest, manifest_blob),
    ):
        files["blobs/sha256/" + digest.split(":", 1)[1]] = blob
    return files


def oci_warnings(config: RunConfig) -> list[str]:
    """What an image cannot carry from a run configuration."""
    out = [
        f"an image holds no host directory: mount {p.host} when running it (docker run -v {p.host}:{p.guest}"
        + (":ro)" if p.read_only else ")")
        for p in config.preopens
    ]
    if config.stdin.kind in ("text", "file"):
        out.append("an image holds no stdin: feed it when running (docker run -i ... < FILE)")
    if config.invoke:
        out.append(f"an image's entrypoint runs _start: --invoke {config.invoke} cannot be expressed")
    return out + unsaid(config, "an OCI image")


def write_oci_image(module: bytes, module_name: str, config: RunConfig, out: str | Path, ref: str) -> Path:
    """Write the image of `module` (a binary) as a tar archive (`out` ends in .tar) or a layout folder.

    `ref` names it (`hello-wasm:latest`). Raises OciError for an unwritable destination, leaving nothing
    behind. Returns `out`.
    """
    out = Path(out)
    files = image_blobs(module, module_name, config, ref)
    try:
        if out.suffix == ".tar":
            _write_archive(files, out)
        else:
            _write_folder(files, out)
    except OSError as e:
        raise OciError(f"cannot write the image to {out}: {e.strerror or e}") from None
    return out


def _write_archive(files: dict[str, bytes], out: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for name in sorted(files):
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(files[name]), 0o644, FIXED_MTIME
                tar.addfile(info, io.BytesIO(files[name]))
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the image from others
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_folder(files: dict[str, bytes], out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OSError(17, "it exists and is not an empty folder")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        for name, content in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide the image from others
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
