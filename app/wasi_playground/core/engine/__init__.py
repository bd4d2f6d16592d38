"""The engine room: the only code that makes wasmtime stores, WASI configurations, linkers (core and
component) and interrupters, applies limits and fuel, turns WAT into a binary on the way in, and says in
words how running code ended. A test (`tests/test_engine_room.py`) fails if anything else constructs them.

The pieces, one file each:
- `source.read_source(module) -> ModuleSource` (`data`, `name`, `kind` "module"/"component", `from_wat`):
  a path or bytes, binary or WAT; refuses pipes, devices, directories and missing files in one sentence
  (`ConfigError`). `wat_to_binary` and `looks_like_wat` are its WAT half.
- `sandbox.Sandbox(engine, config, kind, Outputs(...), scratch_dir, module_name, interruptible=, fuel=)`:
  one store with the configuration's limits and fuel, its WASI configuration, a lazily made `linker`
  (preview 1 or 0.2 by `kind`) and, if `interruptible`, an interrupter for its whole life.
  `instantiate(module | component | InstancePre, trap_unknown_imports=)`, `interruptible()` (a fresh
  interrupter around one call), `cancel()`, `stop_reason`, `check_stop()`, `classify(error, result,
  shift)`, `trap(error) -> TrapInfo`, `link_error(error) -> ConfigError`, `refuel(n)`,
  `fuel_consumed(budget)`, `close()` (store dropped first). `prelink(engine, module, name)` resolves
  WASI once for per-request instances.
- `outcome`: `classify` (exit code, trap with frames, out of fuel, stopped by user, timed out into
  `RunResult`), `compile_error`, `link_error`. `messages`: `first_line`, `trap_message`, `stop_message`.
- `interpose.Interposer`: the hook for call tracing and capability switches. A run calls
  `prepare(data) -> bytes` (the binary to compile instead) before compiling, `link(engine, store, linker)`
  (define recording functions or wrapped imports; WASI is already on the linker) before instantiating,
  and `finish(result)` when the run ends, also after a trap or a stop. `core.trace.TraceSession` is the
  one for core modules; `core.run.interposers.interposer_for(kind, config, on_event)` picks one per kind.
- Plain data and helpers: `config` (what a run is granted), `result` (what it produced), `engines` and
  `code_cache` (shared engines, compiled-code cache), `limits`, `interrupts`, `wasi_config`, `output`,
  `traps`, `invoke_args`, `v128`.

Usage (what the runner, call sessions and WAGI executor each do)::

    source = read_source("hello.wat")                       # assembled, kind read from the header
    engine = get_engine(fuel=config.limits.fuel is not None)
    module, _ = load_module(engine, source.data)
    sandbox = Sandbox(engine, config, source.kind, Outputs(out.write, err.write), scratch, source.name,
                      interruptible=True)                   # `sandbox.cancel()` from any thread
    try:
        sandbox.instantiate(module).exports(sandbox.store)["_start"](sandbox.store)
        result.exit_code = 0
    except (wasmtime.ExitTrap, wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sandbox.classify(e, result)                         # exit code, trap, timed out or stopped
    finally:
        result.fuel_consumed = sandbox.fuel_consumed(config.limits.fuel or 0)
        sandbox.close()
"""
