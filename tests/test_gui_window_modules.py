"""WAT programs for the window tests (no tests here): echo args to stdout and env to stderr, loop, trap,
flood."""

ECHO = r"""
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "\n")
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))
  (func $print (param $fd i32) (param $p i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $print_list (param $fd i32) (param $first i32) (param $count i32) (param $ptrs i32)
    (local $i i32) (local $p i32)
    (local.set $i (local.get $first))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $p (i32.load (i32.add (local.get $ptrs) (i32.mul (local.get $i) (i32.const 4)))))
      (call $print (local.get $fd) (local.get $p) (call $strlen (local.get $p)))
      (call $print (local.get $fd) (i32.const 32) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    (call $print_list (i32.const 1) (i32.const 1) (i32.load (i32.const 16)) (i32.const 1024))
    (drop (call $env_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $env_get (i32.const 2048) (i32.const 16384)))
    (call $print_list (i32.const 2) (i32.const 0) (i32.load (i32.const 16)) (i32.const 2048)))
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
"""

LOOP = """
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (loop $l (br $l))))
"""

TRAP = """
(module
  (memory (export "memory") 1)
  (func $deep (unreachable))
  (func (export "_start") (call $deep)))
"""

FLOOD = """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start") (local $i i32)
    (memory.fill (i32.const 1024) (i32.const 65) (i32.const 65536))
    (i32.store8 (i32.const 66559) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 65536))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (global.get $chunks)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (global $chunks i32 (i32.const CHUNKS)))
"""


def flood(megabytes: int) -> str:
    """A module writing `megabytes` MiB of 'A' lines (64 KiB each) to stdout."""
    return FLOOD.replace("CHUNKS", str(megabytes * 16))
