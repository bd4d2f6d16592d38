"""Readable names for mangled symbols: Rust (legacy and v0) and C++ (Itanium, as clang emits for wasm).

Well-kept libraries do the work: `cpp-demangle` (the Rust `cpp_demangle` crate, wheels for every desktop
platform) for Itanium and `rust-demangler` (pure Python) for Rust. A name neither recognises comes back
unchanged, so callers can always show `demangle(name)`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RUST_LEGACY_HASH = re.compile(r"17h[0-9a-f]{16}E\Z")
_HASH_SUFFIX = re.compile(r"::h[0-9a-f]{16}\Z")


def language_of(name: str) -> str | None:
    """"rust", "c++" or None, judged from the mangling prefix alone."""
    if name.startswith("_R"):
        return "rust"
    if name.startswith("_ZN") and _RUST_LEGACY_HASH.search(name):
        return "rust"
    if name.startswith("_Z"):
        return "c++"
    return None


@lru_cache(maxsize=200_000)
def demangle(name: str) -> str:
    """The demangled form, with Rust's legacy `::h<hash>` suffix dropped; `name` itself when not mangled."""
    lang = language_of(name)
    if lang is None:
        return name
    try:
        if lang == "rust":
            return _rust(name)
        return _cpp(name)
    except Exception:  # a demangler library rejecting an odd symbol must never break a listing
        return name


def _rust(name: str) -> str:
    import rust_demangler

    text = rust_demangler.demangle(name)
    return _HASH_SUFFIX.sub("", text) if text else name


def _cpp(name: str) -> str:
    import cpp_demangle

    return cpp_demangle.demangle(name) or name
