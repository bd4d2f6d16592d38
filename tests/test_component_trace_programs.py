"""Small WASI 0.2 command components written as component text and assembled with the bundled
wasm-tools, for the component-trace tests and benchmark (no test functions here).

`probe` prints its environment, says whether random bytes and the wall clock answered, writes
`out.txt` into its first preopened directory, echoes up to 64 bytes of stdin, and exits with
`exit-with-code` (or returns ok). `clock_loop` reads the monotonic clock N times and says "done".
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from wasi_playground.core.binary.tools import wasm_tools

V = "0.2.0"
ERROR_CODES = (
    '"access" "would-block" "already" "bad-descriptor" "busy" "deadlock" "quota" "exist" "file-too-large" '
    '"illegal-byte-sequence" "in-progress" "interrupted" "invalid" "io" "is-directory" "loop" '
    '"too-many-links" '
    '"message-size" "name-too-long" "no-device" "no-entry" "no-lock" "insufficient-memory" '
    '"insufficient-space" "not-directory" "not-empty" "not-recoverable" "unsupported" "no-tty" '
    '"no-such-device" "overflow" "not-permitted" "pipe" "read-only" "invalid-seek" "text-file-busy" '
    '"cross-device"')

IO_IMPORTS = f"""
  (import "wasi:io/error@{V}" (instance $error (export "error" (type (sub resource)))))
  (alias export $error "error" (type $err))
  (import "wasi:io/streams@{V}" (instance $streams
    (alias outer $C $err (type $e0)) (export "error" (type $e (eq $e0)))
    (export "output-stream" (type $os (sub resource)))
    (export "input-stream" (type $is (sub resource)))
    (type $se0 (variant (case "last-operation-failed" (own $e)) (case "closed")))
    (export "stream-error" (type $se (eq $se0)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se)))))
    (export "[method]input-stream.blocking-read"
      (func (param "self" (borrow $is)) (param "len" u64) (result (result (list u8) (error $se)))))))
  (alias export $streams "output-stream" (type $ostream))
  (alias export $streams "input-stream" (type $istream))
  (import "wasi:cli/stdout@{V}" (instance $stdout
    (alias outer $C $ostream (type $o0)) (export "output-stream" (type $o (eq $o0)))
    (export "get-stdout" (func (result (own $o))))))
"""

PROBE_IMPORTS = f"""
  (import "wasi:cli/stdin@{V}" (instance $stdin
    (alias outer $C $istream (type $i0)) (export "input-stream" (type $i (eq $i0)))
    (export "get-stdin" (func (result (own $i))))))
  (import "wasi:cli/environment@{V}" (instance $environment
    (export "get-environment" (func (result (list (tuple string string)))))))
  (import "wasi:random/random@{V}" (instance $random
    (export "get-random-bytes" (func (param "len" u64) (result (list u8))))))
  (import "wasi:clocks/wall-clock@{V}" (instance $wallclock
    (type $dt0 (record (field "seconds" u64) (field "nanoseconds" u32)))
    (export "datetime" (type $dt (eq $dt0)))
    (export "now" (func (result $dt)))))
  (import "wasi:filesystem/types@{V}" (instance $fstypes
    (alias outer $C $ostream (type $o0)) (export "output-stream" (type $o (eq $o0)))
    (type $ec0 (enum {ERROR_CODES})) (export "error-code" (type $ec (eq $ec0)))
    (export "descriptor" (type $d (sub resource)))
    (type $df0 (flags "read" "write" "file-integrity-sync" "data-integrity-sync" "requested-write-sync"
                      "mutate-directory"))
    (export "descriptor-flags" (type $df (eq $df0)))
    (type $pf0 (flags "symlink-follow")) (export "path-flags" (type $pf (eq $pf0)))
    (type $of0 (flags "create" "directory" "exclusive" "truncate")) (export "open-flags" (type $of (eq $of0)))
    (type $fs0 u64) (export "filesize" (type $fs (eq $fs0)))
    (export "[method]descriptor.open-at" (func (param "self" (borrow $d)) (param "path-flags" $pf)
      (param "path" string) (param "open-flags" $of) (param "flags" $df)
      (result (result (own $d) (error $ec)))))
    (export "[method]descriptor.write-via-stream" (func (param "self" (borrow $d)) (param "offset" $fs)
      (result (result (own $o) (error $ec)))))))
  (alias export $fstypes "descriptor" (type $descriptor))
  (import "wasi:filesystem/preopens@{V}" (instance $preopens
    (alias outer $C $descriptor (type $d0)) (export "descriptor" (type $d (eq $d0)))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))
