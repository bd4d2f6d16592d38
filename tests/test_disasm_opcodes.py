"""The opcode tables agree with wasm-tools on every mnemonic: MVP, SIMD, relaxed SIMD, threads, bulk memory,
GC, reference types, tail calls. One body holds every non-structural instruction; `wasm-tools print` (which
decodes without validating) is the reference."""

from __future__ import annotations

import subprocess

from wasi_playground.core.binary.reader import uleb128
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.lookinside.disasm import decode_instructions
from wasi_playground.core.lookinside.disasm.opcodes import PREFIXED, SINGLE
from wasi_playground.core.lookinside.functions import FunctionTable

STRUCTURAL = {"block", "loop", "if", "else", "try", "catch", "catch_all", "delegate", "try_table", "end"}
IMMEDIATE_BYTES = {
    "": b"", "bt": b"\x40", "i32": b"\x00", "i64": b"\x00", "f32": bytes(4), "f64": bytes(8),
    "brt": b"\x00\x00", "heap": b"\x70", "selt": b"\x01\x7f", "lane": b"\x00", "v128": bytes(16),
    "shuf": bytes(16), "zero": b"\x00", "castop": b"\x70", "brcast": b"\x00\x00\x70\x70",
    **dict.fromkeys(("lbl", "fn", "ty", "loc", "glb", "tbl", "memidx", "tag", "data", "elem"), b"\x00"),
    **dict.fromkeys(("ci", "dm", "et", "mm", "tt2", "tyf", "tyn", "tyty", "tyd", "tye"), b"\x00\x00"),
}


def _encode(kind: str, align: int) -> bytes:
    if kind == "mem":
        return bytes([align, 0])
    if kind == "memlane":
        return bytes([align, 0, 0])
    return IMMEDIATE_BYTES[kind]


def _section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + uleb128(len(payload)) + payload


def _module_with_every_instruction() -> tuple[bytes, list[str]]:
    body = bytearray(b"\x00")
    names = []
    for code, (name, kind, align) in SINGLE.items():
        if name not in STRUCTURAL:
            body += bytes([code]) + _encode(kind, align)
            names.append(name)
    for prefix, table in PREFIXED.items():
        for sub, (name, kind, align) in table.items():
            body += bytes([prefix]) + uleb128(sub) + _encode(kind, align)
            names.append(name)
    body += b"\x0b"
    module = (b"\0asm\x01\0\0\0" + _section(1, b"\x01\x60\x00\x00") + _section(3, b"\x01\x00")
              + _section(10, b"\x01" + uleb128(len(body)) + bytes(body)))
    return module, names


def test_every_mnemonic_matches_wasm_tools(tmp_path) -> None:
    module, names = _module_with_every_instruction()
    path = tmp_path / "every.wasm"
    path.write_bytes(module)
    out = tmp_path / "every.wat"
    subprocess.run([str(wasm_tools()), "print", str(path), "-o", str(out)], check=True, capture_output=True,
                   timeout=60)
    reference = [line.split()[0] for line in out.read_text().splitlines()
                 if line.startswith("    ") and not line.strip().startswith(("(", ")"))]
    ours = [line.split()[0] for line in FunctionTable.from_path(path).wat(0).text.splitlines()[1:-1]]
    assert len(ours) == len(names) > 500
    mismatches = [(a, b) for a, b in zip(ours, reference, strict=True) if a != b]
    assert mismatches == []


def test_decoder_yields_offsets_and_immediates() -> None:
    module, names = _module_with_every_instruction()
    table = FunctionTable.from_bytes(module)
    start, end = table.body_range(0)
    instrs = list(decode_instructions(module, start + 1, end))
    assert [i.name for i in instrs][:-1] == names
    assert instrs[-1].name == "end" and instrs[-1].offset == end - 1
    assert all(a.offset < b.offset for a, b in zip(instrs, instrs[1:], strict=False))
