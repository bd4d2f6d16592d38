"""C sources built by the look-inside tests (with the session's zig build cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROGRAM_C = r"""
#include <stdio.h>
#include <string.h>

static const char banner[] = "Look-inside test banner: hello strings";
const char *greeting_utf8 = "Grüße aus WebAssembly";

int cxx_add(int a, int b) __asm__("_Z3addii");
__attribute__((noinline)) int cxx_add(int a, int b) { return a + b; }

int rust_legacy(int a) __asm__("_ZN4core3fmt5write17h0123456789abcdefE");
__attribute__((noinline)) int rust_legacy(int a) { return a * 3 + 1; }

int rust_v0(int a) __asm__("_RNvNtCs1234_7mycrate4util5parse");
__attribute__((noinline)) int rust_v0(int a) { return a ^ 0x55; }

__attribute__((noinline)) static int square(int x) {
    return x * x;
}

__attribute__((noinline)) int sum_squares(int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        if (i % 3 == 0)
            continue;
        total += square(i);
    }
    return total;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("%s %s %d\n", banner, greeting_utf8, sum_squares(argc + 5));
    printf("%d %d %d\n", cxx_add(argc, 2), rust_legacy(argc), rust_v0(argc));
    return (int)strlen(banner) & 1;
}
"""


def _source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.getbasetemp() / "lookinside-program.c"
    if not src.exists():
        src.write_text(PROGRAM_C)
    return src


def build_program(zig_cc, tmp_path_factory: pytest.TempPathFactory, debug: bool = False) -> Path:
    """The test program, optimised, with its name section; with `debug`, built with -g (DWARF included)."""
    flags = ("-O1", "-g") if debug else ("-O1",)
    return zig_cc(_source(tmp_path_factory), *flags)
