"""RunConfig: JSON round trip, deny-by-default, validation, and the equivalent wasmtime command line."""

from __future__ import annotations

import shlex

import pytest

from wasi_playground.core.engine.config import ConfigError, Limits, Preopen, RunConfig, Stdin
from wasi_playground.core.engine.wasi_config import validate_config


def test_empty_config_grants_nothing() -> None:
    config = RunConfig()
    assert config.args == [] and config.env == [] and config.preopens == [] and config.stdin.kind == "none"
    assert config.wasmtime_command("m.wasm") == "wasmtime run m.wasm < /dev/null"


def test_json_round_trip_keeps_everything() -> None:
    config = RunConfig(args=["a", "b c"], argv0="prog", env=[("K", "v=1")],
                       preopens=[Preopen("/tmp", "/t", True)], stdin=Stdin(kind="text", text="hi"),
                       limits=Limits(max_memory_bytes=1 << 20, max_table_elements=10, fuel=5, timeout_s=1.5),
                       invoke="f", invoke_args=["1"], denied=["filesystem"], trace=True)
    assert RunConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize("text", ["[1]", "{not json", '{"preopens": [{"bogus": 1}]}'])
def test_bad_json_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError):
        RunConfig.from_json(text)


def test_wasmtime_command_is_a_real_command_line(tmp_path) -> None:
    config = RunConfig(args=["--flag", "two words"], env=[("A", "1 2")],
                       preopens=[Preopen(str(tmp_path), "/data"), Preopen("/same", "/same")],
                       stdin=Stdin(kind="file", path="/in put.txt"),
                       limits=Limits(max_memory_bytes=65536, fuel=100, timeout_s=2, max_table_elements=9))
    line = config.wasmtime_command("my module.wasm")
    words = shlex.split(line)
    assert words[:2] == ["wasmtime", "run"]
    module_at = words.index("my module.wasm")
    options = words[2:module_at]
    assert options == ["--dir", f"{tmp_path}::/data", "--dir", "/same", "--env", "A=1 2", "-W", "fuel=100",
                       "-W", "max-memory-size=65536", "-W", "max-table-elements=9", "-W", "timeout=2s"]
    assert words[module_at + 1:] == ["--flag", "two words", "<", "/in put.txt"]


def test_read_only_dirs_are_flagged_because_wasmtime_cannot_express_them() -> None:
    line = RunConfig(preopens=[Preopen("/h", "/g", read_only=True)]).wasmtime_command("m.wasm")
    command, comment = line.split("  # ")
    assert "--dir /h::/g" in command and "/g" in comment and "read-only" in comment
    assert shlex.split(line, comments=True)[-3:] == ["m.wasm", "<", "/dev/null"]


def test_invoke_and_text_stdin_render() -> None:
    line = RunConfig(invoke="add", invoke_args=["1", "2"], args=["ignored"]).wasmtime_command("m.wasm")
    assert line.endswith("--invoke add m.wasm 1 2 < /dev/null")
    piped = RunConfig(stdin=Stdin(kind="text", text="it's")).wasmtime_command("m.wasm")
    assert shlex.split(piped.split(" | ")[0]) == ["printf", "%s", "it's"]


@pytest.mark.parametrize(("config", "words"), [
    (RunConfig(preopens=[Preopen("", "/x")]), "host path"),
    (RunConfig(preopens=[Preopen("/", "")]), "guest path"),
    (RunConfig(env=[("", "v")]), "empty"),
    (RunConfig(env=[("A", "x\0y")]), "NUL"),
    (RunConfig(limits=Limits(timeout_s=0)), "timeout"),
    (RunConfig(limits=Limits(fuel=-1)), "fuel"),
    (RunConfig(args=["x" * (2 << 20)]), "arguments"),
])
def test_validation_explains_what_is_wrong(config: RunConfig, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        validate_config(config)


def test_file_in_place_of_a_directory_is_refused(tmp_path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(ConfigError, match="not one"):
        validate_config(RunConfig(preopens=[Preopen(str(f), "/f")]))
