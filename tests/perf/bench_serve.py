"""Load benchmark of `wasi-playground serve` with wrk on loopback, plus the per-request instantiation cost.

Run: python tests/perf/bench_serve.py   (installs Debian's wrk with apt-get when it is missing)

Prints requests/s, p50/p99 latency and errors at 1 and 16 connections, the server's RSS over at least
10,000 requests, and what one fresh instance per request costs against a bare wasmtime-py instantiate of
the same module (the baseline, measured in the same run). Loopback only; every step is bounded in time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import wasmtime

HANDLER_WAT = r"""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nhello from a WAGI handler\n")
  (func (export "_start")
    (drop (call $env_sizes (i32.const 16) (i32.const 20)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 52))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""
WRK_SECONDS = 5
RSS_REQUESTS = 10_000
RSS_BUDGET_S = 180


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get install -y wrk)...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL, timeout=300)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not available and could not be installed")
    return found


def start_server(module: Path) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "wasi_playground", "serve", str(module), "--listen", "127.0.0.1:0",
           "--quiet", "--concurrency", "8"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline() if proc.stderr else ""
        if not line:
            break
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return proc, found.group(0)
    proc.kill()
    sys.exit("the server did not start")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk: str, url: str, connections: int, seconds: int) -> dict[str, float]:
    threads = min(connections, 2)
    out = subprocess.run([wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "--timeout", "10s", url], capture_output=True, text=True,
                         timeout=seconds + 30).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))

    def pct(key: str) -> float:
        m = re.fullmatch(r"([\d.]+)(us|ms|s)", latency.get(key, "0ms"))
        return _ms(m.group(1), m.group(2)) if m else float("nan")

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": pct("50"),
        "p99": pct("99"),
        "requests": requests,
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


def instantiation_costs(module_path: Path, rounds: int = 2000) -> dict[str, float]:
    """Microseconds per instance: bare wasmtime-py (baseline) vs the server's precompiled path."""
    from wasi_playground.core.wagi.environment import ServerInfo
    from wasi_playground.core.wagi.precompiled import PrecompiledExecutor
    from wasi_playground.core.wagi.request import HttpRequest
    from wasi_playground.core.wagi.routes import RouteTable

    engine = wasmtime.Engine()
    module = wasmtime.Module(engine, module_path.read_bytes())
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    def bare() -> None:
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        linker.instantiate(store, module)

    def timed(fn, n: int) -> float:
        for _ in range(50):
            fn()
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
        return statistics.median(samples) * 1e6

    bare_us = timed(bare, rounds)
    table = RouteTable.single(module_path)
    executor = PrecompiledExecutor(table)
    match = table.match("/")
    server = ServerInfo()
    instantiate_ms: list[float] = []
    total_ms: list[float] = []

    def ours() -> None:
        exchange = executor.execute(match, HttpRequest.from_target("/?a=1"), server)
        assert exchange.response.status == 200, exchange.response.problem
        instantiate_ms.append(exchange.result.timings_ms["instantiate"])
        total_ms.append(exchange.elapsed_ms)

    timed(ours, rounds)
    return {
        "bare_us": bare_us,
        "pre_instantiate_us": statistics.median(instantiate_ms) * 1000,
        "request_us": statistics.median(total_ms) * 1000,
    }


def main() -> int:
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        os.environ.setdefault("WASI_PLAYGROUND_CACHE_DIR", str(Path(tmp) / "cache"))
        module = Path(tmp) / "hello.wasm"
        module.write_bytes(wasmtime.wat2wasm(HANDLER_WAT))
        proc, url = start_server(module)
        try:
            server = psutil.Process(proc.pid)
            run_wrk(wrk, url, 4, 2)  # warm-up
            print(f"server {url} (pid {proc.pid}), wrk {WRK_SECONDS} s per run")
            for connections in (1, 16):
                r = run_wrk(wrk, url, connections, WRK_SECONDS)
                print(
                    f"  {connections:>2} connection(s): {r['rps']:8.1f} req/s  p50 {r['p50']:7.2f} ms  "
                    f"p99 {r['p99']:7.2f} ms  requests {r['requests']:6d}  errors {r['errors']}"
                )
            rss_start = server.memory_info().rss
            done, samples, started = 0, [], time.monotonic()
            while done < RSS_REQUESTS and time.monotonic() - started < RSS_BUDGET_S:
                done += run_wrk(wrk, url, 8, 3)["requests"]
                samples.append(server.memory_info().rss)
            rss_end = samples[-1]
            print(
                f"  RSS over {done} requests: start {rss_start / 2**20:.1f} MiB, "
                f"end {rss_end / 2**20:.1f} MiB "
                f"(max {max(samples) / 2**20:.1f} MiB, growth {(rss_end - rss_start) / 2**20:+.1f} MiB)"
            )
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        costs = instantiation_costs(module)
        print(f"instantiate, bare wasmtime-py (Linker.instantiate, baseline): {costs['bare_us']:8.1f} us")
        print(
            f"instantiate, server InstancePre on a fresh store:              "
            f"{costs['pre_instantiate_us']:8.1f} us "
            f"(x{costs['pre_instantiate_us'] / costs['bare_us']:.2f} of baseline)"
        )
        print(
            f"whole request in-process (env, WASI setup, instance, run, parse): "
            f"{costs['request_us']:8.1f} us "
            f"(x{costs['request_us'] / costs['bare_us']:.2f} of baseline)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
