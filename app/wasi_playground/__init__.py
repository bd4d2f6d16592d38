"""WASI Playground: open a WebAssembly module, see what it asks of the system, run it, watch every WASI
call."""

__version__ = "0.1.0"
