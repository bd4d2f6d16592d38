"""Docker+Wasm: a Dockerfile for a `wasi/wasm` image with the module as entrypoint, and `docker run` with
the containerd shim (runwasi) that can run it."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import PurePath

from wasi_playground.core.engine.config import with_stdin
from wasi_playground.core.export.commands import Target
from wasi_playground.core.export.common import unsaid


def dockerfile_env_value(text: str) -> str:
    """A double-quoted Dockerfile value: `\\`, `"` and `$` (variable expansion) escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("\n", "\\n") + '"'


def dockerfile(module_name: str, args: list[str], env: list[tuple[str, str]]) -> str:
    lines = ["FROM scratch", f"COPY {json.dumps([module_name, '/' + module_name])}"]
    lines += [f"ENV {k}={dockerfile_env_value(v)}" for k, v in env]
    lines.append(f"ENTRYPOINT {json.dumps(['/' + module_name])}")
    if args:
        lines.append(f"CMD {json.dumps(args)}")
    return "\n".join(lines) + "\n"


def docker_export(t: Target) -> tuple[str, dict[str, str], list[str]]:
    config = t.config
    module = PurePath(t.path)
    image = t.verdict.target[0]
    warnings = _unsaid(t)
    run = list(t.verdict.invocation)
    for p in config.preopens:
        if not p.guest.startswith("/"):
            warnings.append(f"not mounted: a container preopens absolute paths only, not {p.guest!r}")
            continue
        run += ["-v", f"{os.path.abspath(p.host)}:{p.guest}" + (":ro" if p.read_only else "")]
    if t.verdict.mode == "serve":
        run += ["-p", "127.0.0.1:8080:8080"]
    if config.stdin.kind != "none":
        run.append("-i")
    run.append(image)
    build = shlex.join(
        [
            "docker",
            "buildx",
            "build",
            "--platform",
            "wasi/wasm",
            "-f",
            "Dockerfile",
            "-t",
            image,
            str(module.parent),
        ]
    )
    line = shlex.join(run) if config.stdin.kind == "none" else with_stdin(shlex.join(run), config.stdin)
    command = build + "\n" + line
    return command, {"Dockerfile": dockerfile(module.name, config.args, config.env)}, warnings


def _unsaid(t: Target) -> list[str]:
    config = t.config
    out = []
    if config.invoke:
        out.append(f"a container runs the module's _start: --invoke {config.invoke} cannot be expressed")
    return out + unsaid(config, "a Wasm container")