"""

LIB = """
  (core module $lib
    (memory (export "memory") 1)
    (global $top (mut i32) (i32.const 8192))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $top) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $top (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (global.get $top) (i32.shl (memory.size) (i32.const 16)))
        (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $top) (i32.shl (memory.size)
                                                                                          (i32.const 16)))
                                                     (i32.const 16))
                                          (i32.const 1))))))
      (local.get $p)))
  (core instance $lib (instantiate $lib))
  (alias core export $lib "memory" (core memory $mem))
  (alias core export $lib "realloc" (core func $realloc))
"""


class Strings:
    """Constant strings placed in data segments from address 256; `ref(s)` gives pointer and length."""

    def __init__(self) -> None:
        self.at: dict[str, int] = {}
        self.end = 256

    def ref(self, text: str) -> str:
        if text not in self.at:
            self.at[text] = self.end
            self.end += len(text.encode()) + 1
        return f"(i32.const {self.at[text]}) (i32.const {len(text.encode())})"

    def data(self) -> str:
        out = []
        for text, at in self.at.items():
            escaped = "".join(f"\\{b:02x}" for b in text.encode())
            out.append(f'(data (i32.const {at}) "{escaped}")')
        return "\n    ".join(out)


def _lower(instance: str, name: str, core: str, memory: bool = True) -> str:
    options = " (memory $mem) (realloc $realloc)" if memory else ""
    return (f'(alias export ${instance} "{name}" (func ${core}-f))\n'
            f"  (core func ${core} (canon lower (func ${core}-f){options}))")


def _component(imports: str, lowers: list[tuple[str, str, str, bool]], core_imports: str, body: str,
               strings: Strings) -> str:
    lowered = "\n  ".join(_lower(i, n, c, m) for i, n, c, m in lowers)
    exports = " ".join(f'(export "{c}" (func ${c}))' for _, _, c, _ in lowers)
    return f"""(component $C
  {IO_IMPORTS}
  {imports}
  {LIB}
  {lowered}
  (core instance $imports {exports})
  (core module $main
    (import "lib" "memory" (memory 1))
    {core_imports}
    (global $out (mut i32) (i32.const 0))
    (func $print (param i32 i32) (call $write (global.get $out) (local.get 0) (local.get 1) (i32.const 96)))
    {strings.data()}
    {body})
  (core instance $main (instantiate $main (with "lib" (instance $lib)) (with "w" (instance $imports))))
  (alias core export $main "run" (core func $run-core))
  (func $run (result (result)) (canon lift (core func $run-core)))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@{V}" (instance $run-instance)))
"""


IO_LOWERS = [("stdout", "get-stdout", "get-stdout", False),
             ("streams", "[method]output-stream.blocking-write-and-flush", "write", True)]
IO_CORE = """(import "w" "get-stdout" (func $get-stdout (result i32)))
    (import "w" "write" (func $write (param i32 i32 i32 i32)))"""


def probe_text(exit_code: int | None) -> str:
    s = Strings()
    exit_import, exit_lowers, finish, exit_core = "", [], "(i32.const 0)", ""
    if exit_code is not None:
        exit_import = (f'(import "wasi:cli/exit@{V}" (instance $exit '
                       f'(export "exit-with-code" (func (param "status-code" u8)))))')
        exit_lowers = [("exit", "exit-with-code", "exit-with-code", False)]
        finish = f"(call $exit-with-code (i32.const {exit_code})) (i32.const 0)"
        exit_core = '\n    (import "w" "exit-with-code" (func $exit-with-code (param i32)))'
    lowers = IO_LOWERS + [
        ("stdin", "get-stdin", "get-stdin", False),
        ("streams", "[method]input-stream.blocking-read", "read", True),
        ("environment", "get-environment", "get-env", True),
        ("random", "get-random-bytes", "random", True),
        ("wallclock", "now", "now", True),
        ("preopens", "get-directories", "get-dirs", True),
        ("fstypes", "[method]descriptor.open-at", "open-at", True),
        ("fstypes", "[method]descriptor.write-via-stream", "write-via-stream", True),
    ] + exit_lowers
    core_imports = IO_CORE + """
    (import "w" "get-stdin" (func $get-stdin (result i32)))
    (import "w" "read" (func $read (param i32 i64 i32)))
    (import "w" "get-env" (func $get-env (param i32)))
    (import "w" "random" (func $random (param i64 i32)))
    (import "w" "now" (func $now (param i32)))
    (import "w" "get-dirs" (func $get-dirs (param i32)))
    (import "w" "open-at" (func $open-at (param i32 i32 i32 i32 i32 i32 i32)))
    (import "w" "write-via-stream" (func $write-via-stream (param i32 i64 i32)))""" + exit_core
    body = f"""
    (func (export "run") (result i32)
      (local $p i32) (local $n i32) (local $i i32) (local $d i32) (local $s i32)
      (global.set $out (call $get-stdout))
      (call $get-env (i32.const 64))
      (local.set $p (i32.load (i32.const 64))) (local.set $n (i32.load (i32.const 68)))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $print (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
        (call $print {s.ref("=")})
        (call $print (i32.load offset=8 (local.get $p)) (i32.load offset=12 (local.get $p)))
        (call $print {s.ref(chr(10))})
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (call $random (i64.const 8) (i32.const 64))
      (if (i32.eq (i32.load (i32.const 68)) (i32.const 8))
        (then (call $print {s.ref("random ok" + chr(10))}))
        (else (call $print {s.ref("random empty" + chr(10))})))
      (call $now (i32.const 64))
      (if (i64.ne (i64.load (i32.const 64)) (i64.const 0))
        (then (call $print {s.ref("clock ok" + chr(10))}))
        (else (call $print {s.ref("clock zero" + chr(10))})))
      (call $get-dirs (i32.const 64))
      (if (i32.eqz (i32.load (i32.const 68)))
        (then (call $print {s.ref("no dirs" + chr(10))}))
        (else
          (local.set $d (i32.load (i32.load (i32.const 64))))
          (call $open-at (local.get $d) (i32.const 0) {s.ref("out.txt")} (i32.const 9) (i32.const 2)
                         (i32.const 64))
          (if (i32.eqz (i32.load8_u (i32.const 64)))
            (then
              (call $write-via-stream (i32.load (i32.const 68)) (i64.const 0) (i32.const 64))
              (local.set $s (i32.load (i32.const 68)))
              (call $write (local.get $s) {s.ref("written by probe" + chr(10))} (i32.const 96))
              (call $print {s.ref("file ok" + chr(10))}))
            (else
              (call $print {s.ref("file error ")})
              (i32.store8 (i32.const 120) (i32.add (i32.const 97) (i32.load8_u (i32.const 68))))
              (call $print (i32.const 120) (i32.const 1))
              (call $print {s.ref(chr(10))})))))
      (call $read (call $get-stdin) (i64.const 64) (i32.const 64))
      (if (i32.eqz (i32.load8_u (i32.const 64)))
        (then (call $print {s.ref("stdin:")})
              (call $print (i32.load (i32.const 68)) (i32.load (i32.const 72))))
        (else (call $print {s.ref("stdin closed" + chr(10))})))
      {finish})"""
    return _component(PROBE_IMPORTS + exit_import, lowers, core_imports, body, s)


def clock_loop_text(calls: int) -> str:
    s = Strings()
    imports = f"""
  (import "wasi:clocks/monotonic-clock@{V}" (instance $monotonic
    (type $i0 u64) (export "instant" (type $i (eq $i0)))
    (export "now" (func (result $i)))))"""
    body = f"""
    (func (export "run") (result i32) (local $i i32)
      (global.set $out (call $get-stdout))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const {calls})))
        (drop (call $now))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (call $print {s.ref("done" + chr(10))})
      (i32.const 0))"""
    core_imports = IO_CORE + '\n    (import "w" "now" (func $now (result i64)))'
    return _component(imports, IO_LOWERS + [("monotonic", "now", "now", False)], core_imports, body, s)


def assemble(text: str) -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "c.wasm"
        subprocess.run([str(wasm_tools()), "parse", "-", "-o", str(out)], input=text.encode(), check=True,
                       capture_output=True)
        return out.read_bytes()


def probe(exit_code: int | None = None) -> bytes:
    return assemble(probe_text(exit_code))


def clock_loop(calls: int) -> bytes:
    return assemble(clock_loop_text(calls))


def poller_text() -> str:
    """Subscribes to a zero-length monotonic-clock timer and polls it: `poll` takes list<borrow<pollable>>."""
    s = Strings()
    imports = f"""
  (import "wasi:io/poll@{V}" (instance $poll
    (export "pollable" (type $p (sub resource)))
    (export "poll" (func (param "in" (list (borrow $p))) (result (list u32))))))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:clocks/monotonic-clock@{V}" (instance $monotonic
    (alias outer $C $pollable (type $p0)) (export "pollable" (type $p (eq $p0)))
    (type $d0 u64) (export "duration" (type $d (eq $d0)))
    (export "subscribe-duration" (func (param "when" $d) (result (own $p))))))"""
    body = f"""
    (func (export "run") (result i32)
      (global.set $out (call $get-stdout))
      (i32.store (i32.const 64) (call $subscribe (i64.const 0)))
      (call $poll (i32.const 64) (i32.const 1) (i32.const 80))
      (if (i32.eq (i32.load offset=4 (i32.const 80)) (i32.const 1))
        (then (call $print {s.ref("polled" + chr(10))})))
      (i32.const 0))"""
    core_imports = IO_CORE + """
    (import "w" "subscribe" (func $subscribe (param i64) (result i32)))
    (import "w" "poll" (func $poll (param i32 i32 i32)))"""
    lowers = IO_LOWERS + [("monotonic", "subscribe-duration", "subscribe", False),
                          ("poll", "poll", "poll", True)]
    return _component(imports, lowers, core_imports, body, s)


def poller() -> bytes:
    return assemble(poller_text())


def future_wasi() -> bytes:
    """Imports an interface at a WASI version wasmtime here does not provide."""
    return assemble(f"""(component $C
  {IO_IMPORTS}
  (import "wasi:cli/environment@0.3.0" (instance $env (export "get-arguments" (func (result (list string))))))
  {LIB}
  {_lower("stdout", "get-stdout", "get-stdout", False)}
  (core module $main (import "w" "get-stdout" (func (result i32)))
    (func (export "run") (result i32) (drop (call 0)) (i32.const 0)))
  (core instance $main (instantiate $main (with "w" (instance (export "get-stdout" (func $get-stdout))))))
  (alias core export $main "run" (core func $run-core))
  (func $run (result (result)) (canon lift (core func $run-core)))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@{V}" (instance $run-instance)))""")


