;; calc: a library module. It has no _start and imports nothing; the host calls its exports one at a
;; time with typed arguments (--invoke NAME -- ARGS, or the call panel). `counter` keeps its count in a
;; global, so calls on the same instance see each other's effect.
(module
  (global $count (mut i32) (i32.const 0))

  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))

  (func $divide (export "divide") (param $a i32) (param $b i32) (result i32)
    ;; traps with "integer divide by zero" when b is 0
    (i32.div_s (local.get $a) (local.get $b)))

  (func $factorial (export "factorial") (param $n i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $again
        (br_if $done (i64.le_s (local.get $n) (i64.const 1)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $again)))
    (local.get $acc))

  (func $average (export "average") (param $a f32) (param $b f32) (result f32)
    (f32.div (f32.add (local.get $a) (local.get $b)) (f32.const 2)))

  (func $hypotenuse (export "hypotenuse") (param $a f64) (param $b f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get $a) (local.get $a)) (f64.mul (local.get $b) (local.get $b)))))

  (func $mix (export "mix") (param $a i32) (param $b i64) (param $c f32) (param $d f64) (result f64)
    ;; every parameter type at once: a + b + c + d as a double
    (f64.add
      (f64.add (f64.convert_i32_s (local.get $a)) (f64.convert_i64_s (local.get $b)))
      (f64.add (f64.promote_f32 (local.get $c)) (local.get $d))))

  (func $counter (export "counter") (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.get $count)))
