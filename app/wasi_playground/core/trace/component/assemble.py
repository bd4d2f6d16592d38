"""Building the interposer for a guest: plan its imports, write the outer component's text, assemble it
with the bundled wasm-tools, and splice the guest's own bytes into the placeholder.

The assembled outer component (with the empty placeholder) and its plan are cached on disk by the
guest's hash and `GENERATOR_VERSION`, beside the compiled-code cache; a cached build costs a hash, a
file read and one copy of the guest's bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import wasmtime
from wasmtime import component as wc

from wasi_playground.core.binary.reader import WasmFormatError, read_sections, uleb128
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.engine.compile import assembled
from wasi_playground.core.engine.engines import cache_dir, get_engine, load_component
from wasi_playground.core.trace.component.outer import outer_text
from wasi_playground.core.trace.component.plan import Plan, plan_imports

GENERATOR_VERSION = 1
"""Part of the cache key, with a digest of the generator's own source (see `generator_key`)."""
EMPTY_COMPONENT = b"\0asm\x0d\x00\x01\x00"
COMPONENT_SECTION = 4


class InterposerError(RuntimeError):
    """The interposer could not be built; the message says why, in words."""


@lru_cache(maxsize=1)
def generator_key() -> str:
    """Changes whenever the generator changes, so a cached interposer never outlives its generator."""
    digest = hashlib.sha256(str(GENERATOR_VERSION).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def interposer_dir() -> Path:
    return cache_dir().parent / "trace-interposers"


def build_interposer(data: bytes) -> tuple[bytes | None, Plan]:
    """(the traced component's bytes, or None when nothing can be traced; the plan).

    Raises InterposerError for a malformed guest (with wasmtime's message and offset)."""
    digest = outline_digest(data)
    folder = interposer_dir()
    wasm_path = folder / f"{digest}-g{generator_key()}.wasm"
    plan_path = wasm_path.with_suffix(".json")
    plan = _read_cached(plan_path)
    if plan is None:
        plan = _plan(data)
        if not plan.untraced and plan.funcs:
            outer = _assemble(outer_text(plan))
            plan.untraced = _compile_check(splice_guest(outer, data))
            if not plan.untraced:
                _write_atomically(wasm_path, outer)
        _write_atomically(plan_path, json.dumps(plan.to_json()).encode())
    if plan.untraced or not plan.funcs:
        return None, plan
    try:
        outer = wasm_path.read_bytes()
    except OSError:
        outer = _assemble(outer_text(plan))
        _write_atomically(wasm_path, outer)
    return splice_guest(outer, data), plan


BULK_SECTIONS = (0, 1, 4)
"""Custom sections, core modules and nested components: the bulk of a large component, and nothing the
interposer depends on (it depends on the top-level imports and exports, and their types)."""


def outline_digest(data: bytes) -> str:
    """A digest of the component's top-level sections other than its bulk: what its interposer depends
    on, hashed in microseconds where hashing all of a 40 MB component takes a tenth of a second."""
    try:
        kind, sections = read_sections(data)
    except WasmFormatError as e:
        raise InterposerError(f"the component is malformed: {e}") from None
    if kind != "component":
        raise InterposerError("this is a core module, not a component")
    digest = hashlib.sha256(len(data).to_bytes(8, "little"))
    for s in sections:
        if s.id not in BULK_SECTIONS:
            digest.update(data[s.offset:s.end])
    return digest.hexdigest()


def _read_cached(path: Path) -> Plan | None:
    try:
        return Plan.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _plan(data: bytes) -> Plan:
    engine = get_engine()
    try:
        component, _ = load_component(engine, data)
    except wasmtime.WasmtimeError as e:
        raise InterposerError(f"the component does not compile: {compile_message(e)}") from None
    ty = component.type
    exports = [(name, _export_kind(extern.ty)) for name, extern in ty.exports(engine).items()]
    return plan_imports(ty.imports(engine), exports, engine)


def _compile_check(traced: bytes) -> str:
    """"" when wasmtime compiles the traced component (into the code cache, where the run finds it), else
    why the component must run untraced: a run is never refused because its interposer is wrong."""
    try:
        load_component(get_engine(), traced)
    except wasmtime.WasmtimeError as e:
        return f"this component runs untraced: its trace interposer does not compile ({compile_message(e)})"
    return ""


def compile_message(error: Exception) -> str:
    """wasmtime's message and its deepest cause, which says where (`... (at offset 0xb)`)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0]}: {lines[-1]}"


def _export_kind(ty: object) -> str:
    """The sort keyword that re-exports an item of this type."""
    if isinstance(ty, wc.ComponentInstanceType):
        return "instance"
    if isinstance(ty, wc.FuncType):
        return "func"
    if isinstance(ty, wc.ComponentType):
        return "component"
    if isinstance(ty, wc.ModuleType):
        return "core module"
    return "type"


def _assemble(text: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="wasi-playground-interposer-") as scratch:
        out = Path(scratch) / "outer.wasm"
        done = subprocess.run([str(wasm_tools()), "parse", "-", "-o", str(out)], input=text.encode(),
                              capture_output=True, timeout=120)
        if done.returncode != 0:
            first = done.stderr.decode(errors="replace").strip().splitlines()
            raise InterposerError("the trace interposer could not be assembled: "
                                  + (first[0] if first else "wasm-tools failed"))
        return out.read_bytes()


def splice_guest(outer: bytes, guest: bytes) -> bytes:
    """`outer` with its empty nested component replaced by `guest`."""
    try:
        _, sections = read_sections(outer)
    except WasmFormatError as e:
        raise InterposerError(f"the assembled interposer is unreadable: {e}") from None
    for s in sections:
        if s.id == COMPONENT_SECTION and _is_placeholder(outer[s.payload_offset:s.end]):
            return assembled([(outer, 0, s.offset), bytes([COMPONENT_SECTION]), uleb128(len(guest)), guest,
                              (outer, s.end, len(outer))])
    raise InterposerError("the assembled interposer has no place for the guest")


def _is_placeholder(nested: bytes) -> bool:
    """The empty component (wasm-tools gives it a name section, nothing else)."""
    if not nested.startswith(EMPTY_COMPONENT):
        return False
    try:
        return all(s.id == 0 for s in read_sections(nested)[1])
    except WasmFormatError:
        return False


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs a rebuild next time