SOCKET_ERRORS = (
    '"unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory" "timeout" '
    '"concurrency-conflict" "not-in-progress" "would-block" "invalid-state" "new-socket-limit" '
    '"address-not-bindable" "address-in-use" "remote-unreachable" "connection-refused" "connection-reset" '
    '"connection-aborted" "datagram-too-large" "name-unresolvable" "temporary-resolver-failure" '
    '"permanent-resolver-failure"')


def udp_text() -> str:
    """Creates a UDP socket and asks for its local address: `wasi:sockets/udp` uses `ip-socket-address`
    from `wasi:sockets/network`, a variant of records that udp itself does not export."""
    s = Strings()
    imports = f"""
  (import "wasi:sockets/network@{V}" (instance $network
    (export "network" (type (sub resource)))
    (type $ec0 (enum {SOCKET_ERRORS})) (export "error-code" (type $ec (eq $ec0)))
    (type $fam0 (enum "ipv4" "ipv6")) (export "ip-address-family" (type $fam (eq $fam0)))
    (type $v4a0 (tuple u8 u8 u8 u8)) (export "ipv4-address" (type $v4a (eq $v4a0)))
    (type $v6a0 (tuple u16 u16 u16 u16 u16 u16 u16 u16)) (export "ipv6-address" (type $v6a (eq $v6a0)))
    (type $v4s0 (record (field "port" u16) (field "address" $v4a)))
    (export "ipv4-socket-address" (type $v4s (eq $v4s0)))
    (type $v6s0 (record (field "port" u16) (field "flow-info" u32) (field "address" $v6a)
                        (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $v6s (eq $v6s0)))
    (type $isa0 (variant (case "ipv4" $v4s) (case "ipv6" $v6s)))
    (export "ip-socket-address" (type $isa (eq $isa0)))))
  (alias export $network "error-code" (type $net-ec))
  (alias export $network "ip-address-family" (type $net-fam))
  (alias export $network "ip-socket-address" (type $net-isa))
  (import "wasi:sockets/udp@{V}" (instance $udp
    (alias outer $C $net-ec (type $ec0)) (export "error-code" (type $ec (eq $ec0)))
    (alias outer $C $net-isa (type $isa0)) (export "ip-socket-address" (type $isa (eq $isa0)))
    (alias outer $C $net-fam (type $fam0)) (export "ip-address-family" (type $fam (eq $fam0)))
    (export "udp-socket" (type $sock (sub resource)))
    (export "[method]udp-socket.local-address"
      (func (param "self" (borrow $sock)) (result (result $isa (error $ec)))))))
  (alias export $udp "udp-socket" (type $udp-socket))
  (import "wasi:sockets/udp-create-socket@{V}" (instance $create
    (alias outer $C $net-ec (type $ec0)) (export "error-code" (type $ec (eq $ec0)))
    (alias outer $C $net-fam (type $fam0)) (export "ip-address-family" (type $fam (eq $fam0)))
    (alias outer $C $udp-socket (type $s0)) (export "udp-socket" (type $s (eq $s0)))
    (export "create-udp-socket"
      (func (param "address-family" $fam) (result (result (own $s) (error $ec)))))))"""
    body = f"""
    (func (export "run") (result i32)
      (global.set $out (call $get-stdout))
      (call $create (i32.const 0) (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then (call $print {s.ref("create failed" + chr(10))}))
        (else
          (call $local-address (i32.load (i32.const 68)) (i32.const 128))
          (if (i32.load8_u (i32.const 128))
            (then (call $print {s.ref("no address" + chr(10))}))
            (else (call $print {s.ref("address" + chr(10))})))))
      (i32.const 0))"""
    core_imports = IO_CORE + """
    (import "w" "create" (func $create (param i32 i32)))
    (import "w" "local-address" (func $local-address (param i32 i32)))"""
    lowers = IO_LOWERS + [("create", "create-udp-socket", "create", True),
                          ("udp", "[method]udp-socket.local-address", "local-address", True)]
    return _component(imports, lowers, core_imports, body, s)


