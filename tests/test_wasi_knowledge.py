"""The WASI preview-1 table against wasmtime's real WASI host, flavours, capabilities and runnability."""

from __future__ import annotations

import wasmtime

from wasi_playground.core.engine.config import CAPABILITY_GROUPS
from wasi_playground.core.inspect.report import inspect_bytes
from wasi_playground.core.wasi import preview1 as wasi_p1
from wasi_playground.core.wasi.knowledge import ImportRef, component_summary, module_summary


def _instantiate_with_wasi(module_name: str, names: list[str]) -> None:
    imports = "".join(
        f'(import "{module_name}" "{n}" {wasi_p1.FUNCTIONS[n].core_signature})' for n in names)
    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    linker.instantiate(store, wasmtime.Module(engine, wasmtime.wat2wasm(f"(module {imports})")))


def test_every_preview1_function_has_the_signature_wasmtime_provides() -> None:
    assert len(wasi_p1.FUNCTIONS) == 46
    _instantiate_with_wasi(wasi_p1.MODULE, sorted(wasi_p1.FUNCTIONS))


def test_table_is_data_a_tracer_can_decode_from() -> None:
    fd_write = wasi_p1.FUNCTIONS["fd_write"]
    assert fd_write.params == (("fd", "fd"), ("iovs", "ciovec_array"))
    assert fd_write.core_params == [
        ("fd", "i32"),
        ("iovs_ptr", "i32"),
        ("iovs_len", "i32"),
        ("nwritten_out", "i32"),
    ]
    path_open = wasi_p1.FUNCTIONS["path_open"]
    assert ("path", "string") in path_open.params
    assert path_open.core_signature == "(func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32))"
    assert wasi_p1.FUNCTIONS["proc_exit"].core_signature == "(func (param i32))"
    assert all(f.group in CAPABILITY_GROUPS for f in wasi_p1.FUNCTIONS.values())
    assert {f.group for f in wasi_p1.FUNCTIONS.values()} >= {
        "stdio",
        "args",
        "environment",
        "clocks",
        "random",
        "filesystem",
        "sockets",
        "polling",
        "process",
    }
    assert fd_write.group == "stdio" and fd_write.fd_dependent
    assert wasi_p1.FUNCTIONS["path_unlink_file"].fs_access == "write"
    assert wasi_p1.FUNCTIONS["fd_readdir"].fs_access == "directories"


def test_errno_table_is_complete() -> None:
    assert sorted(wasi_p1.ERRNO) == list(range(77))
    assert wasi_p1.errno_name(8) == "badf"
    assert wasi_p1.errno_name(76) == "notcapable"
    assert "not granted" in wasi_p1.errno_meaning(76)
    assert wasi_p1.errno_name(500) == "errno 500"


def test_preview0_differences_and_that_this_host_lacks_it() -> None:
    assert "sock_accept" not in wasi_p1.PREVIEW0_FUNCTIONS
    assert "whence" in wasi_p1.PREVIEW0_DIFFERENCES["fd_seek"]
    assert wasi_p1.lookup("wasi_unstable", "fd_write") is wasi_p1.FUNCTIONS["fd_write"]
    assert wasi_p1.lookup("wasi_unstable", "sock_accept") is None
    data = wasmtime.wat2wasm(
        '(module (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32))))'
    )
    report = inspect_bytes(bytes(data))
    assert report.wasi.flavours == ["wasi-preview0"]
    assert not report.runnable.ok
    assert "wasi_unstable" in report.runnable.reason
    assert report.runnable.missing == ["wasi_unstable.fd_write"]


def _summary(wat_imports: str):
    return inspect_bytes(bytes(wasmtime.wat2wasm(f"(module {wat_imports})"))).wasi


def test_capability_map_groups_imports() -> None:
    wasi = _summary("""
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_open"
        (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))""")
    assert wasi.flavours == ["wasi-preview1"]
    assert wasi.capabilities == {
        "stdio": ["wasi_snapshot_preview1.fd_write"],
        "filesystem": ["wasi_snapshot_preview1.path_open"],
        "random": ["wasi_snapshot_preview1.random_get"],
        "args": ["wasi_snapshot_preview1.args_get"],
    }
    assert wasi.runnable.ok


