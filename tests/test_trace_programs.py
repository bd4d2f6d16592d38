"""Tracing real C programs built with zig: decoded arguments, identical behaviour, filesystem effects."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from wasi_playground.core.engine.config import Preopen, RunConfig
from wasi_playground.core.run.runner import run
from wasi_playground.core.trace import TraceEvent

SYSCALLS_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d first=%s\n", argc, argc > 1 ? argv[1] : "-");
    printf("GREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(none)");
    struct timespec ts;
    int clock_ok = clock_gettime(CLOCK_MONOTONIC, &ts) == 0;
    unsigned char buf[16];
    int random_ok = getentropy(buf, sizeof buf) == 0;
    printf("clock=%d random=%d\n", clock_ok, random_ok);
    char text[256] = {0};
    int fd = open("/data/notes.txt", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, text, sizeof text - 1);
        close(fd);
        printf("read %d bytes: %s", (int)n, text);
    } else {
        printf("cannot open notes.txt\n");
    }
    FILE *out = fopen("/data/out.txt", "w");
    if (out) { fputs("made by the module\n", out); fclose(out); }
    FILE *log = fopen("/data/log.txt", "a");
    if (log) { fputs("second line\n", log); fclose(log); }
    if (unlink("/data/old.txt") != 0) printf("cannot delete old.txt\n");
    FILE *secret = fopen("secret.txt", "r");
    printf("secret=%s\n", secret ? "open" : "refused");
    fflush(stdout);
    return out ? 0 : 5;
}
"""


@pytest.fixture(scope="module")
def syscalls_wasm(zig_cc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("trace-src") / "syscalls.c"
    src.write_text(SYSCALLS_C)
    return zig_cc(src)


def _data_dir(tmp_path: Path, name: str = "data") -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "notes.txt").write_text("hello notes\n")
    (d / "log.txt").write_text("first line\n")
    (d / "old.txt").write_text("to be deleted\n")
    return d


def _config(data: Path | None, **kw) -> RunConfig:
    return RunConfig(args=["one", "two"], env=[("GREETING", "hi")],
                     preopens=[Preopen(str(data), "/data")] if data else [], **kw)


class Collect:
    def __init__(self) -> None:
        self.events: list[TraceEvent] = []

    def on_trace(self, event: TraceEvent) -> None:
        self.events.append(event)


def _calls(events: list[TraceEvent], func: str) -> list[TraceEvent]:
    return [e for e in events if e.func == func]


def test_traced_and_untraced_runs_are_identical(syscalls_wasm: Path, tmp_path: Path) -> None:
    plain = run(syscalls_wasm, _config(_data_dir(tmp_path, "a")))
    sink = Collect()
    traced = run(syscalls_wasm, _config(_data_dir(tmp_path, "b"), trace=True), sink)
    assert plain.error is None and traced.error is None
    assert (traced.stdout, traced.stderr, traced.exit_code) == (plain.stdout, plain.stderr, plain.exit_code)
    assert "read 12 bytes: hello notes" in traced.stdout and traced.exit_code == 0
    assert (tmp_path / "a" / "out.txt").read_text() == (tmp_path / "b" / "out.txt").read_text()
    assert traced.trace_calls == len(sink.events) > 10
    assert [e.seq for e in sink.events] == list(range(1, len(sink.events) + 1))


def test_decoded_arguments(syscalls_wasm: Path, tmp_path: Path) -> None:
    sink = Collect()
    result = run(syscalls_wasm, _config(_data_dir(tmp_path), trace=True), sink)
    ev = sink.events
    opens = {e.paths[0]: e for e in _calls(ev, "path_open")}
    notes = opens["notes.txt"]
    args = dict(notes.args)
    assert args["fd"] == '3 (preopen "/data")' and args["path"] == '"notes.txt"'
    assert notes.result == "ESUCCESS" and notes.out_value is not None
    assert dict(opens["out.txt"].args)["oflags"] == "CREAT|TRUNC"
    assert "APPEND" in dict(opens["log.txt"].args)["fdflags"]
    reads = [e for e in _calls(ev, "fd_read") if e.fds["fd"] == 'file "notes.txt"']
    assert reads and reads[0].bytes_moved == 12 and reads[0].group == "filesystem"
    assert reads[0].requested_bytes is not None and reads[0].requested_bytes >= 12
    writes = [e for e in _calls(ev, "fd_write") if e.raw_args[0] == 1]
    assert dict(writes[0].args)["fd"] == "1 (stdout)" and writes[0].group == "stdio"
    assert sum(e.bytes_moved or 0 for e in writes) == len(result.stdout.encode())
    closes = _calls(ev, "fd_close")
    assert any(e.fds["fd"] == 'file "notes.txt"' for e in closes)
    clocks = _calls(ev, "clock_time_get")
    assert any(dict(e.args)["id"] == "MONOTONIC" for e in clocks)
    (rnd,) = _calls(ev, "random_get")
    assert dict(rnd.args)["buf"] == "16 bytes" and rnd.bytes_moved == 16
    assert _calls(ev, "args_get") and _calls(ev, "args_sizes_get")[0].out_value == 3
    assert _calls(ev, "environ_get") and _calls(ev, "environ_sizes_get")[0].out_value == 1
    unlink = _calls(ev, "path_unlink_file")[0]
    assert unlink.paths == ("old.txt",) and unlink.result == "ESUCCESS"
    assert all(e.duration_ns >= 0 for e in ev) and any(e.duration_ns > 0 for e in ev)
    line = json.loads(json.dumps(notes.to_json_dict()))
    assert line["func"] == "path_open" and line["args"]["path"] == '"notes.txt"'
    assert line["result"] == "ESUCCESS"


