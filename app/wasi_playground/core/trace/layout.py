"""The record layout the wrapper writes and the host reads: one fixed-size record per WASI call.

The wrapper keeps a ring of records in a memory of its own and calls the host only when the ring is
full, before a call that may block (so a live view is never behind a waiting program) and before
`proc_exit`. The host reads a whole batch with one copy. That is why a traced call costs a few hundred
nanoseconds of WebAssembly instead of a Python callback with a dozen converted arguments.
"""

from __future__ import annotations

import struct

RECORD_SIZE = 256
RING_RECORDS = 2048
RING_PAGES = RECORD_SIZE * RING_RECORDS // 65536
MAX_ARGS = 9
PATH_BYTES = 64

OFF_ID = 0
OFF_ERRNO = 4
OFF_T0 = 8
OFF_T1 = 16
OFF_OUT = 24
OFF_IOV_TOTAL = 32
OFF_PATH1_LEN = 36
OFF_PATH2_LEN = 40
OFF_ARGS = 48
OFF_PATH1 = 128
OFF_PATH2 = 192

DENIED_BIT = 0x8000
OUT_VALID_BIT = 0x4000
ID_MASK = 0x0FFF

HEADER = struct.Struct("<iiqqqiii4x9q")
"""id, errno, t0, t1, out, iov_total, path1_len, path2_len, then the arguments widened to i64."""
assert HEADER.size == OFF_PATH1 - 8 and OFF_ARGS + 8 * MAX_ARGS == HEADER.size

BLOCKING = frozenset({"fd_read", "fd_pread", "poll_oneoff", "sched_yield", "proc_exit", "sock_recv",
                      "sock_accept", "path_open"})
"""Calls after which the ring is handed to the host at once: they may wait, or they end the program."""

ENOTCAPABLE = 76
