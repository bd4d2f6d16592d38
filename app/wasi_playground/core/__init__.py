"""Everything that knows WebAssembly and WASI. Imports no Qt, ever: the CLI and tests use it without a
display."""
