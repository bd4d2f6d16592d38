"""One function as WAT text in the linear style, with links for calls and branches.

Only the asked-for body is decoded, so the cost is proportional to that function, never to the module.
Labels are named `$labelN` in order of appearance; a branch to the function body itself keeps its depth.
Names come from the name section when they are valid WAT identifiers; otherwise the index is printed with
the name in a comment, so the text stays valid WAT.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from wasi_playground.core.binary import WasmFormatError
from wasi_playground.core.disasm.decode import Buffer, decode_instructions, decode_locals
from wasi_playground.core.inspect_types import FuncType

_ID = re.compile(r"[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+\Z")
_NO_NAMES: Mapping[int, str] = {}
_OPENERS = frozenset(("block", "loop", "if", "try", "try_table"))
_LABEL_USERS = frozenset(("br", "br_if", "br_on_null", "br_on_non_null", "rethrow"))


@dataclass(frozen=True, slots=True)
class Link:
    """A clickable span of the text: `kind` "func" targets a function index, "label" a line number."""

    start: int
    end: int
    kind: str
    target: int


@dataclass
class FunctionText:
    index: int
    text: str
    links: list[Link] = field(default_factory=list)
    line_offsets: list[int] = field(default_factory=list)
    """Module byte offset of the instruction on each line (-1 for header lines)."""
    instruction_count: int = 0


@dataclass
class WatContext:
    """What the printer needs to know about the module around one function."""

    types: list
    """TypeDef list (core.inspect_types)."""
    func_type_index: Callable[[int], int | None]
    func_names: Mapping[int, str] = field(default_factory=dict)
    local_names: Callable[[int], Mapping[int, str]] = lambda _i: _NO_NAMES
    global_names: Mapping[int, str] = field(default_factory=dict)


def wat_id(name: str | None) -> str | None:
    """`$name` when the name is a valid WAT identifier, else None."""
    if name and _ID.match(name):
        return "$" + name
    return None


def _comment(name: str) -> str:
    return " (;" + name.replace(";)", "; )").replace("(;", "( ;") + ";)"


def _ref(index: int, names: Mapping[int, str]) -> str:
    name = names.get(index)
    ident = wat_id(name)
    if ident:
        return ident
    return f"{index}{_comment(name)}" if name else str(index)


def float_text(value: float, raw: bytes) -> str:
    """Shortest decimal that gives back the same bits; `nan:0x...` with the payload for NaNs."""
    if value != value:
        if len(raw) == 4:
            bits = struct.unpack("<I", raw)[0]
            sign, payload = bits >> 31, bits & 0x7FFFFF
        else:
            bits = struct.unpack("<Q", raw)[0]
            sign, payload = bits >> 63, bits & 0xFFFFFFFFFFFFF
        return ("-" if sign else "") + f"nan:0x{payload:x}"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if len(raw) == 8:
        text = repr(value)
    else:
        fmt = "<f"
        text = repr(value)
        for digits in range(6, 10):
            candidate = f"{value:.{digits}g}"
            if struct.pack(fmt, float(candidate)) == raw:
                text = candidate
                break
    if value == 0 and raw[-1] & 0x80:
        return "-0.0" if not text.startswith("-") else text
    return text if any(c in text for c in ".en") else text + ".0"


def _memarg(mem: int, align: int, offset: int, natural: int) -> str:
    parts = []
    if mem:
        parts.append(str(mem))
    if offset:
        parts.append(f"offset={offset}")
    if align != natural:
        parts.append(f"align={1 << align}")
    return (" " + " ".join(parts)) if parts else ""


def _ref_type(nullable: bool, heap: str) -> str:
    return f"(ref null {heap})" if nullable else f"(ref {heap})"


def _signature(ftype: FuncType | None, local_names: Mapping[int, str]) -> str:
    if ftype is None:
        return ""
    parts = []
    for i, t in enumerate(ftype.params):
        ident = wat_id(local_names.get(i))
        parts.append(f" (param {ident} {t})" if ident else f" (param {t})")
    if ftype.results:
        parts.append(f" (result {' '.join(ftype.results)})")
    return "".join(parts)


def _locals_text(runs: list[tuple[int, str]], first: int, local_names: Mapping[int, str]) -> str:
    pieces = []
    index = first
    anonymous: list[str] = []
    for count, vtype in runs:
        for _ in range(count):
            ident = wat_id(local_names.get(index))
            if ident:
                if anonymous:
                    pieces.append(f"(local {' '.join(anonymous)})")
                    anonymous = []
                pieces.append(f"(local {ident} {vtype})")
            else:
                anonymous.append(vtype)
            index += 1
    if anonymous:
        pieces.append(f"(local {' '.join(anonymous)})")
    return " ".join(pieces)


class _Line:
    """One line being printed, with the link spans inside it."""

    __slots__ = ("text", "spans")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int, str, int]] = []

    def add(self, piece: str, link_kind: str | None = None, target: int | None = None, space: bool = True) -> None:
        if space:
            self.text += " "
        if link_kind is not None and target is not None:
            self.spans.append((len(self.text), len(self.text) + len(piece), link_kind, target))
        self.text += piece


def function_wat(data: Buffer, index: int, body_start: int, body_end: int, ctx: WatContext) -> FunctionText:
    """The WAT text of defined function `index` whose body (after its size) spans [body_start, body_end)."""
    locals_names = ctx.local_names(index) or _NO_NAMES
    type_index = ctx.func_type_index(index)
    ftype = ctx.types[type_index].func if type_index is not None and type_index < len(ctx.types) else None
    ident = wat_id(ctx.func_names.get(index))
    header = "(func"
    if ident:
        header += " " + ident
    header += f" (;{index};)"
    if type_index is not None:
        header += f" (type {type_index})"
    header += _signature(ftype, locals_names)
    runs, pos = decode_locals(data, body_start, body_end)
    out = [header, "\n"]
    line_offsets = [-1]
    size = len(header) + 1
    locals_line = _locals_text(runs, len(ftype.params) if ftype else 0, locals_names)
    if locals_line:
        out.append("  " + locals_line + "\n")
        line_offsets.append(-1)
        size += len(locals_line) + 3

    links: list[Link] = []
    labels: list[tuple[str | None, int]] = [(None, 0)]
    label_counter = 0
    func_names = ctx.func_names
    global_names = ctx.global_names
    count = 0

    def label_ref(depth: int) -> tuple[str, int | None]:
        if depth >= len(labels):
            return str(depth), None
        name, line = labels[-1 - depth]
        return (name, line) if name else (str(depth), line)

    for ins in decode_instructions(data, pos, body_end):
        count += 1
        name, kind, imm = ins.name, ins.kind, ins.imm
        depth = len(labels) - 1
        if name == "end":
            if len(labels) == 1:
                break
            labels.pop()
            depth -= 1
        elif name in ("else", "catch", "catch_all"):
            depth -= 1
        elif name == "delegate":
            labels.pop()
            depth -= 1
        line_start = size
        line = _Line("  " * (depth + 1) + name)
        add = line.add

        if not kind:
            pass
        elif name in _OPENERS:
            label = f"$label{label_counter}"
            label_counter += 1
            if name == "try_table":
                add(label)
                if imm[0]:
                    add(imm[0])
                for ck, tag, lbl in imm[1:]:
                    lname, lline = label_ref(lbl)
                    keyword = ("catch", "catch_ref", "catch_all", "catch_all_ref")[ck]
                    inner = f"({keyword} {tag} " if ck < 2 else f"({keyword} "
                    line.text += " " + inner
                    line.add(lname, "label", lline, space=False)
                    line.text += ")"
            else:
                add(label)
                if imm[0]:
                    add(imm[0])
            labels.append((label, len(line_offsets)))
        elif kind == "lbl":
            if name == "delegate" or name in _LABEL_USERS:
                lname, lline = label_ref(imm[0])
                add(lname, "label", lline)
            else:
                add(str(imm[0]))
        elif kind == "brt":
            for t in imm:
                lname, lline = label_ref(t)
                add(lname, "label", lline)
        elif kind == "fn":
            add(_ref(imm[0], func_names), "func", imm[0])
        elif kind == "loc":
            add(_ref(imm[0], locals_names))
        elif kind == "glb":
            add(_ref(imm[0], global_names))
        elif kind == "mem":
            line.text += _memarg(imm[0], imm[1], imm[2], ins.align)
        elif kind == "memlane":
            line.text += _memarg(imm[0], imm[1], imm[2], ins.align) + f" {imm[3]}"
        elif kind == "i32" or kind == "i64" or kind == "lane" or kind == "tbl" or kind == "tag":
            add(str(imm[0]))
        elif kind == "f32" or kind == "f64":
            add(float_text(imm[0], imm[1]))
        elif kind == "ci":
            if imm[1]:
                add(str(imm[1]))
            add(f"(type {imm[0]})")
        elif kind in ("memidx",):
            if imm[0]:
                add(str(imm[0]))
        elif kind in ("dm", "et"):
            if imm[1]:
                add(str(imm[1]))
            add(str(imm[0]))
        elif kind in ("mm", "tt2"):
            if imm[0] or imm[1]:
                add(f"{imm[0]} {imm[1]}")
        elif kind == "heap":
            add(imm[0])
        elif kind == "selt":
            add(f"(result {' '.join(imm)})")
        elif kind == "v128":
            words = struct.unpack("<4I", imm[0])
            add("i32x4 " + " ".join(f"0x{w:08x}" for w in words))
        elif kind == "shuf":
            add(" ".join(str(b) for b in imm[0]))
        elif kind == "castop":
            add(_ref_type(imm[0] == "null", imm[-1]))
        elif kind == "brcast":
            lname, lline = label_ref(imm[1])
            add(lname, "label", lline)
            add(_ref_type(bool(imm[0] & 1), imm[2]))
            add(_ref_type(bool(imm[0] & 2), imm[3]))
        elif kind == "zero":
            pass
        else:
            add(" ".join(str(v) for v in imm))
        for s, e, lk, tgt in line.spans:
            links.append(Link(line_start + s, line_start + e, lk, tgt))
        out.append(line.text)
        out.append("\n")
        line_offsets.append(ins.offset)
        size += len(line.text) + 1
    else:
        raise WasmFormatError(f"function {index} has no final end", body_end)
    out.append(")\n")
    line_offsets.append(-1)
    return FunctionText(index, "".join(out), links, line_offsets, count)
