"""`spin up` with a generated `spin.toml` (manifest version 2): a WAGI handler or a wasi:http component."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import PurePath

from wasi_playground.core.export.commands import Target
from wasi_playground.core.export.common import unsaid

LISTEN = "127.0.0.1:3000"


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def component_id(path: str) -> str:
    """Spin's ids are kebab-case words that start with a letter."""
    words = re.findall(r"[a-z0-9]+", PurePath(path).stem.lower())
    slug = "-".join(words)
    return slug if slug[:1].isalpha() else f"app-{slug}" if slug else "app"


def spin_export(t: Target) -> tuple[str, dict[str, str], list[str]]:
    config = t.config
    name = component_id(t.path)
    wagi = t.verdict.mode == "wagi"
    warnings = _unsaid(t, wagi)
    trigger = ["[[trigger.http]]", 'route = "/..."', f"component = {toml_string(name)}"]
    if wagi:
        trigger.append(f'executor = {{ type = "wagi", argv = {toml_string(_wagi_argv(t, warnings))} }}')
    component = [f"[component.{name}]", f"source = {toml_string(t.path)}"]
    if config.preopens:
        mounts = ", ".join(
            f"{{ source = {toml_string(p.host)}, destination = {toml_string(p.guest)} }}"
            for p in config.preopens
        )
        component.append(f"files = [{mounts}]")
    if config.env:
        pairs = ", ".join(f"{toml_string(k)} = {toml_string(v)}" for k, v in config.env)
        component.append(f"environment = {{ {pairs} }}")
    manifest = (
        "\n".join(
            [
                "spin_manifest_version = 2",
                "",
                "[application]",
                f"name = {toml_string(name)}",
                'version = "0.1.0"',
                "",
                *trigger,
                "",
                *component,
            ]
        )
        + "\n"
    )
    command = f"spin up --from spin.toml --listen {LISTEN}\n# then: curl http://{LISTEN}/"
    return command, {"spin.toml": manifest}, warnings


def _wagi_argv(t: Target, warnings: list[str]) -> str:
    """WAGI's argv template: argv[0], the configured arguments, then the query's (`${ARGS}`)."""
    args = t.config.args
    if any(re.search(r"\s", a) for a in args):
        warnings.append("Spin splits WAGI's argv at spaces: an argument with a space becomes several")
    return " ".join(["${SCRIPT_NAME}", *args, "${ARGS}"])


def _unsaid(t: Target, wagi: bool) -> list[str]:
    config = t.config
    out = []
    writable = [p.guest for p in config.preopens if not p.read_only]
    if writable:
        out.append(f"Spin mounts files read-only: the module cannot write to {', '.join(writable)} there")
    if config.stdin.kind in ("text", "file"):
        out.append("Spin gives each request's body as stdin: the configured stdin is not used")
    if config.invoke:
        out.append(f"Spin runs the handler's entry point, not --invoke {shlex.quote(config.invoke)}")
    if any(i.startswith("wasi:http/outgoing-handler") for i in t.imports):
        out.append(
            "Spin lets a component make no outbound HTTP request unless its allowed_outbound_hosts "
            "lists the host: add them to spin.toml"
        )
    if config.args and not wagi:
        out.append("a wasi:http component gets no command-line arguments: they are not used")
    return out + unsaid(config, "Spin")
