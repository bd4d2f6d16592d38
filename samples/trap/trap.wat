;; trap: four ways a module stops with a trap, chosen by the first letter of its argument:
;;   unreachable | divide | oob (out-of-bounds memory) | stack (stack overflow by endless recursion).
;; A trap is not an exit code: the host gets the trap's kind and a backtrace with function names.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get"
    (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit"
    (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "usage: trap unreachable|divide|oob|stack\n")

  ;; argv pointers at 1024, argv bytes at 2048 (args beyond one page are not expected here)
  (func $first_letter_of_argument (result i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 2))
      (then (return (i32.const 0))))
    (if (i32.gt_u (i32.load (i32.const 4)) (i32.const 4096))
      (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (i32.load8_u (i32.load (i32.const 1028))))

  (func $usage
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 41))
    (drop (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $proc_exit (i32.const 2)))

  (func $hit_unreachable
    unreachable)

  (func $divide_by_zero (param $zero i32) (result i32)
    (i32.div_u (i32.const 1) (local.get $zero)))

  (func $read_out_of_bounds (result i32)
    (i32.load (i32.const 0x7fff_fff0)))

  (func $recurse_forever (param $depth i32) (result i32)
    (i32.add (i32.const 1) (call $recurse_forever (i32.add (local.get $depth) (i32.const 1)))))

  (func $start (export "_start")
    (local $letter i32)
    (local.set $letter (call $first_letter_of_argument))
    (if (i32.eq (local.get $letter) (i32.const 0x75)) ;; u
      (then (call $hit_unreachable)))
    (if (i32.eq (local.get $letter) (i32.const 0x64)) ;; d
      (then (drop (call $divide_by_zero (i32.const 0)))))
    (if (i32.eq (local.get $letter) (i32.const 0x6f)) ;; o
      (then (drop (call $read_out_of_bounds))))
    (if (i32.eq (local.get $letter) (i32.const 0x73)) ;; s
      (then (drop (call $recurse_forever (i32.const 0)))))
    (call $usage)))
