"""The server's executor: compile each route's module once, then a fresh instance per request.

Compilation goes through the engine's on-disk cache (`core.engine.engines.load_module`) once per module
file (WAT assembled first); the imports are resolved once into a wasmtime `InstancePre`; a request then
costs a `Sandbox` (store, WASI configuration, interrupter), an instantiation and the call. Every request
gets its own store, so no state leaks from one request to the next, and a timeout stops that request only.
"""

from __future__ import annotations

import tempfile
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import wasmtime

from wasi_playground.core.engine.config import ConfigError, Limits, RunConfig
from wasi_playground.core.engine.engines import get_engine, load_module
from wasi_playground.core.engine.outcome import compile_error
from wasi_playground.core.engine.result import RunResult
from wasi_playground.core.engine.sandbox import Outputs, Sandbox, prelink
from wasi_playground.core.engine.source import read_source
from wasi_playground.core.wagi.environment import ServerInfo
from wasi_playground.core.wagi.exchange import (
    CaptureSink,
    WagiExchange,
    exchange_for_run,
    prepare_request_run,
)
from wasi_playground.core.wagi.request import HttpRequest
from wasi_playground.core.wagi.response import gateway_error
from wasi_playground.core.wagi.routes import RouteMatch, RouteTable


@dataclass
class CompiledHandler:
    engine: wasmtime.Engine
    module: wasmtime.Module
    pre: wasmtime.InstancePre
    name: str


def compile_handler(path: Path, fuel: bool) -> CompiledHandler:
    """Compile (through the cache) and link once; ConfigError says why a module cannot be a handler."""
    engine = get_engine(fuel=fuel)
    source = read_source(path)
    if source.kind != "module":
        raise ConfigError(f"{source.name} is a component: a WAGI handler is a WASI preview-1 module")
    try:
        module, _hit = load_module(engine, source.data)
    except wasmtime.WasmtimeError as e:
        raise ConfigError(compile_error(source.name, e)) from None
    return CompiledHandler(engine=engine, module=module, pre=prelink(engine, module, source.name),
                           name=source.name)


class PrecompiledExecutor:
    def __init__(self, table: RouteTable) -> None:
        self._compiled: dict[tuple[Path, bool], CompiledHandler] = {}
        self._lock = threading.Lock()
        for route in table.routes:
            self.handler_for(route.module, route.run_config().limits)

    def handler_for(self, path: Path, limits: Limits) -> CompiledHandler:
        key = (path, limits.fuel is not None)
        with self._lock:
            handler = self._compiled.get(key)
            if handler is None:
                handler = self._compiled[key] = compile_handler(path, fuel=key[1])
            return handler

    def execute(self, match: RouteMatch, request: HttpRequest, server: ServerInfo) -> WagiExchange:
        started = time.perf_counter()
        capture = CaptureSink()
        # A scratch folder only when there is a body to hand over: most requests need none.
        scratch = tempfile.TemporaryDirectory(prefix="wagi-request-") if request.body else None
        with scratch if scratch is not None else nullcontext(tempfile.gettempdir()) as tmp:
            try:
                config = prepare_request_run(match, request, server, Path(tmp))
                handler = self.handler_for(match.route.module, config.limits)
                result = run_instance(handler, config, capture, tmp)
            except (ConfigError, OSError) as e:
                return WagiExchange(
                    request=request,
                    route=match.route.route,
                    response=gateway_error(500, f"the request could not be run: {e}"),
                )
        return exchange_for_run(match, request, config, result, capture, started)

    def close(self) -> None:
        with self._lock:
            self._compiled.clear()


def run_instance(
    handler: CompiledHandler, config: RunConfig, capture: CaptureSink, scratch: str
) -> RunResult:
    """One fresh instance of a precompiled handler, run to its end, a trap, or its timeout."""
    result = RunResult()
    t0 = time.perf_counter()
    outputs = Outputs(capture.on_stdout, capture.on_stderr)
    sandbox = Sandbox(handler.engine, config, "module", outputs, scratch, handler.name, interruptible=True)
    t1 = t2 = time.perf_counter()
    try:
        instance = sandbox.instantiate(handler.pre)
        t2 = time.perf_counter()
        entry = instance.exports(sandbox.store).get(config.invoke or "_start")
        if not isinstance(entry, wasmtime.Func):
            result.error = f"{handler.name} exports no function {config.invoke or '_start'!r} to call"
        else:
            entry(sandbox.store)
            result.exit_code = 0
    except (wasmtime.ExitTrap, wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sandbox.classify(e, result)
    finally:
        sandbox.detach()
        t3 = time.perf_counter()
    if config.limits.fuel is not None:
        result.fuel_consumed = sandbox.fuel_consumed(config.limits.fuel)
    sandbox.close()
    result.timings_ms = {
        "read": 0.0,
        "compile": 0.0,
        "instantiate": (t2 - t1) * 1000,
        "run": (t3 - t2) * 1000,
        "total": (t3 - t0) * 1000,
    }
    return result
