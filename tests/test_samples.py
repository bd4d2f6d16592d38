"""The committed samples: each has source, binary and a valid description, and does what it says it does."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import wasmtime

from wasi_playground.core.binary.reader import header_kind
from wasi_playground.core.engine.config import RunConfig, Stdin
from wasi_playground.core.run.runner import run
from wasi_playground.core.samples import SampleError, get_sample, list_samples, samples_root

REQUIRED_SET = {
    "hello", "args", "env", "cat", "write", "escape", "random", "clocks", "exit", "trap", "spin", "grow",
    "flood", "wagi", "calc", "hello-component", "wc",
}
MINE = sorted(REQUIRED_SET)


def sample_folders():
    return sorted(p for p in samples_root().iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def test_the_whole_set_is_there_and_loads():
    names = {s.name for s in list_samples()}
    assert REQUIRED_SET <= names
    assert (samples_root() / "hello" / "hello.wasm").is_file()


@pytest.mark.parametrize("folder", sample_folders(), ids=lambda p: p.name)
def test_every_sample_folder_has_source_binary_and_description(folder):
    meta = json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    for key in ("title", "teaches", "description", "language", "config"):
        assert isinstance(meta[key], (str, dict)) and meta[key], f"{folder.name}: {key} missing"
    assert "\n" not in meta["teaches"]
    assert len(meta["description"]) > 80
    sample = get_sample(folder.name)
    assert sample.sources, f"{folder.name} has no source"
    data = sample.wasm_path.read_bytes()
    assert header_kind(data) in ("module", "component")
    assert RunConfig.from_dict(meta["config"]).to_dict()["args"] == sample.config.args


def test_sample_languages_include_two_beside_wat():
    languages = {s.language for s in list_samples()}
    assert {"C", "Zig", "WAT", "AssemblyScript"} <= languages


def test_preopen_host_paths_are_absolute_and_exist_whatever_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for sample in list_samples():
        for preopen in sample.config.preopens:
            assert preopen.host.startswith("/") or preopen.host[1:3] == ":\\"
            assert (tmp_path / preopen.host).is_dir(), (sample.name, preopen.host)
    assert get_sample("cat").config.preopens[0].host.endswith("cat/data")


def test_scratch_folders_live_in_the_cache_not_in_the_samples(tmp_path):
    write = get_sample("write")
    host = write.config.preopens[0].host
    assert not host.startswith(str(samples_root()))
    assert "sample-scratch" in host


@pytest.mark.parametrize("name", ["nope", "../hello", "", ".hidden"])
def test_unknown_sample_names_are_refused(name):
    with pytest.raises(SampleError):
        get_sample(name)


def test_a_broken_sample_is_left_out_of_the_list_and_explained(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "sample.json").write_text('{"title": "Good", "config": {"args": ["x"]}}')
    for name, text in [("bad-json", "{nope"), ("bad-config", '{"config": {"stdin": 3}}'), ("list", "[]")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "sample.json").write_text(text)
    assert [s.name for s in list_samples(tmp_path)] == ["good"]
    assert get_sample("good", tmp_path).config.args == ["x"]
    with pytest.raises(SampleError, match="bad-json.*sample.json"):
        get_sample("bad-json", tmp_path)
    with pytest.raises(SampleError, match="not a valid run configuration"):
        get_sample("bad-config", tmp_path)
    with pytest.raises(SampleError, match="not a JSON object"):
        get_sample("list", tmp_path)


def run_sample(name: str, **changes):
    sample = get_sample(name)
    config = copy.deepcopy(sample.config)
    for key, value in changes.items():
        setattr(config, key, value)
    return run(sample.wasm_path, config)


def check_expectations(result, expect):
    if "exit_code" in expect:
        assert result.exit_code == expect["exit_code"], (result.error, result.trap, result.stderr)
    if "stdout" in expect:
        assert result.stdout == expect["stdout"]
    if "stdout_contains" in expect:
        assert expect["stdout_contains"] in result.stdout
    if "stderr" in expect:
        assert result.stderr == expect["stderr"]
    if "stderr_contains" in expect:
        assert expect["stderr_contains"] in result.stderr
    if "stdout_bytes" in expect:
        assert result.stdout_bytes == expect["stdout_bytes"]
    if "trap_code" in expect:
        assert result.trap is not None and result.trap.code == expect["trap_code"]
    if "results" in expect:
        assert result.results == expect["results"]
    if "timed_out" in expect:
        assert result.timed_out == expect["timed_out"]


@pytest.mark.parametrize("name", MINE)
def test_sample_behaves_as_its_description_promises(name):
    sample = get_sample(name)
    config = copy.deepcopy(sample.config)
    if sample.expect.get("timed_out"):
        config.limits.timeout_s = 0.3
    result = run(sample.wasm_path, config)
    assert result.error is None
    check_expectations(result, sample.expect)
    assert sample.expect, f"{name} says nothing about what it does"


def test_args_arrive_exactly_as_given_without_shell_splitting():
    result = run_sample("args", args=["a b", "", "ü"])
    assert result.stdout == 'argc = 4\nargv[0] = "args.wasm"\nargv[1] = "a b"\nargv[2] = ""\nargv[3] = "ü"\n'


def test_env_shows_only_granted_variables():
    result = run_sample("env", env=[("GREETING", "hi"), ("EMPTY", "")])
    assert result.stdout == "GREETING=hi\nEMPTY=\n"


def test_cat_without_a_preopen_fails_clearly():
    result = run_sample("cat", preopens=[])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "cannot open /data/poem.txt" in result.stderr
    assert "preopened" in result.stderr


def test_write_creates_the_file_in_a_writable_preopen(tmp_path):
    sample = get_sample("write")
    config = copy.deepcopy(sample.config)
    config.preopens[0].host = str(tmp_path)
    result = run(sample.wasm_path, config)
    assert result.exit_code == 0
    assert (tmp_path / "note.txt").read_text() == "written from inside the sandbox\n"


def test_write_is_refused_by_a_read_only_preopen(tmp_path):
    sample = get_sample("write")
    config = copy.deepcopy(sample.config)
    config.preopens[0].host = str(tmp_path)
    config.preopens[0].read_only = True
    result = run(sample.wasm_path, config)
    assert result.exit_code == 1
    assert "cannot create /out/note.txt" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_escape_is_denied_every_way_including_the_host_symlink():
    sample = get_sample("escape")
    assert (Path(sample.config.preopens[0].host) / "outside").is_symlink()
    result = run(sample.wasm_path, sample.config)
    lines = result.stdout.splitlines()
    attempts = [line for line in lines if line.startswith(("denied", "ESCAPED"))]
    assert len(attempts) == 6
    assert all(line.startswith("denied") for line in attempts), result.stdout
    assert "root:" not in result.stdout
    assert any("made by host" in line for line in attempts)
    assert lines[-1] == "every attempt was denied"
    assert result.exit_code == 0


@pytest.mark.parametrize("code", ["0", "3", "125"])
def test_exit_reports_the_code_it_was_given(code):
    result = run_sample("exit", args=[code])
    assert result.exit_code == int(code)
    assert result.trap is None


def test_exit_codes_past_125_become_a_trap():
    result = run_sample("exit", args=["200"])
    assert result.exit_code is None
    assert result.trap is not None and "invalid exit status" in result.trap.message


@pytest.mark.parametrize(
    ("argument", "trap_code", "function"),
    [
        ("unreachable", "unreachable", "hit_unreachable"),
        ("divide", "integer_division_by_zero", "divide_by_zero"),
        ("oob", "memory_out_of_bounds", "read_out_of_bounds"),
        ("stack", "stack_overflow", "recurse_forever"),
    ],
)
def test_trap_kinds_are_reported_with_named_frames(argument, trap_code, function):
    result = run_sample("trap", args=[argument])
    assert result.exit_code is None
    assert result.trap is not None
    assert result.trap.code == trap_code
    assert result.trap.frames and result.trap.frames[0].func_name == function
    if argument != "stack":  # a stack overflow's backtrace is cut long before it reaches the entry
        assert result.trap.frames[-1].func_name == "start"


def test_trap_without_argument_prints_usage_and_exits_2():
    result = run_sample("trap", args=[])
    assert result.exit_code == 2
    assert result.stderr.startswith("usage: trap")


def test_spin_is_stopped_by_cancel_like_the_stop_button():
    import threading

    from wasi_playground.core.run.runner import start_run

    printed = threading.Event()

    class Sink:
        def on_stdout(self, data: bytes) -> None:
            printed.set()

    sample = get_sample("spin")
    handle = start_run(sample.wasm_path, sample.config, Sink())
    assert printed.wait(20), "spin never printed its line"
    assert not handle.done
    handle.cancel()
    result = handle.wait(timeout=10)
    assert result.cancelled and not result.timed_out
    assert result.trap is not None and result.trap.frames[0].func_name == "spin_forever"


def test_spin_is_stopped_by_fuel_too():
    sample = get_sample("spin")
    config = copy.deepcopy(sample.config)
    config.limits.fuel = 100_000
    result = run(sample.wasm_path, config)
    assert result.trap is not None and result.trap.code == "out_of_fuel"
    assert result.stdout == "spinning forever; press Stop\n"


def test_grow_is_refused_by_the_memory_limit():
    result = run_sample("grow")
    assert result.exit_code == 0
    last = result.stdout.splitlines()[-1]
    assert last.startswith("memory.grow refused after growing by")
    assert last.endswith("memory is 64576 KiB")
    assert result.limit_message and "64 MiB" in result.limit_message


def test_grow_with_a_smaller_limit_stops_sooner():
    sample = get_sample("grow")
    config = copy.deepcopy(sample.config)
    config.limits.max_memory_bytes = 20 * 1024 * 1024
    result = run(sample.wasm_path, config)
    assert "memory.grow refused after growing by 3 MiB" in result.stdout


def test_flood_writes_exactly_n_mebibytes():
    result = run_sample("flood", args=["3"])
    assert result.exit_code == 0
    assert result.stdout_bytes == 3 * 1024 * 1024
    assert result.stderr == f"flood: wrote {3 * 1024 * 1024} bytes\n"


def test_wagi_echoes_a_get_request_without_body():
    sample = get_sample("wagi")
    config = copy.deepcopy(sample.config)
    config.env = [("REQUEST_METHOD", "GET"), ("PATH_INFO", "/items/7"), ("QUERY_STRING", "q=1&r=2"),
                  ("HTTP_ACCEPT", "text/plain")]
    config.stdin.kind = "none"
    result = run(sample.wasm_path, config)
    head, _, body = result.stdout.partition("\n\n")
    assert head.splitlines()[0] == "Content-Type: text/plain; charset=utf-8"
    assert body == (
        "method: GET\npath: /items/7\nquery: q=1&r=2\nheader: ACCEPT=text/plain\nbody: \nbody length: 0\n"
    )


def test_wagi_reads_no_more_than_content_length():
    sample = get_sample("wagi")
    config = copy.deepcopy(sample.config)
    config.env = [("REQUEST_METHOD", "PUT"), ("CONTENT_LENGTH", "5")]
    config.stdin.text = "12345 and more"
    result = run(sample.wasm_path, config)
    assert result.stdout.endswith("body: 12345\nbody length: 5\n")


@pytest.mark.parametrize(
    ("export", "args", "expected"),
    [
        ("add", ["-7", "10"], [3]),
        ("factorial", ["20"], [2432902008176640000]),
        ("average", ["1.5", "2.5"], [2.0]),
        ("hypotenuse", ["3", "4"], [5.0]),
        ("mix", ["1", "2", "0.5", "0.25"], [3.75]),
        ("counter", [], [1]),
    ],
)
def test_calc_exports_are_callable_with_typed_arguments(export, args, expected):
    result = run_sample("calc", invoke=export, invoke_args=args)
    assert result.error is None
    assert result.results == expected


def test_calc_divide_by_zero_traps():
    result = run_sample("calc", invoke="divide", invoke_args=["1", "0"])
    assert result.trap is not None and result.trap.code == "integer_division_by_zero"
    assert result.trap.frames[0].func_name == "divide"


def test_calc_counter_counts_across_calls_on_one_instance():
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module.from_file(engine, str(get_sample("calc").wasm_path))
    counter = wasmtime.Instance(store, module, []).exports(store)["counter"]
    assert [counter(store) for _ in range(3)] == [1, 2, 3]


def test_hello_component_exports_wasi_cli_run_and_returns_ok():
    from wasmtime import component

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    linker = component.Linker(engine)
    linker.add_wasip2()
    store.set_wasi(wasmtime.WasiConfig())
    comp = component.Component.from_file(engine, str(get_sample("hello-component").wasm_path))
    instance = linker.instantiate(store, comp)
    interface = instance.get_export_index(store, "wasi:cli/run@0.2.0")
    assert interface is not None
    run_func = instance.get_func(store, instance.get_export_index(store, "run", interface))
    outcome = run_func(store)
    assert getattr(outcome, "tag", None) == "ok"


def test_hello_component_prints_through_the_runner():
    result = run_sample("hello-component")
    assert result.error is None and result.trap is None
    assert result.stdout == "Hello from a WASI 0.2 component!\n"


def test_wc_reads_nothing_when_no_stdin_is_granted():
    result = run_sample("wc", stdin=Stdin())
    assert result.stdout == "lines 0\nwords 0\nbytes 0\n"


def test_wc_reads_a_stdin_file_past_one_buffer(tmp_path):
    text = "one two\n" * 1000
    (tmp_path / "input.txt").write_text(text)
    result = run_sample("wc", stdin=Stdin(kind="file", path=str(tmp_path / "input.txt")))
    assert result.stdout == f"lines 1000\nwords 2000\nbytes {len(text)}\n"


def test_random_reports_a_refused_random_get():
    trace = pytest.importorskip("wasi_playground.core.trace", reason="the capability lab has not landed")
    if not hasattr(trace, "TraceSession"):
        pytest.skip("the capability lab has not landed")
    result = run_sample("random", denied=["random"])
    assert result.stdout == "random_get failed: the host refused randomness\n"
    assert result.exit_code == 1


def test_random_gives_different_bytes_each_run():
    first, second = run_sample("random"), run_sample("random")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout.splitlines()[0] != second.stdout.splitlines()[0]
    dice = first.stdout.splitlines()[1].removeprefix("ten dice: ")
    assert len(dice) == 10 and set(dice) <= set("123456")


def test_clocks_sleep_is_measured():
    result = run_sample("clocks")
    slept = float(result.stdout.splitlines()[-1].split("slept ")[1].removesuffix(" ms"))
    assert 45.0 <= slept < 5000.0


@pytest.mark.parametrize(
    ("name", "capability"),
    [
        ("cat", "filesystem"),
        ("env", "environment"),
        ("args", "args"),
        ("random", "random"),
        ("clocks", "clocks"),
        ("spin", "stdio"),
    ],
)
def test_each_sample_asks_for_the_capability_it_teaches(name, capability):
    from wasi_playground.core.inspect.report import inspect_path

    report = inspect_path(get_sample(name).wasm_path).to_json_dict()
    assert report["runnable"]["ok"], report["runnable"]
    assert capability in report["wasi"]["capabilities"]
    if name != "random":
        assert "random" not in report["wasi"]["capabilities"]


def test_calc_imports_nothing_and_the_component_exports_wasi_cli_run():
    from wasi_playground.core.inspect.report import inspect_path

    calc = inspect_path(get_sample("calc").wasm_path).to_json_dict()
    assert calc["imports"] == [] and calc["runnable"]["ok"]
    assert {e["name"] for e in calc["exports"]} >= {"add", "factorial", "average", "hypotenuse", "counter"}
    component = inspect_path(get_sample("hello-component").wasm_path).to_json_dict()
    assert component["kind"] == "component"
    assert any(e["name"].startswith("wasi:cli/run@0.2") for e in component["exports"])


def test_the_command_line_runs_a_sample_with_its_preopen(tmp_path):
    import subprocess
    import sys

    cat = get_sample("cat")
    data = cat.config.preopens[0].host
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wasi_playground",
            "run",
            "--dir-ro",
            f"{data}::/data",
            str(cat.wasm_path),
            "--",
            "/data/poem.txt",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == cat.expect["stdout"]


def test_wagi_sample_answers_a_real_request_through_the_http_command(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wasi_playground",
            "http",
            str(get_sample("wagi").wasm_path),
            "-X",
            "PATCH",
            "--path",
            "/things/1?full=yes",
            "-H",
            "X-Trace: 42",
            "-d",
            "new name",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    head, _, body = done.stdout.partition("\n\n")
    assert head.startswith("HTTP/1.1 200")
    assert "X-Handled-By: wagi sample" in head
    assert body.splitlines()[:3] == ["method: PATCH", "path: /things/1", "query: full=yes"]
    assert "header: X_TRACE=42" in body.splitlines()
    assert body.endswith("body: new name\nbody length: 8\n")


def test_a_sample_opened_by_path_is_recognised_and_nothing_else_is(tmp_path) -> None:
    from wasi_playground.core.samples import get_sample, sample_at

    cat = get_sample("cat")
    found = sample_at(cat.wasm_path)
    assert found is not None and found.name == "cat" and found.config.preopens
    copy = tmp_path / "cat" / "cat.wasm"
    copy.parent.mkdir()
    copy.write_bytes(cat.wasm_path.read_bytes())
    assert sample_at(copy) is None


def test_a_copy_of_the_samples_folder_is_recognised_only_with_the_same_module(tmp_path) -> None:
    """The README's quick start opens the repository's copy of a sample, not the installed one."""
    import shutil

    from wasi_playground.core.samples import get_sample, sample_at

    cat = get_sample("cat")
    copy = tmp_path / "samples" / "cat"
    shutil.copytree(cat.wasm_path.parent, copy)
    found = sample_at(copy / "cat.wasm")
    assert found is not None and found.name == "cat" and found.config.preopens
    (copy / "cat.wasm").write_bytes(cat.wasm_path.read_bytes() + b"\0")
    assert sample_at(copy / "cat.wasm") is None
