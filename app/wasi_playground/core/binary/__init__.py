"""Reading the WebAssembly binary format: the lowest layer, which everything else may use and which uses
nothing of the playground.

`reader` (LEB128, names, sections, `WasmFormatError` with its offset), `module_info` (a core module's
declarations), `types` (type encodings in WAT notation), `names` (the `name`, `producers` and
`target_features` sections), `tools` (where the bundled `wasm-tools` lives)."""
