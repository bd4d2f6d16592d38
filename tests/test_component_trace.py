"""Tracing WASI 0.2 components: every WASI call recorded with decoded values, output unchanged.

Runs go through the real runner (`core.run.runner.run`), which picks `ComponentTraceSession` for a
component whose configuration asks for tracing or denies a capability group.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from test_component_trace_programs import clock_loop, probe
from wasi_playground.core.engine.config import Preopen, RunConfig, Stdin
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.run.runner import run
from wasi_playground.core.samples import samples_root
from wasi_playground.core.trace.component import ComponentTraceEvent, ComponentTraceSession
from wasi_playground.core.trace.jsonl import JsonLinesWriter

HELLO = samples_root() / "hello-component" / "hello-component.wasm"
TYPED = samples_root() / "typed-component" / "typed-component.wasm"


class Events:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def on_trace(self, event: Any) -> None:
        self.events.append(event)


def run_component(data: bytes, config: RunConfig, traced: bool = True
                  ) -> tuple[RunResult, list[ComponentTraceEvent]]:
    """A run of `data` with `config`, traced (`config.trace` set) or not (`trace` and `denied` cleared)."""
    sink = Events()
    if traced:
        config = dataclasses.replace(config, trace=True)
    else:
        config = dataclasses.replace(config, trace=False, denied=[])
    result = run(data, config, sink)
    assert result.error is None, result.error
    return result, sink.events


@pytest.fixture(scope="module")
def probe3() -> bytes:
    return probe(3)


@pytest.fixture(scope="module")
def probe_ok() -> bytes:
    return probe()


def probe_config(tmp_path: Path, **changes) -> RunConfig:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    config = RunConfig(env=[("A", "1"), ("B", "two")], preopens=[Preopen(str(data), "/data")],
                       stdin=Stdin("text", "hi there\n"))
    for name, value in changes.items():
        setattr(config, name, value)
    return config


def test_hello_component_traced_output_unchanged() -> None:
    data = HELLO.read_bytes()
    plain, _ = run_component(data, RunConfig(), traced=False)
    traced, events = run_component(data, RunConfig())
    assert traced.stdout == plain.stdout == "Hello from a WASI 0.2 component!\n"
    assert traced.exit_code == plain.exit_code == 0
    funcs = [e.func for e in events]
    assert "wasi:cli/stdout@0.2.12#get-stdout" in funcs
    writes = [e for e in events if e.func.endswith("[method]output-stream.blocking-write-and-flush")]
    assert writes and writes[0].bytes_moved == len("Hello from a WASI 0.2 component!")
    assert writes[0].args[0][1].startswith("output-stream#")
    assert writes[0].result == "ok" and writes[0].group == "stdio"
    assert traced.trace_calls == len(events) and [e.seq for e in events] == list(range(1, len(events) + 1))


def test_probe_traced_and_untraced_agree(tmp_path: Path, probe3: bytes) -> None:
    config = probe_config(tmp_path)
    plain, _ = run_component(probe3, config, traced=False)
    (tmp_path / "data" / "out.txt").unlink()
    traced, events = run_component(probe3, config)
    assert plain.stdout == traced.stdout
    assert "A=1\nB=two\nrandom ok\nclock ok\nfile ok\nstdin:hi there\n" == traced.stdout
    assert plain.exit_code == traced.exit_code == 3
    assert (tmp_path / "data" / "out.txt").read_text() == "written by probe\n"
    assert traced.fs_changes and traced.fs_changes[0]["path"] == "/data/out.txt"
    by_name = {e.call.name: e for e in events}
    assert by_name["get-environment"].result == '[("A", "1"), ("B", "two")]'
    assert by_name["get-environment"].group == "environment"
    assert by_name["get-random-bytes"].args == [("len", "8")]
    assert by_name["get-random-bytes"].bytes_moved == 8
    assert by_name["now"].result.startswith("{seconds: ") and by_name["now"].group == "clocks"
    open_at = by_name["[method]descriptor.open-at"]
    assert open_at.func == "wasi:filesystem/types@0.2.0#[method]descriptor.open-at"
    assert dict(open_at.args)["path"] == '"out.txt"'
    assert dict(open_at.args)["open-flags"] == "{create, truncate}"
    assert open_at.result.startswith("ok(descriptor#") and open_at.errno == 0
    assert by_name["blocking-read" if False else "[method]input-stream.blocking-read"].bytes_moved == 9
    exit_event = by_name["exit-with-code"]
    assert exit_event.args == [("status-code", "3")] and exit_event.result == "never returned"
    assert any("never blocked" in line for line in traced.explanations)


def test_error_code_named(tmp_path: Path, probe_ok: bytes) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "out.txt").mkdir()  # opening a directory for writing fails
    config = probe_config(tmp_path)
    plain, _ = run_component(probe_ok, config, traced=False)
    traced, events = run_component(probe_ok, config)
    assert plain.stdout == traced.stdout and "file error " in traced.stdout
    open_at = next(e for e in events if e.call.name == "[method]descriptor.open-at")
    assert open_at.error == "is-directory" and open_at.errno > 0
    assert open_at.result == "err(is-directory)"
    assert any("failed with is-directory" in line for line in traced.explanations)
    line = json.loads(_jsonl(open_at))
    assert line["errno"] == "is-directory" and line["result"] == "err(is-directory)"
    assert line["func"] == "wasi:filesystem/types@0.2.0#[method]descriptor.open-at"


def _jsonl(event: ComponentTraceEvent) -> str:
    import io

    stream = io.StringIO()
    JsonLinesWriter(stream).write(event)
    return stream.getvalue()


def test_no_preopen_explained(probe_ok: bytes) -> None:
    result, events = run_component(probe_ok, RunConfig())
    assert "no dirs" in result.stdout
    assert any("no preopened directory" in line for line in result.explanations)
    assert next(e for e in events if e.call.name == "get-directories").result == "[]"


def test_component_without_wasi_imports_runs_untraced() -> None:
    session = ComponentTraceSession(RunConfig(), lambda e: None)
    assert session.prepare(TYPED.read_bytes()) == TYPED.read_bytes()
    result = RunResult()
    session.finish(result)
    assert any("nothing to trace" in n for n in result.notes) and result.trace_calls is None


def test_interposer_is_cached(probe_ok: bytes) -> None:
    first = ComponentTraceSession(RunConfig(), lambda e: None).prepare(probe_ok)
    again = ComponentTraceSession(RunConfig(), lambda e: None).prepare(probe_ok)
    assert first == again and first != probe_ok and probe_ok in first


def test_many_calls_all_recorded() -> None:
    data = clock_loop(1000)
    result, events = run_component(data, RunConfig())
    assert result.stdout == "done\n"
    assert sum(e.func == "wasi:clocks/monotonic-clock@0.2.0#now" for e in events) == 1000


def test_denied_environment_random_clocks_answer_empty(tmp_path: Path, probe3: bytes) -> None:
    config = probe_config(tmp_path, denied=["environment", "random", "clocks"])
    result, events = run_component(probe3, config)
    assert result.stdout == "random empty\nclock zero\nfile ok\nstdin:hi there\n"
    assert result.exit_code == 3
    denied = {e.call.name: e for e in events if e.denied}
    assert set(denied) == {"get-environment", "get-random-bytes", "now"}
    assert denied["get-environment"].result == "[]"
    assert denied["now"].result == "{seconds: 0, nanoseconds: 0}"
    assert any("get-environment denied: environment switched off" in line and "empty value" in line
               for line in result.explanations)


def test_denied_filesystem_hides_preopens(tmp_path: Path, probe3: bytes) -> None:
    result, events = run_component(probe3, probe_config(tmp_path, denied=["filesystem"]))
    assert "no dirs\n" in result.stdout and "A=1\n" in result.stdout
    assert not (tmp_path / "data" / "out.txt").exists()
    assert next(e for e in events if e.call.name == "get-directories").denied
    assert not result.fs_changes


def test_denied_stdio_closes_streams(tmp_path: Path, probe3: bytes) -> None:
    result, events = run_component(probe3, probe_config(tmp_path, denied=["stdio"]))
    assert result.stdout == "" and result.exit_code == 3
    writes = [e for e in events if e.call.name == "[method]output-stream.blocking-write-and-flush"]
    assert writes and all(e.denied and e.result == "err(closed)" and e.error == "closed" for e in writes)
    assert (tmp_path / "data" / "out.txt").read_text() == ""  # the file's stream is refused too
    read = next(e for e in events if e.call.name == "[method]input-stream.blocking-read")
    assert read.denied and read.result == "err(closed)"
    assert any("get-stdout ran although stdio is switched off" in line for line in result.explanations)


def test_exit_is_never_blocked(tmp_path: Path, probe3: bytes) -> None:
    result, events = run_component(probe3, probe_config(tmp_path, denied=["process"]))
    assert result.exit_code == 3
    assert not any(e.denied for e in events)


def test_denial_of_an_error_code_function_is_access() -> None:
    from wasi_playground.core.trace.component.assemble import _plan
    from wasi_playground.core.trace.component.plan import denial_bytes

    plan = _plan(probe(3))
    open_at = next(f for f in plan.funcs if f.name == "[method]descriptor.open-at")
    assert open_at.deny == "error access" and open_at.group == "filesystem"
    assert denial_bytes(open_at) == bytes([1, 0, 0, 0, 0, 0, 0, 0])  # err, then error-code 0 = access
    exit_func = next(f for f in plan.funcs if f.name == "exit-with-code")
    assert exit_func.deny == ""


def test_borrowed_handles_in_a_list_are_dropped() -> None:
    from test_component_trace_programs import poller

    data = poller()
    plain, _ = run_component(data, RunConfig(), traced=False)
    traced, events = run_component(data, RunConfig())
    assert plain.stdout == traced.stdout == "polled\n"
    poll = next(e for e in events if e.call.name == "poll")
    assert poll.func == "wasi:io/poll@0.2.0#poll"
    assert poll.args[0][1].startswith("[pollable#") and poll.result == "[0]"


def test_unforwardable_import_runs_untraced_with_a_reason() -> None:
    from test_component_trace_programs import future_wasi

    data = future_wasi()
    session = ComponentTraceSession(RunConfig(), lambda e: None)
    assert session.prepare(data) == data
    result = RunResult()
    session.finish(result)
    assert any("wasi:cli/environment@0.3.0" in n and "runs untraced" in n and "version" in n
               for n in result.notes)


def test_malformed_component_is_left_to_the_runner_with_a_note() -> None:
    data = b"\0asm\x0d\x00\x01\x00\x07\x05garbage"
    session = ComponentTraceSession(RunConfig(), lambda e: None)
    assert session.prepare(data) == data
    result = RunResult()
    session.finish(result)
    assert any("runs untraced" in n and "offset" in n for n in result.notes), result.notes


def test_trace_lines_decode_every_call(tmp_path: Path, probe3: bytes) -> None:
    _, events = run_component(probe3, probe_config(tmp_path))
    lines = [json.loads(_jsonl(e)) for e in events]
    assert [line["seq"] for line in lines] == list(range(1, len(lines) + 1))
    assert all(line["func"].startswith("wasi:") and line["group"] for line in lines)
    assert all(line["duration_ns"] >= 0 for line in lines)
    write = next(line for line in lines if line["func"].endswith("blocking-write-and-flush"))
    assert write["args"] == {"self": write["args"]["self"], "contents": "<1 byte: 'A'>"}
    assert write["args"]["self"].startswith("output-stream#") and write["bytes"] == 1
    assert write["result"] == "ok" and write["errno"] is None and write["denied"] is False


def test_sockets_types_used_from_another_interface_and_denial() -> None:
    from test_component_trace_programs import udp

    data = udp()
    plain, _ = run_component(data, RunConfig(), traced=False)
    traced, events = run_component(data, RunConfig())
    assert plain.stdout == traced.stdout == "create failed\n"  # wasmtime grants no network by default
    create = next(e for e in events if e.call.name == "create-udp-socket")
    assert create.group == "sockets" and create.args == [("address-family", "ipv4")]
    assert create.result == "err(access-denied)" and not create.denied
    denied, events = run_component(data, RunConfig(denied=["sockets"]))
    create = next(e for e in events if e.call.name == "create-udp-socket")
    assert create.denied and create.result == "err(access-denied)"
    assert any("create-udp-socket denied: sockets switched off" in line for line in denied.explanations)


def test_interposer_that_does_not_compile_leaves_the_run_untraced() -> None:
    from test_component_trace_programs import with_record_export

    data = with_record_export()
    session = ComponentTraceSession(RunConfig(), lambda e: None)
    assert session.prepare(data) == data
    assert any("runs untraced" in n and "interposer does not compile" in n for n in session.notes)
    assert run_component(data, RunConfig())[0].stdout == "done\n"


def test_large_data_is_sent_once_and_not_kept(tmp_path: Path) -> None:
    from test_component_trace_programs import cat
    from wasi_playground.core.trace.component import session as session_module

    data = cat()
    text = "".join(f"line {i:07d} of a long input\n" for i in range(200_000))  # about 6 MB
    stdin = tmp_path / "in.txt"
    stdin.write_text(text)
    config = RunConfig(stdin=Stdin("file", path=str(stdin)))
    plain, _ = run_component(data, config, traced=False)
    sent: list[int] = []
    flush = session_module.ComponentTraceSession._flush

    def counting(self, store, records, memory, start):  # type: ignore[no-untyped-def]
        sent.append(len(memory))
        flush(self, store, records, memory, start)

    session_module.ComponentTraceSession._flush = counting  # type: ignore[method-assign]
    try:
        traced, events = run_component(data, config)
    finally:
        session_module.ComponentTraceSession._flush = flush  # type: ignore[method-assign]
    assert traced.stdout_bytes == plain.stdout_bytes == len(text)  # the result keeps only a tail
    assert traced.stdout == plain.stdout and text.endswith(traced.stdout)
    reads = [e for e in events if e.call.name == "[method]input-stream.blocking-read"]
    assert sum(e.bytes_moved or 0 for e in reads) == len(text)
    assert reads[-1].result == "err(closed)"
    assert sum(sent) < 3 * len(text)  # each byte crosses twice (read, then written), not once per flush
    kept = [e.seq for e in reads if (e.bytes_moved or 0) >= 1024 and e.decoded is None]
    assert not kept, kept  # only previews are kept
    assert reads[0].args_text().startswith("self=input-stream#") and reads[0].bytes_moved == 4096


def test_fuel_note_when_a_traced_component_runs_with_a_fuel_limit(probe_ok: bytes) -> None:
    from wasi_playground.core.engine.config import Limits

    result, events = run_component(probe_ok, RunConfig(limits=Limits(fuel=50_000_000)))
    assert events and result.fuel_consumed
    assert any("interposer's own instructions" in n for n in result.notes)


def test_a_traced_component_stops_on_time_and_says_what_is_missing() -> None:
    from wasi_playground.core.engine.config import Limits

    result, events = run_component(clock_loop(2_000_000_000), RunConfig(limits=Limits(timeout_s=0.5)))
    assert result.timed_out and result.trace_calls == len(events) > 0
    assert any("last unfinished batch" in n for n in result.notes)
