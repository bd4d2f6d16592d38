"""Which views apply to a module, on the samples and on small modules written here."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasi_playground.core.binary.reader import uleb128
from wasi_playground.core.inspect.report import Report, inspect_path
from wasi_playground.core.inspect.views import (
    QUESTIONS,
    VIEWS,
    ViewFacts,
    ViewSpec,
    grouped,
    read_view_facts,
    register_view,
    view_verdicts,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def verdicts_of(report: Report) -> dict[str, str]:
    return {v.key: v.why_not for v in view_verdicts(report, read_view_facts(report))}


def applying(report: Report) -> set[str]:
    return {key for key, why in verdicts_of(report).items() if not why}


def sample(name: str) -> Report:
    return inspect_path(SAMPLES / name / f"{name}.wasm")


def with_custom_section(path: Path, name: str, payload: bytes) -> Path:
    encoded = uleb128(len(name.encode())) + name.encode() + payload
    path.write_bytes(path.read_bytes() + b"\x00" + uleb128(len(encoded)) + encoded)
    return path


def test_a_command_module_shows_its_functions_and_no_component_views():
    views = applying(sample("hello"))
    assert {"overview", "imports", "exports", "capabilities", "functions", "data", "output", "trace"} <= views
    assert not views & {"wit", "contents", "http", "debug"}


def test_a_command_module_says_why_http_wit_and_call_do_not_apply():
    why = verdicts_of(sample("hello"))
    assert "REQUEST_METHOD" in why["http"]
    assert "WIT" in why["wit"]
    assert "_start" in why["call"] and "Run" in why["call"]


def test_a_wagi_handler_gets_the_http_view():
    assert "http" in applying(sample("wagi"))


def test_a_component_shows_its_world_its_calls_and_its_inside():
    views = applying(sample("typed-component"))
    assert {"wit", "call", "contents", "output", "functions", "data"} <= views  # a module picked in Contents
    assert "http" not in views


def test_a_command_component_is_run_not_called():
    why = verdicts_of(sample("hello-component"))
    assert why["call"].startswith("It exports only wasi:cli/run@0.2.") and "press Run" in why["call"]
    assert not why["trace"] and not why["capabilities"]


def test_a_library_module_is_called_and_has_nothing_to_trace():
    why = verdicts_of(sample("calc"))
    assert not why["call"] and not why["output"]
    assert "no WASI functions" in why["trace"] and "no WASI functions" in why["capabilities"]
    assert "_start" in why["http"]


def test_a_node_api_module_cannot_be_tried_and_says_why(wat):
    path = wat('(module (import "napi" "napi_create_string_utf8" (func (param i32 i32 i32 i32) (result i32)))'
               ' (func (export "init")))')
    why = verdicts_of(inspect_path(path))
    assert why["output"].startswith("It cannot run here: ") and "Node-API" in why["output"]
    assert why["call"] == why["output"] and why["trace"] == why["output"]
    assert not why["overview"] and not why["imports"]


def test_debug_info_only_with_dwarf(wat):
    plain = wat('(module (func (export "f")))')
    assert "DWARF" in verdicts_of(inspect_path(plain))["debug"]
    with_dwarf = with_custom_section(wat('(module (func (export "f")))'), ".debug_info", b"\x00" * 8)
    assert "debug" in applying(inspect_path(with_dwarf))


def test_data_and_functions_say_why_when_a_module_has_none(wat):
    why = verdicts_of(inspect_path(wat("(module)")))
    assert why["data"] == "It has no data segments."
    assert why["functions"] == "It defines no functions of its own."


def test_cgi_names_in_utf16_count_too(wat):
    text = "REQUEST_METHOD".encode("utf-16-le")
    escaped = "".join(f"\\{b:02x}" for b in text)
    path = wat('(module (import "wasi_snapshot_preview1" "environ_get" (func (param i32 i32) (result i32)))'
               f' (memory 1) (data (i32.const 8) "{escaped}") (func (export "_start")))')
    assert read_view_facts(inspect_path(path)).cgi_handler
    assert "http" in applying(inspect_path(path))


def test_facts_of_a_wat_file_come_from_its_compiled_binary(tmp_path):
    path = tmp_path / "handler.wat"
    path.write_text('(module (memory 1) (data (i32.const 0) "PATH_INFO") (func (export "_start")))')
    assert read_view_facts(inspect_path(path)) == ViewFacts(cgi_handler=True)


def test_a_file_gone_since_inspection_gives_no_facts(tmp_path):
    path = tmp_path / "m.wasm"
    path.write_bytes(wasmtime.wat2wasm('(module (memory 1) (data (i32.const 0) "PATH_INFO"))'))
    report = inspect_path(path)
    path.unlink()
    assert read_view_facts(report) == ViewFacts()


def test_views_come_grouped_by_question_in_the_windows_order():
    groups = grouped(view_verdicts(sample("hello")))
    assert [heading for heading, _ in groups] == [heading for _, heading in QUESTIONS]
    assert [v.key for v in groups[0][1]] == ["overview", "imports", "exports"]
    assert [v.key for v in groups[3][1]] == ["output", "trace", "call", "http"]


@pytest.fixture
def restore_views():
    saved = list(VIEWS)
    yield
    VIEWS[:] = saved


def test_other_parts_of_the_app_register_their_views(restore_views):
    register_view(ViewSpec("calls", "Component calls", "try", lambda r, _f: "" if r.component else "no"),
                  after="trace")
    keys = [v.key for v in view_verdicts(sample("typed-component"))]
    assert keys[keys.index("trace") + 1] == "calls"
    assert "calls" not in applying(sample("hello"))
    register_view(ViewSpec("extra", "Extra", "what", lambda _r, _f: ""))
    assert [v.key for v in grouped(view_verdicts(sample("hello")))[0][1]][-1] == "extra"
    with pytest.raises(ValueError, match="unknown question"):
        register_view(ViewSpec("bad", "Bad", "why", lambda _r, _f: ""))


def test_a_cgi_name_across_two_search_slices_is_still_found() -> None:
    from wasi_playground.core.inspect.views import SEARCH_SLICE, _mentions_cgi

    data = b"x" * (SEARCH_SLICE - 3) + b"PATH_INFO" + b"y" * 100
    assert _mentions_cgi(data, 0, len(data))
    assert not _mentions_cgi(data, 0, SEARCH_SLICE - 3)
    wide = b"z" * (2 * SEARCH_SLICE - 5) + "QUERY_STRING".encode("utf-16-le")
    assert _mentions_cgi(wide, SEARCH_SLICE, len(wide))


def test_a_file_is_searched_slice_by_slice_up_to_where_it_ends(tmp_path) -> None:
    from wasi_playground.core.inspect.views import SEARCH_SLICE, _mentions_cgi

    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * (SEARCH_SLICE - 3) + b"PATH_INFO" + b"y" * 100)
    with open(path, "rb") as f:
        assert _mentions_cgi(f, 0, 10 * SEARCH_SLICE)  # a section said to run past the end of the file
        assert not _mentions_cgi(f, 0, SEARCH_SLICE - 3)
        assert not _mentions_cgi(f, SEARCH_SLICE + 6, 10 * SEARCH_SLICE)
