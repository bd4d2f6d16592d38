"""`wasi-playground inspect FILE [--json]`: what a module is, what it asks of the system, whether it runs.

Imports only the inspector (never Qt, never wasmtime unless the input is WAT text), so the command costs
little more than the Python start-up even for a very large module.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from wasi_playground.commands.parsing import CommandParser, UsageError, fail

LIST_LIMIT = 200


def build_parser() -> CommandParser:
    parser = CommandParser(
        prog="wasi-playground inspect",
        description="Inspect a WebAssembly module, component or WAT file without running it.",
    )
    parser.add_argument("file", help="a .wasm module or component, or .wat text")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    parser.add_argument(
        "--all", action="store_true", help=f"list every item, not only the first {LIST_LIMIT}"
    )
    return parser


def _human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB"):
        if size < 1024:
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _listing(title: str, rows: list[str], show_all: bool) -> list[str]:
    if not rows:
        return []
    shown = rows if show_all else rows[:LIST_LIMIT]
    out = [f"{title} ({len(rows)}):"] + [f"  {r}" for r in shown]
    if len(shown) < len(rows):
        out.append(f"  ... {len(rows) - len(shown)} more (use --all)")
    return out


def _tree_rows(items: list[dict[str, Any]], depth: int = 0) -> list[str]:
    """Nested modules and components, indented; instances are counted, not listed (there are many)."""
    rows = []
    for item in items:
        if item["kind"].endswith("instance"):
            continue
        name = f" {item['name']}" if item.get("name") else ""
        instances = sum(1 for c in item.get("children", []) if c["kind"].endswith("instance"))
        rows.append(f"{'  ' * depth}{item['kind']} {item['index']}{name}: {_human_size(item['size'])}, "
                    f"{len(item['imports'])} imports, {len(item['exports'])} exports"
                    + (f", {instances} instances inside" if instances else ""))
        rows += _tree_rows(item.get("children", []), depth + 1)
    return rows


def _contents_lines(d: dict[str, Any], show_all: bool) -> list[str]:
    items = d.get("contents")
    if items is None:
        return []
    instances = sum(1 for item in items if item["kind"].endswith("instance"))
    lines = _listing("contents", _tree_rows(items), show_all)
    lines += [f"  and {instances} instances"] if instances else []
    arrows = {"lift": "<=", "lower": "=>"}
    canonical = [f"{f['kind']:<13} {f['wit']} {arrows.get(f['kind'], '=>')} {f['core']}"
                 for f in d["component"].get("canonical", [])]
    return lines + _listing("canonical functions", canonical, show_all)


def summary_lines(d: dict[str, Any], show_all: bool = False) -> list[str]:
    runnable = d["runnable"]
    lines = [
        f"{d['path']}: {'WAT text compiled to a ' if d.get('format') == 'wat' else ''}{d['kind']}, "
        f"{_human_size(d['size'])}",
        f"sha256:    {d['sha256']}",
        f"toolchain: {d['toolchain']['name']}",
    ]
    lines += [f"           - {e}" for e in d["toolchain"]["evidence"]]
    lines.append(f"WASI:      {', '.join(d['wasi']['flavours']) or 'none'}")
    verdict = "yes" if runnable["ok"] else "no"
    lines.append(f"runnable:  {verdict} — {runnable['reason']}")
    if runnable["missing"]:
        lines += _listing("missing imports", runnable["missing"], show_all)
    caps = d["wasi"]["capabilities"]
    if caps:
        lines.append("capabilities:")
        for group, names in caps.items():
            lines.append(f"  {group:<12}{', '.join(_import_short_name(n) for n in names)}")
    comp = d.get("component")
    if comp:
        lines.append(f"worlds:    {', '.join(comp['worlds']) or 'none recognised'}")
        lines += _contents_lines(d, show_all)
    mod = d.get("module")
    if mod:
        fn = mod["functions"]
        lines.append(
            f"functions: {fn['imported']} imported, {fn['defined']} defined; "
            f"{mod['data_segments']} data and {mod['element_segments']} element segments"
            + (f"; start function {mod['start']}" if mod["start"] is not None else "")
        )
        lines += [f"memory:    {m['wat']}" for m in mod["memories"]]
        lines += [f"table:     {t['wat']}" for t in mod["tables"]]
    names = d.get("names")
    if names and names.get("module"):
        lines.append(f"name:      {names['module']}")
    lines += _listing(
        "imports", [f"{i['module']}.{i['name']} {i['type']}".lstrip(".") for i in d["imports"]], show_all
    )
    lines += _listing("exports", [f"{e['name']} {e['type']}" for e in d["exports"]], show_all)
    lines += _listing(
        "sections",
        [f"{s['name']:<22} offset {s['offset']:>10}  {_human_size(s['size'])}" for s in d["sections"]],
        show_all,
    )
    for key, values in d["producers"].items():
        lines.append(f"producers {key}: " + ", ".join(f"{v['name']} {v['version']}".strip() for v in values))
    if d.get("target_features"):
        lines.append("target features: " + " ".join(d["target_features"]))
    lines += runtime_lines(d.get("runtimes", []))
    lines += [f"warning: {w}" for w in d.get("warnings", [])]
    return lines


def _shared_module(names: list[str]) -> str:
    """`wasi_snapshot_preview1: fd_read, fd_write` rather than the module name on every import."""
    modules = {n.split(".", 1)[0] for n in names}
    if len(modules) == 1 and all("." in n for n in names):
        return f"{modules.pop()}: " + ", ".join(n.split(".", 1)[1] for n in names)
    return ", ".join(names)


def runtime_lines(runtimes: list[dict[str, Any]], evidence_shown: int = 4) -> list[str]:
    """Where else it runs: a verdict per runtime, its reason, the command to try and the evidence."""
    if not runtimes:
        return []
    lines = ["elsewhere:"]
    for r in runtimes:
        lines.append(f"  {r['name']:<10}{'yes' if r['runs'] else 'no'} — {r['why']}")
        if r["command"]:
            lines.append(f"  {'':<10}$ {r['command']}")
        evidence = r["evidence"]
        if evidence:
            more = f" (+{len(evidence) - evidence_shown} more)" if len(evidence) > evidence_shown else ""
            lines.append(f"  {'':<10}evidence: {_shared_module(evidence[:evidence_shown])}{more}")
    return lines


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as e:
        return fail(str(e))
    from wasi_playground.core.inspect.report import WasmFormatError, inspect_path

    try:
        report = inspect_path(args.file)
    except WasmFormatError as e:
        return fail(f"{args.file}: {e}")
    d = report.to_json_dict()
    text = json.dumps(d, ensure_ascii=False) if args.json else "\n".join(summary_lines(d, args.all))
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _import_short_name(name: str) -> str:
    """`fd_write` from `wasi_snapshot_preview1.fd_write`; a component's interface without its version
    (`wasi:cli/exit` from `wasi:cli/exit@0.2.12`, whose dots are the version's)."""
    if ":" in name:
        return name.split("@", 1)[0]
    return name.rsplit(".", 1)[-1]