def test_filesystem_changes_are_listed(syscalls_wasm: Path, tmp_path: Path) -> None:
    result = run(syscalls_wasm, _config(_data_dir(tmp_path), trace=True))
    changes = {c["path"]: c for c in result.fs_changes or []}
    assert changes["/data/out.txt"]["change"] == "created"
    assert changes["/data/out.txt"]["size_after"] == len("made by the module\n")
    assert changes["/data/log.txt"]["change"] == "changed"
    assert "+second line" in changes["/data/log.txt"]["diff"]
    assert changes["/data/old.txt"]["change"] == "deleted"
    assert "/data/notes.txt" not in changes


def test_no_preopen_explains_ebadf(syscalls_wasm: Path) -> None:
    sink = Collect()
    result = run(syscalls_wasm, _config(None, trace=True), sink)
    assert "cannot open notes.txt" in result.stdout
    probes = _calls(sink.events, "fd_prestat_get")
    assert probes and probes[0].raw_args[0] == 3 and probes[0].result == "EBADF"
    assert not _calls(sink.events, "path_open")
    assert any("no preopened directory; add one in Directories" in x for x in result.explanations), (
        result.explanations
    )


@pytest.mark.parametrize(
    "group, func",
    [
        ("filesystem", "fd_prestat_get"),
        ("clocks", "clock_time_get"),
        ("random", "random_get"),
        ("args", "args_sizes_get"),
        ("environment", "environ_sizes_get"),
        ("stdio", "fd_write"),
    ],
)
def test_denied_group_returns_enotcapable(syscalls_wasm: Path, tmp_path: Path, group: str, func: str) -> None:
    sink = Collect()
    result = run(syscalls_wasm, _config(_data_dir(tmp_path), trace=True, denied=[group]), sink)
    denied = [e for e in sink.events if e.denied]
    assert denied and all(e.result == "ENOTCAPABLE" for e in denied)
    assert func in {e.func for e in denied}
    assert all(e.group == group for e in denied)
    assert any(f"{group} switched off" in x for x in result.explanations), result.explanations
    allowed_groups = {e.group for e in sink.events if not e.denied}
    assert group not in allowed_groups or group == "stdio"
    if group == "stdio":
        assert result.stdout == ""
    if group == "filesystem":
        assert result.exit_code == 71 and any("exit code 71" in x for x in result.explanations)
        assert not (tmp_path / "data" / "out.txt").exists()


def test_denial_without_trace_still_applies(syscalls_wasm: Path, tmp_path: Path) -> None:
    result = run(syscalls_wasm, _config(_data_dir(tmp_path), denied=["environment"]))
    assert result.stdout == "argc=3 first=one\n" and result.exit_code == 71
    assert any("environment switched off" in x for x in result.explanations)


def test_cli_trace_writes_json_lines(syscalls_wasm: Path, tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    trace = tmp_path / "trace.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "wasi_playground",
            "run",
            "--dir",
            f"{data}::/data",
            "--trace",
            str(trace),
            str(syscalls_wasm),
            "--",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert lines and lines[0]["seq"] == 1
    assert any(x["func"] == "path_open" and x["args"]["path"] == '"notes.txt"' for x in lines)


def test_samples_traced_match_untraced(tmp_path: Path) -> None:
    from wasi_playground.core.samples import list_samples

    checked = 0
    for sample in list_samples():
        if (
            sample.name in ("spin", "flood", "clocks", "random")
            or "component" in sample.name
            or sample.config.invoke
        ):
            continue
        config = sample.config
        plain = run(sample.wasm_path, config)
        traced = run(sample.wasm_path, replace(config, trace=True))
        assert (traced.stdout, traced.exit_code, traced.error) == (
            plain.stdout,
            plain.exit_code,
            plain.error,
        ), sample.name
        assert (traced.trap is None) == (plain.trap is None), sample.name
        checked += 1
    assert checked >= 6
    shutil.rmtree(tmp_path, ignore_errors=True)
