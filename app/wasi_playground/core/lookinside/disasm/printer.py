"""One function as WAT text in the linear style, with links for calls and branches.

Only the asked-for body is decoded, so the cost is proportional to that function, never to the module.
The common instructions (locals, constants, calls, loads and stores, branches) are decoded inline in one
loop: a 200 KB body has ~80,000 instructions and must print in well under 200 ms. Labels are named
`$labelN` in order of appearance; a branch to the function body itself keeps its depth. Names come from
the name section when they are valid WAT identifiers; otherwise the index is printed with the name in a
comment, so the text stays valid WAT.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.lookinside.disasm.decode import Buffer, decode_locals, immediates, sleb, uleb
from wasi_playground.core.lookinside.disasm.opcodes import PREFIXED, SINGLE
from wasi_playground.core.lookinside.disasm.syntax import (
    float_text,
    locals_text,
    memarg_text,
    name_ref,
    ref_type,
    signature_text,
    wat_id,
)
from wasi_playground.core.yielding import STEP, give_way

_NO_NAMES: Mapping[int, str] = {}
MAX_INDENT = 24
"""Nesting deeper than this is not indented further: generated code nests blocks hundreds deep."""
_LABEL_USERS = frozenset(("br", "br_if", "br_on_null", "br_on_non_null", "rethrow", "delegate"))
_CATCH_KEYWORDS = ("catch", "catch_ref", "catch_all", "catch_all_ref")


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

    def line_of_offset(self, offset: int) -> int | None:
        """The line showing the instruction at (or last before) module byte `offset`."""
        best = None
        for line, at in enumerate(self.line_offsets):
            if 0 <= at <= offset:
                best = line
        return best


@dataclass
class WatContext:
    """What the printer needs to know about the module around one function."""

    types: list
    """TypeDef list (core.binary.types)."""
    func_type_index: Callable[[int], int | None]
    func_names: Mapping[int, str] = field(default_factory=dict)
    local_names: Callable[[int], Mapping[int, str]] = lambda _i: _NO_NAMES
    global_names: Mapping[int, str] = field(default_factory=dict)
    tag_names: Mapping[int, str] = field(default_factory=dict)


def _header(index: int, ctx: WatContext, local_names: Mapping[int, str]) -> tuple[str, int]:
    type_index = ctx.func_type_index(index)
    ftype = ctx.types[type_index].func if type_index is not None and type_index < len(ctx.types) else None
    ident = wat_id(ctx.func_names.get(index))
    header = "(func" + (" " + ident if ident else "") + f" (;{index};)"
    if type_index is not None:
        header += f" (type {type_index})"
    return header + signature_text(ftype, local_names), len(ftype.params) if ftype else 0


class _Printer:
    """The state of printing one body: lines, links, the label stack."""

    def __init__(self, ctx: WatContext, local_names: Mapping[int, str]) -> None:
        self.lines: list[str] = []
        self.line_offsets: list[int] = []
        self.links: list[Link] = []
        self.size = 0
        self.labels: list[tuple[str | None, int]] = [(None, 0)]
        self.label_counter = 0
        self.ctx = ctx
        self.local_names = local_names
        self.local_refs: dict[int, str] = {}
        self.func_refs: dict[int, str] = {}
        self.global_refs: dict[int, str] = {}

    def emit(self, text: str, offset: int) -> None:
        self.lines.append(text)
        self.line_offsets.append(offset)
        self.size += len(text) + 1

    def link(self, column: int, piece: str, kind: str, target: int | None) -> None:
        if target is not None:
            start = self.size + column
            self.links.append(Link(start, start + len(piece), kind, target))

    def label(self, depth: int) -> tuple[str, int | None]:
        labels = self.labels
        if depth >= len(labels):
            return str(depth), None
        name, line = labels[-1 - depth]
        return (name, line) if name else (str(depth), line)

    def local_ref(self, index: int) -> str:
        ref = self.local_refs.get(index)
        if ref is None:
            ref = self.local_refs[index] = name_ref(index, self.local_names)
        return ref

    def func_ref(self, index: int) -> str:
        ref = self.func_refs.get(index)
        if ref is None:
            ref = self.func_refs[index] = name_ref(index, self.ctx.func_names)
        return ref

    def global_ref(self, index: int) -> str:
        ref = self.global_refs.get(index)
        if ref is None:
            ref = self.global_refs[index] = name_ref(index, self.ctx.global_names)
        return ref

    def open_label(self) -> str:
        label = f"$label{self.label_counter}"
        self.label_counter += 1
        self.labels.append((label, len(self.lines)))
        return label

    def other(self, indent: str, name: str, kind: str, imm: tuple[Any, ...], align: int, at: int) -> None:
        """Instructions outside the fast path: rarer immediates, SIMD, GC, exceptions."""
        text = indent + name
        spans: list[tuple[int, str, str, int | None]] = []
        if kind == "tt":
            catches = []
            for ck, tag, lbl in imm[1:]:
                lname, lline = self.label(lbl)
                catches.append((ck, tag, lname, lline))
            text += " " + self.open_label() + (" " + imm[0] if imm[0] else "")
            for ck, tag, lname, lline in catches:
                tag_text = name_ref(tag, self.ctx.tag_names)
                text += f" ({_CATCH_KEYWORDS[ck]} {tag_text} " if ck < 2 else f" ({_CATCH_KEYWORDS[ck]} "
                spans.append((len(text), lname, "label", lline))
                text += lname + ")"
        elif kind == "brt":
            for t in imm:
                lname, lline = self.label(t)
                text += " "
                spans.append((len(text), lname, "label", lline))
                text += lname
        elif kind == "lbl":
            lname, lline = self.label(imm[0])
            text += " "
            spans.append((len(text), lname, "label", lline))
            text += lname
        elif kind == "fn":
            ref = self.func_ref(imm[0])
            text += " "
            spans.append((len(text), ref, "func", imm[0]))
            text += ref
        elif kind == "mem":
            text += memarg_text(imm[0], imm[1], imm[2], align)
        elif kind == "memlane":
            text += memarg_text(imm[0], imm[1], imm[2], align) + f" {imm[3]}"
        elif kind == "tag":
            text += " " + name_ref(imm[0], self.ctx.tag_names)
        elif kind in ("i32", "i64", "lane", "tbl", "ty", "data", "elem", "loc", "glb"):
            text += " " + str(imm[0])
        elif kind in ("f32", "f64"):
            text += " " + float_text(imm[0], imm[1])
        elif kind == "ci":
            text += (f" {imm[1]}" if imm[1] else "") + f" (type {imm[0]})"
        elif kind == "memidx":
            text += f" {imm[0]}" if imm[0] else ""
        elif kind in ("dm", "et"):
            text += (f" {imm[1]}" if imm[1] else "") + f" {imm[0]}"
        elif kind in ("mm", "tt2"):
            text += f" {imm[0]} {imm[1]}" if imm[0] or imm[1] else ""
        elif kind == "heap":
            text += " " + imm[0]
        elif kind == "selt":
            text += f" (result {' '.join(imm)})"
        elif kind == "v128":
            text += " i32x4 " + " ".join(f"0x{w:08x}" for w in struct.unpack("<4I", imm[0]))
        elif kind == "shuf":
            text += " " + " ".join(str(b) for b in imm[0])
        elif kind == "castop":
            text += " " + ref_type(imm[0] == "null", imm[-1])
        elif kind == "brcast":
            lname, lline = self.label(imm[1])
            text += " "
            spans.append((len(text), lname, "label", lline))
            text += f"{lname} {ref_type(bool(imm[0] & 1), imm[2])} {ref_type(bool(imm[0] & 2), imm[3])}"
        elif kind and kind != "zero":
            text += " " + " ".join(str(v) for v in imm)
        for column, piece, link_kind, target in spans:
            self.link(column, piece, link_kind, target)
        self.emit(text, at)


def function_wat(data: Buffer, index: int, body_start: int, body_end: int, ctx: WatContext) -> FunctionText:
    """The WAT text of defined function `index` whose body (after its size) spans [body_start, body_end)."""
    local_names = ctx.local_names(index) or _NO_NAMES
    header, param_count = _header(index, ctx, local_names)
    runs, pos = decode_locals(data, body_start, body_end)
    p = _Printer(ctx, local_names)
    p.emit(header, -1)
    declared = locals_text(runs, param_count, local_names)
    if declared:
        p.emit("  " + declared, -1)
    pos, count = _print_body(p, data, pos, body_end)
    p.emit(")", -1)
    p.lines.append("")
    return FunctionText(index, "\n".join(p.lines), p.links, p.line_offsets, count)


def _print_body(p: _Printer, data: Buffer, pos: int, end: int) -> tuple[int, int]:
    """The instructions; the hot loop keeps its state in locals and syncs `p` only around rare cases."""
    single = SINGLE
    labels = p.labels
    lines_append = p.lines.append
    offsets_append = p.line_offsets.append
    links_append = p.links.append
    local_refs = p.local_refs
    indents = ["  " * (min(d, MAX_INDENT) + 1) for d in range(64)]
    size = p.size
    depth = 0
    indent = indents[0]
    count = 0
    try:
        while pos < end:
            at = pos
            op = single.get(data[pos])
            pos += 1
            count += 1
            if not count % STEP:
                give_way()
            if op is None:
                p.size = size
                pos = _prefixed(p, data, at, end, indents[depth])
                size = p.size
                continue
            name, kind, align = op
            if not kind:
                if name == "end":
                    if depth == 0:
                        p.size = size
                        return pos, count
                    labels.pop()
                    depth -= 1
                    indent = indents[depth]
                    text = indent + "end"
                elif name == "else" or name == "catch_all":
                    text = indents[depth - 1] + name
                else:
                    text = indent + name
            elif kind == "loc":
                b = data[pos]
                if b < 0x80:
                    v = b
                    pos += 1
                else:
                    v, pos = uleb(data, pos)
                ref = local_refs.get(v) or p.local_ref(v)
                text = indent + name + " " + ref
            elif kind == "i32" or kind == "i64":
                b = data[pos]
                if b < 0x40:
                    v = b
                    pos += 1
                else:
                    v, pos = sleb(data, pos)
                text = f"{indent}{name} {v}"
            elif kind == "mem":
                flags, pos = uleb(data, pos)
                mem = 0
                if flags & 0x40:
                    mem, pos = uleb(data, pos)
                    flags &= ~0x40
                offset, pos = uleb(data, pos)
                if mem or flags != align:
                    text = indent + name + memarg_text(mem, flags, offset, align)
                elif offset:
                    text = f"{indent}{name} offset={offset}"
                else:
                    text = indent + name
            elif kind == "fn":
                v, pos = uleb(data, pos)
                ref = p.func_refs.get(v) or p.func_ref(v)
                text = indent + name + " "
                start = size + len(text)
                links_append(Link(start, start + len(ref), "func", v))
                text += ref
            elif kind == "glb":
                v, pos = uleb(data, pos)
                text = indent + name + " " + p.global_ref(v)
            elif kind == "bt":
                bt, pos = immediates(kind, data, pos, end)
                text = indent + name + " " + p.open_label()
                if bt[0]:
                    text += " " + bt[0]
                depth += 1
                if depth >= len(indents):
                    indents.extend("  " * (MAX_INDENT + 1) for _ in range(64))
                indent = indents[depth]
            else:
                imm, pos = immediates(kind, data, pos, end)
                p.size = size
                if name == "catch":
                    p.other(indents[depth - 1], name, kind, imm, align, at)
                elif name == "delegate":
                    labels.pop()
                    depth -= 1
                    indent = indents[depth]
                    p.other(indent, name, kind, imm, align, at)
                else:
                    p.other(indent, name, kind, imm, align, at)
                    if kind == "tt":
                        depth += 1
                        if depth >= len(indents):
                            indents.extend("  " * (MAX_INDENT + 1) for _ in range(64))
                        indent = indents[depth]
                size = p.size
                continue
            lines_append(text)
            offsets_append(at)
            size += len(text) + 1
    except IndexError:
        raise WasmFormatError("function body runs past the end of the data", pos) from None
    raise WasmFormatError("function body has no final end", end)


def _prefixed(p: _Printer, data: Buffer, at: int, end: int, indent: str) -> int:
    """A 0xFB/0xFC/0xFD/0xFE instruction (GC, bulk memory, SIMD, threads), printed through `other`."""
    code = data[at]
    table = PREFIXED.get(code)
    if table is None:
        raise WasmFormatError(f"unknown opcode 0x{code:02x}", at)
    sub, pos = uleb(data, at + 1)
    op = table.get(sub)
    if op is None:
        raise WasmFormatError(f"unknown opcode 0x{code:02x} 0x{sub:x}", at)
    name, kind, align = op
    imm: tuple[Any, ...] = ()
    if kind:
        imm, pos = immediates(kind, data, pos, end)
    if kind == "castop" and sub in (21, 23):
        imm = ("null", *imm)
    p.other(indent, name, kind, imm, align, at)
    return pos
