;; spin: an endless loop. Nothing inside the module will ever stop it: the host must, by an epoch
;; interrupt (Stop, a timeout) or by running out of fuel.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "spinning forever; press Stop\n")
  (global $iterations (mut i64) (i64.const 0))

  (func $say_hello
    ;; one iovec at offset 0: pointer 16, length 29
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 29))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $spin_forever
    (loop $again
      (global.set $iterations (i64.add (global.get $iterations) (i64.const 1)))
      (br $again)))

  (func $start (export "_start")
    (call $say_hello)
    (call $spin_forever)))
