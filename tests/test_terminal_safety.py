"""Module output cannot hijack the terminal: colours pass, every other escape becomes visible text."""

from hypothesis import given
from hypothesis import strategies as st

from wasi_playground.core.run.terminal_safety import TerminalSanitizer, sanitize_for_terminal


def test_colours_and_plain_text_pass_unchanged() -> None:
    text = b"plain \x1b[1;31mred\x1b[0m\ttab\r\nnext line\n"
    assert sanitize_for_terminal(text) == text


def test_title_clipboard_and_cursor_sequences_are_defused() -> None:
    hostile = b"\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x1b[H\x1b(0"
    safe = sanitize_for_terminal(hostile)
    assert b"\x1b" not in safe and b"\x07" not in safe
    assert safe.startswith(b"^[]0;pwned^G")


def test_c1_control_introducers_are_defused() -> None:
    assert sanitize_for_terminal(b"a\x9b2Jb") == b"a\\x9b2Jb"


def test_an_sgr_split_across_writes_survives() -> None:
    s = TerminalSanitizer()
    out = s.feed(b"x\x1b[3") + s.feed(b"2mgreen") + s.flush()
    assert out == b"x\x1b[32mgreen"


@given(st.lists(st.binary(max_size=40), max_size=12))
def test_no_escape_other_than_sgr_ever_reaches_the_terminal(chunks: list[bytes]) -> None:
    s = TerminalSanitizer()
    out = b"".join(s.feed(c) for c in chunks) + s.flush()
    stripped = __import__("re").sub(rb"\x1b\[[0-9;:]{0,64}m", b"", out)
    assert b"\x1b" not in stripped and b"\x07" not in stripped and b"\x9b" not in stripped


def test_run_on_a_real_terminal_defuses_what_the_module_prints(tmp_path) -> None:
    import os
    import pty
    import subprocess
    import sys

    import wasmtime

    module = tmp_path / "hostile.wasm"
    module.write_bytes(
        wasmtime.wat2wasm(r"""(module (import "wasi_snapshot_preview1" "fd_write"
        (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 16) "\1b]0;pwned\07\1b[31mred\1b[0m\n")
      (func (export "_start") (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 23))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""")
    )
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wasi_playground", "run", str(module)],
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=30) == 0
    os.close(master)
    assert b"\x1b]" not in seen and b"\x07" not in seen
    assert b"^[]0;pwned^G" in seen and b"\x1b[31mred\x1b[0m" in seen
