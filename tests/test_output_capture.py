"""Output capture: forwarded at once, bounded in memory, spilled whole to a file, decoded with replacement."""

from __future__ import annotations

import os
import threading

from wasi_playground.core.engine.output import OutputCapture


def test_small_output_stays_in_memory_and_is_forwarded() -> None:
    seen: list[bytes] = []
    capture = OutputCapture("stdout", seen.append, tail_bytes=100)
    capture.write(b"hello ")
    capture.write(b"world")
    capture.close()
    assert seen == [b"hello ", b"world"]
    assert capture.text() == "hello world" and not capture.truncated and capture.spill_path is None


def test_overflow_keeps_the_tail_and_spills_everything() -> None:
    capture = OutputCapture("stdout", tail_bytes=1000)
    chunks = [bytes([65 + i % 26]) * 300 for i in range(20)]
    for chunk in chunks:
        capture.write(chunk)
    capture.close()
    assert capture.truncated and capture.total_bytes == 6000
    tail = capture.tail_bytes()
    assert len(tail) == 1000 and b"".join(chunks).endswith(tail)
    with open(capture.spill_path, "rb") as f:
        assert f.read() == b"".join(chunks)
    os.unlink(capture.spill_path)


def test_without_spilling_only_the_tail_is_kept() -> None:
    capture = OutputCapture("stdout", tail_bytes=10, spill=False)
    capture.write(b"0123456789abcdef")
    capture.close()
    assert capture.truncated and capture.spill_path is None and capture.text() == "6789abcdef"


def test_invalid_utf8_is_replaced_not_an_error() -> None:
    capture = OutputCapture("stderr")
    capture.write(b"ok \xff\xfe end")
    assert capture.text() == "ok \ufffd\ufffd end"


def test_a_failing_listener_does_not_stop_capturing() -> None:
    def broken(_data: bytes) -> None:
        raise RuntimeError("listener gone")

    capture = OutputCapture("stdout", broken)
    capture.write(b"a")
    capture.write(b"b")
    assert capture.text() == "ab" and isinstance(capture.forward_error, RuntimeError)


def test_concurrent_writers_lose_nothing() -> None:
    capture = OutputCapture("stdout", tail_bytes=64)
    threads = [
        threading.Thread(target=lambda: [capture.write(b"x" * 10) for _ in range(500)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    capture.close()
    assert capture.total_bytes == 20_000
    assert os.path.getsize(capture.spill_path) == 20_000
    os.unlink(capture.spill_path)