def udp() -> bytes:
    return assemble(udp_text())


def with_record_export() -> bytes:
    """The clock loop plus a top-level exported function taking a record (which the interposer cannot
    re-export: it runs untraced, with a note)."""
    text = clock_loop_text(3)
    extra = """
  (core module $pm (func (export "p") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $pmi (instantiate $pm))
  (type $pt0 (record (field "x" u32) (field "y" u32)))
  (export $pt "point" (type $pt0))
  (func $sum (param "p" $pt) (result u32) (canon lift (core func $pmi "p")))
  (export "sum" (func $sum))"""
    end = text.rindex(")")
    return assemble(text[:end] + extra + ")")


def cat_text() -> str:
    """Copies stdin to stdout in reads of up to 4 KiB with `blocking-read` until the stream closes."""
    s = Strings()
    imports = f"""
  (import "wasi:cli/stdin@{V}" (instance $stdin
    (alias outer $C $istream (type $i0)) (export "input-stream" (type $i (eq $i0)))
    (export "get-stdin" (func (result (own $i))))))"""
    body = """
    (func (export "run") (result i32) (local $in i32)
      (global.set $out (call $get-stdout))
      (local.set $in (call $get-stdin))
      (block $done (loop $next
        (call $read (local.get $in) (i64.const 4096) (i32.const 64))
        (br_if $done (i32.load8_u (i32.const 64)))
        (call $print (i32.load (i32.const 68)) (i32.load (i32.const 72)))
        (br $next)))
      (i32.const 0))"""
    core_imports = IO_CORE + """
    (import "w" "get-stdin" (func $get-stdin (result i32)))
    (import "w" "read" (func $read (param i32 i64 i32)))"""
    lowers = IO_LOWERS + [("stdin", "get-stdin", "get-stdin", False),
                          ("streams", "[method]input-stream.blocking-read", "read", True)]
    return _component(imports, lowers, core_imports, body, s)


def cat() -> bytes:
    return assemble(cat_text())
