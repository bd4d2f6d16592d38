"""Take a module elsewhere: the command (and manifest or Dockerfile) for another runtime, or an OCI image.

`export_for(report, config, target, path)` renders one target from a run configuration and says, as
warnings, whatever that target cannot express; a target whose runtime cannot run the module is refused
with the runtime verdict's reason. `write_oci_image` writes the image that containerd's Wasm shims run.
"""

from wasi_playground.core.export.oci import OciError, oci_warnings, write_oci_image
from wasi_playground.core.export.targets import TARGETS, Export, ExportRefused, export_for, offered_targets

__all__ = [
    "TARGETS",
    "Export",
    "ExportRefused",
    "OciError",
    "oci_warnings",
    "export_for",
    "offered_targets",
    "write_oci_image",
]
