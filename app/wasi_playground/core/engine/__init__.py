"""The engine room: the only code that makes wasmtime engines, stores, WASI configurations and linkers,
applies limits and fuel, stops running code, and says in words how a run ended.

`config` (what a run is granted) and `result` (what it produced) are its plain data; `engines` shares
engines and the compiled-code cache (`code_cache`); `limits`, `interrupts`, `wasi_config`, `output`,
`traps`, `invoke_args` and `v128` are the pieces every runner, call session and WAGI executor uses."""
