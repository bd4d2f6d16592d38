"""Only `core/engine/` makes wasmtime stores, WASI configurations, linkers and interrupters: the one engine
room. Every module in `app/` is parsed and each call is resolved through its imports and aliases."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
ENGINE_ROOM = APP / "wasi_playground" / "core" / "engine"
FORBIDDEN = {
    "wasmtime.Store",
    "wasmtime.WasiConfig",
    "wasmtime.Linker",
    "wasmtime.component.Linker",
    "wasi_playground.core.engine.interrupts.Interrupter",
}
# wasmtime's own private modules define the same classes (wasmtime._store.Store and so on).
FORBIDDEN_LEAVES = {name.rsplit(".", 1)[1] for name in FORBIDDEN}


def _is_forbidden(qualified: str | None) -> bool:
    if qualified is None:
        return False
    if qualified in FORBIDDEN:
        return True
    head, _, leaf = qualified.rpartition(".")
    return leaf in FORBIDDEN_LEAVES and head.startswith(("wasmtime.", "wasi_playground.core"))


class _Constructions(ast.NodeVisitor):
    """Collects calls of forbidden classes, however they are named: `wasmtime.Store(...)`, `Store(...)`
    after `from wasmtime import Store`, `wc.Linker(...)` after `from wasmtime import component as wc`,
    a local alias (`make = wasmtime.Store`), or `getattr(wasmtime, "Store")(...)`."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.found: list[tuple[int, str]] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.names[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.names[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_Assign(self, node: ast.Assign) -> None:
        target = self.resolve(node.value)
        for t in node.targets:
            if isinstance(t, ast.Name) and target is not None:
                self.names[t.id] = target
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        qualified = self.resolve(node.func)
        if _is_forbidden(qualified):
            self.found.append((node.lineno, str(qualified)))
        self.generic_visit(node)

    def resolve(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base is not None else None
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
            base = self.resolve(node.args[0])
            return f"{base}.{node.args[1].value}" if base is not None else None
        return None


def constructions(source: str) -> list[tuple[int, str]]:
    visitor = _Constructions()
    visitor.visit(ast.parse(source))
    return visitor.found


def test_nothing_outside_the_engine_room_constructs_stores_linkers_or_interrupters() -> None:
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        if ENGINE_ROOM in path.parents:
            continue
        for line, name in constructions(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(APP)}:{line} constructs {name}")
    assert offenders == [], "use core.engine.sandbox.Sandbox instead:\n" + "\n".join(offenders)


def test_the_engine_room_is_where_they_are_made() -> None:
    """The scan above would pass vacuously if it could not see these constructions at all."""
    found = {name for path in ENGINE_ROOM.rglob("*.py") for _, name in constructions(path.read_text())}
    assert {"wasmtime.Store", "wasmtime.WasiConfig", "wasmtime.Linker", "wasmtime.component.Linker"} <= found


@pytest.mark.parametrize(
    "source",
    [
        "import wasmtime\nwasmtime.Store(e)",
        "import wasmtime as wt\nwt.WasiConfig()",
        "from wasmtime import Linker\nLinker(e)",
        "from wasmtime import Store as S\nS(e)",
        "from wasmtime import component as wc\nwc.Linker(e)",
        "from wasmtime.component import Linker as L\nL(e)",
        "import wasmtime.component\nwasmtime.component.Linker(e)",
        "import wasmtime\nmake = wasmtime.Store\nmake(e)",
        "import wasmtime\ngetattr(wasmtime, 'Linker')(e)",
        "from wasmtime._store import Store\nStore(e)",
        "from wasi_playground.core.engine.interrupts import Interrupter\nInterrupter(1.0)",
        "from wasi_playground.core.engine import interrupts\ninterrupts.Interrupter()",
    ],
)
def test_every_spelling_is_caught(source: str) -> None:
    assert len(constructions(source)) == 1


def test_annotations_and_other_wasmtime_objects_are_allowed() -> None:
    source = ("import wasmtime\nfrom wasmtime import component as wc\n"
              "def f(store: wasmtime.Store, linker: wc.Linker) -> wasmtime.Store:\n"
              "    wasmtime.Func(store, t, g)\n    wasmtime.Memory(store, m)\n    return store\n")
    assert constructions(source) == []
