"""The export targets, the one entry point that renders them, and refusal for runtimes that cannot run it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.core.export.commands import Target, wasmedge_export, wasmer_export, wasmtime_export
from wasi_playground.core.export.docker import docker_export
from wasi_playground.core.export.spin import spin_export
from wasi_playground.core.inspect.report import Report
from wasi_playground.core.inspect.runtimes import DISPLAY, RuntimeVerdict

TARGETS = ("wasmtime", "wasmer", "wasmedge", "spin", "docker", "oci")
VERDICT_OF = {"oci": "docker"}
"""A target whose ability to run the module is another runtime's verdict (an OCI image runs where Docker+Wasm
runs it)."""


class ExportRefused(ValueError):
    """The target's runtime cannot run this module; the message says why, in one line."""


@dataclass
class Export:
    target: str
    command: str
    files: dict[str, str] = field(default_factory=dict)
    """Files to create beside the command (spin.toml, Dockerfile): name -> content."""
    warnings: list[str] = field(default_factory=list)
    """What the configuration asks that the target cannot express."""

    def text(self) -> str:
        """Warnings as `#` lines, files as here-documents, then the command: one paste for a shell."""
        lines = [f"# {w}" for w in self.warnings]
        for name, content in self.files.items():
            lines += [f"cat > {name} <<'EOF'", content.rstrip("\n"), "EOF"]
        lines.append(self.command)
        return "\n".join(lines) + "\n"

    def to_json_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "command": self.command,
            "files": dict(self.files),
            "warnings": list(self.warnings),
        }


RENDERERS: dict[str, Callable[[Target], tuple[str, dict[str, str], list[str]]]] = {
    "wasmtime": wasmtime_export,
    "wasmer": wasmer_export,
    "wasmedge": wasmedge_export,
    "spin": spin_export,
    "docker": docker_export,
}


def verdict_for(report: Report, target: str) -> RuntimeVerdict | None:
    name = VERDICT_OF.get(target, target)
    return next((v for v in report.runtimes if v.name == name), None)


def offered_targets(report: Report) -> list[str]:
    """The targets whose runtime can run this module (what a "Copy as" menu offers)."""
    return [t for t in TARGETS if (v := verdict_for(report, t)) is not None and v.runs]


def export_for(report: Report, config: RunConfig, target: str, path: str) -> Export:
    """`target`'s command for running the module at `path` with `config`. Raises ExportRefused."""
    if target not in TARGETS:
        raise ExportRefused(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    verdict = verdict_for(report, target)
    if verdict is None or not verdict.runs:
        why = verdict.why if verdict is not None else "no verdict for it"
        raise ExportRefused(f"{DISPLAY.get(VERDICT_OF.get(target, target), target)} cannot run it: {why}")
    if target == "oci":
        raise ExportRefused(
            "an OCI image is a file: write it with write_oci_image (`export --as oci -o IMAGE`)"
        )
    imports = tuple(f"{r['module']}.{r['name']}".lstrip(".") for r in report.import_rows())
    command, files, warnings = RENDERERS[target](Target(verdict, config, path, report.wasi.flavours, imports))
    if report.format == "wat" and target != "wasmtime":
        warnings.insert(
            0,
            f"{path} is WAT text, which {DISPLAY[target]} may not read: compile it first "
            "(wasm-tools parse FILE.wat -o FILE.wasm) and use the .wasm file",
        )
    return Export(target, command, files, warnings)