def test_wrong_wasi_signature_is_not_runnable() -> None:
    wasi = _summary('(import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))')
    assert not wasi.runnable.ok
    assert wasi.runnable.missing == ["wasi_snapshot_preview1.fd_write"]
    assert "do not exist in the standard" in wasi.runnable.reason


def test_wasix_sockets_need_wasmer() -> None:
    wasi = _summary("""
      (import "wasix_32v1" "sock_open" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))""")
    assert wasi.flavours == ["wasix", "wasi-preview1"]
    assert wasi.capabilities["sockets"] == ["wasix_32v1.sock_open"]
    assert not wasi.runnable.ok and wasi.runnable.missing == ["wasix_32v1.sock_open"]
    assert wasi.runnable.reason == "needs WASIX socket calls, which only the wasmer runtime provides"


def test_browser_node_emscripten_and_threads_are_named() -> None:
    bindgen = _summary('(import "__wbindgen_placeholder__" "__wbindgen_describe" (func (param i32)))')
    assert bindgen.flavours == ["wasm-bindgen"] and "browser" in bindgen.runnable.reason
    napi = _summary('(import "env" "napi_create_string_utf8" (func (param i32 i32 i32 i32) (result i32)))')
    assert napi.flavours == ["node-api"] and "Node-API" in napi.runnable.reason
    em = _summary('(import "env" "emscripten_memcpy_js" (func (param i32 i32 i32)))')
    assert em.flavours == ["emscripten"] and "Emscripten" in em.runnable.reason
    threads = _summary('(import "wasi" "thread-spawn" (func (param i32) (result i32)))')
    assert threads.flavours == ["wasi-threads"] and threads.capabilities == {"threads": ["wasi.thread-spawn"]}
    assert "wasi-threads" in threads.runnable.reason
    lib = _summary('(import "env" "helper" (func))')
    assert not lib.runnable.ok and "env" in lib.runnable.reason


def test_module_summary_without_imports_and_how_to_start_it() -> None:
    summary = module_summary([])
    assert summary.flavours == [] and summary.runnable.reason == "it imports nothing"
    library = inspect_bytes(bytes(wasmtime.wat2wasm('(module (func (export "add")))'))).runnable
    assert library.ok and "no _start" in library.reason and "call one of its exports" in library.reason
    inert = inspect_bytes(bytes(wasmtime.wat2wasm("(module)"))).runnable
    assert inert.ok and "nothing to call" in inert.reason


def test_component_summary_worlds_and_host_support() -> None:
    ok = component_summary(
        ["wasi:cli/environment@0.2.0", "wasi:filesystem/types@0.2.3"], ["wasi:cli/run@0.2.0"]
    )
    assert ok.flavours == ["wasi-0.2"] and ok.runnable.ok
    assert ok.capabilities["filesystem"] == ["wasi:filesystem/types@0.2.3"]
    assert set(ok.capabilities) == {"args", "environment", "filesystem"}
    http = component_summary(["wasi:http/types@0.2.0"], ["wasi:http/incoming-handler@0.2.0"])
    assert not http.runnable.ok and "wasmtime serve" in http.runnable.reason
    future = component_summary(["wasi:cli/environment@0.3.0"], [])
    assert not future.runnable.ok and future.runnable.missing == ["wasi:cli/environment@0.3.0"]
    assert ImportRef("a", "b").type == ""


def test_http_handler_component_is_pointed_at_wasmtime_serve() -> None:
    handler = component_summary(["wasi:cli/stdout@0.2.0"], ["wasi:http/incoming-handler@0.2.0"])
    assert "wasmtime serve" in handler.runnable.reason
    spin = component_summary(["fermyon:spin/key-value@2.0.0"], ["wasi:http/incoming-handler@0.2.0"])
    assert not spin.runnable.ok and "spin up" in spin.runnable.reason
