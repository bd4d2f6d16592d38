"""Copy as ... (issue 17 item 2): each runtime's command from a run configuration, and what it cannot say."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
import wasmtime

from wasi_playground.cli import main as cli_main
from wasi_playground.core.binary.tools import wasm_tools
from wasi_playground.core.engine.config import Limits, Preopen, RunConfig, Stdin
from wasi_playground.core.export import ExportRefused, export_for, offered_targets
from wasi_playground.core.inspect.report import inspect_bytes, inspect_path

SAMPLES = Path(__file__).parent.parent / "samples"
HELLO = str(SAMPLES / "hello" / "hello.wasm")
RICH = RunConfig(
    args=["one", "two words"],
    env=[("GREETING", 'hi $USER "there"')],
    preopens=[Preopen("/srv/data", "/data", read_only=True), Preopen("/tmp/out", "/out")],
    limits=Limits(max_memory_bytes=3 * 65536 + 1, fuel=1000, timeout_s=2.5),
    stdin=Stdin(kind="text", text="input"),
    denied=["clocks"],
)


def hello_export(target: str, config: RunConfig = RICH):
    return export_for(inspect_path(HELLO), config, target, HELLO)


def test_wasmtime_is_the_existing_command_with_its_caveat_as_a_warning() -> None:
    export = hello_export("wasmtime")
    assert export.command == RICH.wasmtime_parts(HELLO)[0]
    assert export.command.startswith("printf %s input | wasmtime run --dir /srv/data::/data")
    assert any("read-only" in w and "/data" in w for w in export.warnings)
    assert any("clocks" in w for w in export.warnings)
    assert RICH.wasmtime_command(HELLO).endswith("/data")  # the one-line form keeps its trailing comment


def test_wasmer_maps_dirs_and_says_what_it_cannot() -> None:
    export = hello_export("wasmer")
    assert export.command == (
        f"printf %s input | wasmer run --mapdir /data:/srv/data --mapdir /out:/tmp/out "
        f"--env 'GREETING=hi $USER \"there\"' {HELLO} -- one 'two words'"
    )
    text = " ".join(export.warnings)
    for said in ("read-only: writable there: /data", "memory limit", "fuel limit", "timeout", "clocks"):
        assert said in text


def test_wasmedge_spells_readonly_and_limits() -> None:
    export = hello_export("wasmedge")
    assert export.command == (
        "printf %s input | wasmedge --dir /data:/srv/data:readonly --dir /out:/tmp/out "
        "--env 'GREETING=hi $USER \"there\"' --memory-page-limit 3 --time-limit 2500 --gas-limit 1000 "
        f"{HELLO} one 'two words'"
    )
    text = " ".join(export.warnings)
    assert "rounded down to 3 pages" in text and "gas" in text and "clocks" in text
    assert "read-only" not in text


def test_wasmedge_extension_needs_are_said() -> None:
    report = inspect_bytes(
        bytes(
            wasmtime.wat2wasm(
                '(module (import "wasmedge_process" "wasmedge_process_run" (func (result i32)))'
                ' (func (export "_start")))'
            )
        ),
        "proc.wasm",
    )
    export = export_for(report, RunConfig(), "wasmedge", "proc.wasm")
    assert export.command == "wasmedge proc.wasm < /dev/null"
    assert any("--allow-command" in w for w in export.warnings)


def test_spin_wagi_manifest_is_valid_toml_version_2() -> None:
    config = RunConfig(args=["a"], env=[("K", 'v"\x7f')], preopens=[Preopen("/srv", "/static", True)])
    export = export_for(inspect_path(SAMPLES / "wagi" / "wagi.wasm"), config, "spin", "wagi.wasm")
    manifest = tomllib.loads(export.files["spin.toml"])
    assert manifest["spin_manifest_version"] == 2
    trigger = manifest["trigger"]["http"][0]
    assert trigger["component"] == "wagi" and trigger["route"] == "/..."
    assert trigger["executor"] == {"type": "wagi", "argv": "${SCRIPT_NAME} a ${ARGS}"}
    component = manifest["component"]["wagi"]
    assert component["source"] == "wagi.wasm"
    assert component["files"] == [{"source": "/srv", "destination": "/static"}]
    assert component["environment"] == {"K": 'v"\x7f'}
    assert export.command.startswith("spin up --from spin.toml --listen 127.0.0.1:3000")
    assert export.warnings == []
    text = export.text()
    assert text.index("cat > spin.toml <<'EOF'") < text.index("\nEOF\n") < text.index("spin up")


def test_spin_warns_about_writable_files_and_stdin() -> None:
    export = hello_export("spin")
    text = " ".join(export.warnings)
    assert "read-only: the module cannot write to /out" in text
    assert "request's body as stdin" in text and "splits WAGI's argv" in text


def test_docker_dockerfile_and_run_line() -> None:
    export = hello_export("docker")
    dockerfile = export.files["Dockerfile"]
    assert dockerfile.splitlines() == [
        "FROM scratch",
        'COPY ["hello.wasm", "/hello.wasm"]',
        'ENV GREETING="hi \\$USER \\"there\\""',
        'ENTRYPOINT ["/hello.wasm"]',
        'CMD ["one", "two words"]',
    ]
    build, run = export.command.splitlines()
    assert (
        build
        == f"docker buildx build --platform wasi/wasm -f Dockerfile -t hello-wasm:latest {SAMPLES / 'hello'}"
    )
    assert run == (
        "printf %s input | docker run --rm --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm "
        "-v /srv/data:/data:ro -v /tmp/out:/out -i hello-wasm:latest"
    )
    assert any("fuel" in w for w in export.warnings)


def _component(tmp_path: Path, text: str) -> Path:
    (tmp_path / "c.wat").write_text(text)
    out = tmp_path / "proxy.wasm"
    subprocess.run([str(wasm_tools()), "parse", str(tmp_path / "c.wat"), "-o", str(out)], check=True)
    return out


def test_http_component_targets(tmp_path: Path) -> None:
    path = _component(
        tmp_path,
        '(component (import "wasi:http/types@0.2.0" (instance)) (instance $h)'
        ' (export "wasi:http/incoming-handler@0.2.0" (instance $h)))',
    )
    report = inspect_path(path)
    assert offered_targets(report) == ["wasmtime", "spin", "docker", "oci"]
    config = RunConfig(args=["x"], env=[("A", "1")])
    serve = export_for(report, config, "wasmtime", "proxy.wasm")
    assert serve.command == "wasmtime serve -S cli --addr 127.0.0.1:8080 --env A=1 proxy.wasm"
    assert any("arguments" in w for w in serve.warnings)
    spin = tomllib.loads(export_for(report, RunConfig(), "spin", "proxy.wasm").files["spin.toml"])
    assert "executor" not in spin["trigger"]["http"][0]
    docker = export_for(report, RunConfig(), "docker", "proxy.wasm").command
    assert "-p 127.0.0.1:8080:8080" in docker
    with pytest.raises(ExportRefused, match="wasmer cannot run it: wasmer runs core modules, not components"):
        export_for(report, config, "wasmer", "proxy.wasm")


def test_spin_says_outbound_http_must_be_allowed(tmp_path: Path) -> None:
    path = _component(
        tmp_path,
        '(component (import "wasi:http/types@0.2.0" (instance))'
        ' (import "wasi:http/outgoing-handler@0.2.0" (instance)) (instance $h)'
        ' (export "wasi:http/incoming-handler@0.2.0" (instance $h)))',
    )
    export = export_for(inspect_path(path), RunConfig(), "spin", "proxy.wasm")
    assert any("allowed_outbound_hosts" in w for w in export.warnings)


def test_offered_targets_follow_the_verdicts() -> None:
    assert offered_targets(inspect_path(HELLO)) == ["wasmtime", "wasmer", "wasmedge", "spin", "docker", "oci"]
    calc = inspect_path(SAMPLES / "calc" / "calc.wasm")
    assert offered_targets(calc) == ["wasmtime", "wasmer", "wasmedge"]
    export = export_for(calc, RunConfig(invoke="add", invoke_args=["1", "2"]), "wasmedge", "calc.wasm")
    assert export.command == "wasmedge --reactor calc.wasm add 1 2 < /dev/null"
    assert export_for(calc, RunConfig(), "wasmtime", "calc.wasm").command.startswith(
        "wasmtime run --invoke add calc.wasm"
    )


def test_cli_prints_warnings_as_comments(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["export", HELLO, "--as", "wasmer", "--dir-ro", "/srv::/srv", "--fuel", "5", "--", "x"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "# wasmer cannot map a directory read-only: writable there: /srv",
        "# wasmer has no way to set a fuel limit: this runs without it",
    ]
    assert lines[2] == f"wasmer run --dir /srv {HELLO} -- x < /dev/null"
    assert cli_main(["export", HELLO, "--as", "spin", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) == {"target", "command", "files", "warnings"} and "spin.toml" in d["files"]


def test_cli_refuses_a_runtime_that_cannot_run_it(capsys: pytest.CaptureFixture[str]) -> None:
    component = str(SAMPLES / "hello-component" / "hello-component.wasm")
    assert cli_main(["export", component, "--as", "wasmedge"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "WasmEdge cannot run it" in err
    assert cli_main(["export", HELLO]) == 2
    assert "--as" in capsys.readouterr().err


def test_wat_text_is_said_to_need_compiling_except_for_wasmtime(tmp_path: Path) -> None:
    source = tmp_path / "tiny.wat"
    source.write_text('(module (func (export "_start")))')
    report = inspect_path(source)
    assert export_for(report, RunConfig(), "wasmtime", str(source)).warnings == []
    assert "compile it first" in export_for(report, RunConfig(), "wasmer", str(source)).warnings[0]
