"""Running a core module: its `_start`, or the export named by `invoke` with typed arguments.

Memory 0 and table 0 are exported for probing before compilation (`core.engine.limits`), which moves the
code section; trap offsets are shifted back so they point into the module the user gave.
"""

from __future__ import annotations

import tempfile

import wasmtime

from wasi_playground.core.binary.module_info import parse_module
from wasi_playground.core.binary.reader import WasmFormatError
from wasi_playground.core.engine.config import ConfigError, RunConfig
from wasi_playground.core.engine.engines import load_module
from wasi_playground.core.engine.invoke_args import parse_args, results_list
from wasi_playground.core.engine.limits import (
    add_probe_exports,
    describe_limits,
    probe_sizes,
    uses_table_grow,
)
from wasi_playground.core.engine.outcome import compile_error
from wasi_playground.core.engine.sandbox import Sandbox
from wasi_playground.core.engine.source import ModuleSource
from wasi_playground.core.engine.v128 import call_via_adapter
from wasi_playground.core.run.context import RunContext

EntryPoint = tuple[str, list[object], tuple[list[str], list[str]]]
MEMORY_EXPORTED_NOTE = ("the module does not export its memory; the playground exported it as \"memory\" "
                        "so WASI calls work (wasmtime run would refuse it)")


def run_module(ctx: RunContext, engine: wasmtime.Engine, source: ModuleSource) -> None:
    config, result = ctx.config, ctx.result
    data = ctx.interposer.prepare(source.data) if ctx.interposer is not None else source.data
    ctx.phase("compile")
    probed = add_probe_exports(data)
    shift = (probed.offset_shift, probed.shift_after)
    try:
        module, result.cache_hit = load_module(engine, probed.data, result.notes)
    except wasmtime.WasmtimeError as e:
        raise ConfigError(compile_error(source.name, e)) from None
    entry = entry_point(module, probed.data, config)
    if probed.memory_exported_for_wasi and any(i.module.startswith("wasi") for i in module.imports):
        result.notes.append(MEMORY_EXPORTED_NOTE)
    with tempfile.TemporaryDirectory(prefix="wasi-playground-run-") as scratch:
        sandbox = ctx.open_sandbox(engine, "module", scratch, source.name)
        instance = None
        try:
            if ctx.interposer is not None:
                ctx.interposer.link(engine, sandbox.store, sandbox.linker)
            ctx.phase("instantiate")
            try:
                instance = sandbox.instantiate(module)
            except (wasmtime.ExitTrap, wasmtime.Trap) as e:
                sandbox.classify(e, result, shift)
                return
            except wasmtime.WasmtimeError as e:
                if sandbox.stop_reason is None:
                    raise sandbox.link_error(e) from None
                sandbox.classify(e, result, shift)
                return
            ctx.phase("run")
            _call(ctx, sandbox, instance, entry, shift)
        finally:
            _measure(ctx, sandbox, instance, probed.data)
            if ctx.interposer is not None:
                ctx.interposer.finish(result)
            del instance
            sandbox.close()


def _call(ctx: RunContext, sandbox: Sandbox, instance: wasmtime.Instance, entry: EntryPoint,
          shift: tuple[int, int]) -> None:
    name, call_args, (params, results) = entry
    func = instance.exports(sandbox.store)[name]
    assert isinstance(func, wasmtime.Func)
    try:
        if ctx.config.invoke:
            values = call_via_adapter(sandbox.engine, sandbox.store, func, params, results, call_args)
            ctx.result.results = results_list(values, results)
        else:
            func(sandbox.store)
        ctx.result.exit_code = 0
    except (wasmtime.ExitTrap, wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sandbox.classify(e, ctx.result, shift)


def _measure(ctx: RunContext, sandbox: Sandbox, instance: wasmtime.Instance | None, data: bytes) -> None:
    """Fuel used, final memory size and which limit bit, read before the store goes."""
    result, limits = ctx.result, ctx.config.limits
    if limits.fuel is not None:
        result.fuel_consumed = sandbox.fuel_consumed(limits.fuel)
        if result.trap is not None and result.trap.code != "out_of_fuel":
            result.notes.append("fuel consumed may under-report after a trap (a known wasmtime limitation)")
    if instance is not None:
        memory_bytes, table_elements = probe_sizes(sandbox.store, instance)
        result.memory_bytes = memory_bytes
        if result.limit_message is None:
            table_grow = limits.max_table_elements is not None and uses_table_grow(data)
            result.limit_message = describe_limits(limits, memory_bytes, table_elements, table_grow)


def entry_point(module: wasmtime.Module, data: bytes, config: RunConfig) -> EntryPoint:
    """The export to call, its parsed arguments and its (params, results) type names."""
    exports = {e.name: e.type for e in module.exports}
    funcs = sorted(n for n, t in exports.items() if isinstance(t, wasmtime.FuncType))
    name = config.invoke
    if name is None:
        if config.invoke_args:
            raise ConfigError("typed arguments need --invoke NAME (they are for an exported function)")
        if "_start" not in exports:
            hint = f"; exported functions: {', '.join(funcs[:10])}" if funcs else ""
            raise ConfigError(f"the module has no _start (it is not a command); use --invoke NAME{hint}")
        return "_start", [], ([], [])
    functype = exports.get(name)
    if functype is None:
        hint = f"; it exports: {', '.join(funcs[:10])}" if funcs else ""
        raise ConfigError(f"the module exports no function named {name!r}{hint}")
    if not isinstance(functype, wasmtime.FuncType):
        raise ConfigError(f"export {name!r} is not a function")
    params, results = export_func_types(data, name)
    return name, parse_args(params, results, name, config.invoke_args), (params, results)


def export_func_types(data: bytes, name: str) -> tuple[list[str], list[str]]:
    """Parameter and result type names of an exported function, read from the binary (wasmtime-py aborts
    the process when asked about a v128 value type)."""
    try:
        info = parse_module(data)
    except WasmFormatError as e:
        raise ConfigError(f"cannot read the type of {name!r}: {e}") from None
    export = next((e for e in info.exports if e.name == name and e.kind == "func"), None)
    functype = info.func_type_of(export.index) if export is not None else None
    if functype is None:
        raise ConfigError(f"cannot read the type of {name!r} from the module")
    return list(functype.params), list(functype.results)
