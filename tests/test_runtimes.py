"""Runtime verdicts (issue 17 item 1): modules from WAT and components from component text, per family."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import wasmtime

from wasi_playground.cli import main as cli_main
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.inspect.report import Report, inspect_bytes, inspect_path
from wasi_playground.core.inspect.runtimes import image_name

FD_WRITE = '(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))'
START = '(memory (export "memory") 1) (func (export "_start"))'


def module(imports: str, body: str = START, name: str = "m.wasm") -> Report:
    return inspect_bytes(bytes(wasmtime.wat2wasm(f"(module {imports} {body})")), name)


def component(tmp_path: Path, text: str, name: str = "c.wasm") -> Report:
    (tmp_path / "c.wat").write_text(text)
    out = tmp_path / name
    subprocess.run([str(wasm_tools()), "parse", str(tmp_path / "c.wat"), "-o", str(out)], check=True)
    return inspect_path(out)


def verdicts(report: Report) -> dict[str, dict[str, object]]:
    return {v.name: v.to_json_dict() for v in report.runtimes}


def runs(report: Report) -> set[str]:
    return {v.name for v in report.runtimes if v.runs}


def test_plain_preview1_runs_everywhere_and_says_how() -> None:
    report = inspect_path(Path(__file__).parent.parent / "samples" / "hello" / "hello.wasm")
    v = verdicts(report)
    assert runs(report) == {"wasmtime", "wasmer", "wasmedge", "spin", "docker"}
    assert v["wasmtime"]["command"] == "wasmtime run hello.wasm"
    assert v["wasmer"]["command"] == "wasmer run hello.wasm"
    assert v["wasmedge"]["command"] == "wasmedge hello.wasm"
    assert "wasi_snapshot_preview1.fd_write" in v["wasmtime"]["evidence"]
    assert "WAGI" in str(v["spin"]["why"]) and v["spin"]["command"] == "spin up --from spin.toml"
    assert v["docker"]["command"] == (
        "docker run --rm --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm hello-wasm:latest"
    )


def test_wasmedge_process_extension_is_named_not_called_nonstandard() -> None:
    report = module('(import "wasmedge_process" "wasmedge_process_run" (func (result i32)))' + FD_WRITE)
    assert runs(report) == {"wasmedge", "docker"}
    v = verdicts(report)
    assert v["wasmedge"]["evidence"] == ["wasmedge_process.wasmedge_process_run"]
    assert "WasmEdge's process extension" in str(v["wasmtime"]["why"])
    assert "io.containerd.wasmedge.v1" in str(v["docker"]["command"])
    assert "do not exist in the standard" not in report.runnable.reason
    assert "wasmedge_process" in report.runnable.reason and "wasmedge-process" in report.wasi.flavours


def test_wasmedge_socket_extension_in_preview1_module() -> None:
    report = module(
        '(import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32) (result i32)))' + FD_WRITE
    )
    assert runs(report) == {"wasmedge", "docker"}
    assert verdicts(report)["wasmedge"]["evidence"] == ["wasi_snapshot_preview1.sock_open"]
    assert report.runnable.missing == ["wasi_snapshot_preview1.sock_open"]
    assert "WasmEdge's socket extension" in report.runnable.reason
    assert "do not exist in the standard" not in report.runnable.reason


def test_wasmedge_https_request_plugin() -> None:
    report = module(
        '(import "wasmedge_httpsreq" "wasmedge_httpsreq_send_data" (func (param i32 i32 i32 i32)))'
    )
    assert runs(report) == {"wasmedge", "docker"}
    assert "HTTPS" in report.runnable.reason


def test_wasi_nn_runs_in_wasmtime_with_nn_and_in_wasmedge() -> None:
    report = module(
        '(import "wasi_ephemeral_nn" "load" (func (param i32 i32 i32 i32 i32) (result i32)))' + FD_WRITE
    )
    v = verdicts(report)
    assert runs(report) == {"wasmtime", "wasmedge"}
    assert v["wasmtime"]["command"] == "wasmtime run -S nn m.wasm"
    assert v["wasmtime"]["evidence"] == ["wasi_ephemeral_nn.load"]
    assert "wasi-nn" in report.wasi.flavours and "wasi-nn" in report.runnable.reason


def test_wasix_sockets_need_wasmer_with_network() -> None:
    report = module(
        '(import "wasix_32v1" "sock_open" (func (param i32 i32 i32 i32) (result i32)))' + FD_WRITE
    )
    v = verdicts(report)
    assert runs(report) == {"wasmer", "docker"}
    assert v["wasmer"]["command"] == "wasmer run --net m.wasm"
    assert "io.containerd.wasmer.v1" in str(v["docker"]["command"])
    assert v["wasmtime"]["why"] == "wasmtime does not provide WASIX"


def test_wasi_threads() -> None:
    report = module(
        '(import "wasi" "thread-spawn" (func (param i32) (result i32)))'
        '(import "env" "memory" (memory 1 1 shared))',
        '(func (export "_start"))',
    )
    v = verdicts(report)
    assert runs(report) == {"wasmedge"}, v
    assert v["wasmedge"]["command"] == "wasmedge --enable-threads m.wasm"
    assert "no longer supported" in str(v["wasmtime"]["why"])
    assert v["wasmtime"]["evidence"] == ["wasi.thread-spawn", "env.memory"]


@pytest.mark.parametrize(
    ("imports", "family", "node_command"),
    [
        ('(import "env" "emscripten_memcpy_js" (func (param i32 i32 i32)))', "emscripten", None),
        (
            '(import "__wbindgen_placeholder__" "__wbindgen_describe" (func (param i32)))',
            "wasm-bindgen",
            None,
        ),
        (
            '(import "gojs" "runtime.wasmExit" (func (param i32)))',
            "go-js",
            'node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" m.wasm',
        ),
        ('(import "env" "abort" (func (param i32 i32 i32 i32)))', "assemblyscript", None),
    ],
)
def test_javascript_host_builds(imports: str, family: str, node_command: str | None) -> None:
    report = module(imports)
    v = verdicts(report)
    assert runs(report) == {"browser", "node"}
    assert v["browser"]["evidence"] == v["node"]["evidence"] and v["browser"]["evidence"]
    assert v["node"]["command"] == node_command
    assert family in report.wasi.flavours


def test_node_api_runs_in_node_only() -> None:
    report = module('(import "napi" "napi_create_string_utf8" (func (param i32 i32 i32 i32) (result i32)))')
    assert runs(report) == {"node"}
    assert "Node-API" in str(verdicts(report)["node"]["why"])


def test_spiderlightning_is_named_and_said_archived() -> None:
    report = module('(import "keyvalue" "keyvalue::open" (func (param i32 i32 i32)))' + FD_WRITE)
    v = verdicts(report)
    assert runs(report) == {"slight"}
    assert "archived" in str(v["slight"]["why"]) and "archived" in report.runnable.reason
    assert v["slight"]["command"] == "slight -c slightfile.toml run m.wasm"


def test_nonstandard_preview1_signature_runs_nowhere() -> None:
    report = module('(import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))')
    assert runs(report) == set()
    assert "not its signature" in str(verdicts(report)["wasmtime"]["why"])


def test_library_module_is_invoked() -> None:
    report = module("", '(func (export "add") (param i32 i32) (result i32) local.get 0)')
    v = verdicts(report)
    assert v["wasmtime"]["command"] == "wasmtime run --invoke add m.wasm"
    assert v["wasmedge"]["command"] == "wasmedge --reactor m.wasm add"
    assert not v["spin"]["runs"] and not v["docker"]["runs"] and "_start" in str(v["docker"]["why"])


HTTP_PROXY = """(component
  (import "wasi:http/types@0.2.0" (instance))
  {extra}
  (instance $h)
  (export "wasi:http/incoming-handler@0.2.0" (instance $h)))"""


def test_wasi_http_proxy_component(tmp_path: Path) -> None:
    report = component(tmp_path, HTTP_PROXY.format(extra=""), "proxy.wasm")
    v = verdicts(report)
    assert runs(report) == {"wasmtime", "spin", "docker"}
    assert v["wasmtime"]["command"] == "wasmtime serve -S cli proxy.wasm"
    assert v["wasmtime"]["evidence"] == ["wasi:http/incoming-handler@0.2.0"]
    assert "8080" in str(v["docker"]["why"])
    assert "not components" in str(v["wasmer"]["why"])


def test_spin_component(tmp_path: Path) -> None:
    report = component(
        tmp_path, HTTP_PROXY.format(extra='(import "fermyon:spin/key-value@2.0.0" (instance))')
    )
    v = verdicts(report)
    assert runs(report) == {"spin"}
    assert "fermyon:spin/key-value@2.0.0" in v["spin"]["evidence"]
    assert "Spin's interfaces" in str(v["wasmtime"]["why"])
    assert "spin" in report.runnable.reason.lower()


def test_command_component_sample() -> None:
    report = inspect_path(
        Path(__file__).parent.parent / "samples" / "hello-component" / "hello-component.wasm"
    )
    v = verdicts(report)
    assert runs(report) == {"wasmtime", "docker"}
    assert v["wasmtime"]["command"] == "wasmtime run hello-component.wasm"
    assert not v["spin"]["runs"]


def test_image_names_are_valid_references() -> None:
    assert image_name("Hello World.wasm") == "hello-world-wasm:latest"
    assert image_name("/a/b/__.wat") == "module-wasm:latest"


def test_inspect_json_and_text_show_runtimes(capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(Path(__file__).parent.parent / "samples" / "hello" / "hello.wasm")
    assert cli_main(["inspect", "--json", sample]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in d["runtimes"]] == ["wasmtime", "wasmer", "wasmedge", "spin", "docker"]
    assert set(d["runtimes"][0]) == {"name", "runs", "why", "evidence", "command"}
    assert cli_main(["inspect", sample]) == 0
    text = capsys.readouterr().out
    assert "elsewhere:" in text and "$ wasmer run hello.wasm" in text
    assert "evidence: wasi_snapshot_preview1: " in text


def test_a_components_inner_module_is_named_as_such() -> None:
    report = module(
        '(import "env" "memory" (memory 1))'
        '(import "wasi:cli/environment@0.2.0" "get-environment" (func (param i32)))',
        '(func (export "_start"))',
    )
    assert runs(report) == set()
    assert "inside a component" in str(verdicts(report)["wasmtime"]["why"])
    assert "wasm-tools component new" in report.runnable.reason
