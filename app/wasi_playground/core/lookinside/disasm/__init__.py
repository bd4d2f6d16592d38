"""Disassembly of single functions: decode a body, print it as WAT with links (see printer.py)."""

from wasi_playground.core.lookinside.disasm.decode import Instr, decode_instructions, decode_locals
from wasi_playground.core.lookinside.disasm.printer import FunctionText, Link, WatContext, function_wat
from wasi_playground.core.lookinside.disasm.syntax import wat_id

__all__ = [
    "FunctionText",
    "Instr",
    "Link",
    "WatContext",
    "decode_instructions",
    "decode_locals",
    "function_wat",
    "wat_id",
]
