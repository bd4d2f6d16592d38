"""Demangling real symbol shapes: Rust legacy (with its hash), Rust v0, C++ Itanium; others unchanged."""

from __future__ import annotations

import pytest

from wasi_playground.core.lookinside.demangle import demangle, language_of


@pytest.mark.parametrize(("mangled", "readable"), [
    ("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write"),
    ("_ZN3std2io5stdio6_print17h6b2ad02bd5e4a8ecE", "std::io::stdio::_print"),
    ("_ZN5alloc7raw_vec11finish_grow17h3e5d1c7a5b2c9f10E", "alloc::raw_vec::finish_grow"),
])
def test_rust_legacy_drops_the_hash(mangled: str, readable: str) -> None:
    assert language_of(mangled) == "rust"
    assert demangle(mangled) == readable


@pytest.mark.parametrize(("mangled", "readable"), [
    ("_RNvNtCs1234_7mycrate4util5parse", "mycrate::util::parse"),
    ("_RINvCs1234_7mycrate7examplelE", "mycrate::example::<i32>"),
    ("_RNvMNtCs1234_7mycrate1aNtB2_6Struct3new", "<mycrate::a::Struct>::new"),
    ("_RINvNtCs9ltgdHTiPiY_4core3ptr13drop_in_placeNtNtCsjMrxcFdYfNX_5alloc6string6StringEB4_",
     "core::ptr::drop_in_place::<alloc::string::String>"),
])
def test_rust_v0(mangled: str, readable: str) -> None:
    assert language_of(mangled) == "rust"
    assert demangle(mangled) == readable


@pytest.mark.parametrize(("mangled", "readable"), [
    ("_Z3addii", "add(int, int)"),
    ("_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backEOi",
     "std::__1::vector<int, std::__1::allocator<int> >::push_back(int&&)"),
    ("_ZN5Yosys5RTLIL6Module7addCellENS0_8IdStringES2_",
     "Yosys::RTLIL::Module::addCell(Yosys::RTLIL::IdString, Yosys::RTLIL::IdString)"),
    ("_Znwm", "operator new(unsigned long)"),
])
def test_cxx_itanium(mangled: str, readable: str) -> None:
    assert language_of(mangled) == "c++"
    assert demangle(mangled) == readable


@pytest.mark.parametrize(
    "name", ["main", "__wasm_call_ctors", "_start", "_Zgarbage(", "_R!!", "", "fd_write"]
)
def test_unmangled_or_broken_names_come_back_unchanged(name: str) -> None:
    assert demangle(name) == name
