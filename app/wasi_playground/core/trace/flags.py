"""WASI preview-1 flag sets and enumerations as names, so a person reads `CREAT|TRUNC`, not `9`."""

from __future__ import annotations

OFLAGS = ("CREAT", "DIRECTORY", "EXCL", "TRUNC")
FDFLAGS = ("APPEND", "DSYNC", "NONBLOCK", "RSYNC", "SYNC")
LOOKUPFLAGS = ("SYMLINK_FOLLOW",)
FSTFLAGS = ("ATIM", "ATIM_NOW", "MTIM", "MTIM_NOW")
RIGHTS = (
    "fd_datasync", "fd_read", "fd_seek", "fd_fdstat_set_flags", "fd_sync", "fd_tell", "fd_write",
    "fd_advise", "fd_allocate", "path_create_directory", "path_create_file", "path_link_source",
    "path_link_target", "path_open", "fd_readdir", "path_readlink", "path_rename_source",
    "path_rename_target", "path_filestat_get", "path_filestat_set_size", "path_filestat_set_times",
    "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "path_symlink",
    "path_remove_directory", "path_unlink_file", "poll_fd_readwrite", "sock_shutdown", "sock_accept",
)
CLOCKS = ("REALTIME", "MONOTONIC", "PROCESS_CPUTIME", "THREAD_CPUTIME")
WHENCE = ("SET", "CUR", "END")
ADVICE = ("NORMAL", "SEQUENTIAL", "RANDOM", "WILLNEED", "DONTNEED", "NOREUSE")
SDFLAGS = ("RD", "WR")


def bit_names(value: int, names: tuple[str, ...]) -> str:
    """`CREAT|TRUNC`; unknown bits stay visible as hex; `0` for none."""
    if value == 0:
        return "0"
    parts = [n for i, n in enumerate(names) if value & (1 << i)]
    unknown = value & ~((1 << len(names)) - 1)
    if unknown:
        parts.append(hex(unknown))
    return "|".join(parts)


def rights_text(value: int) -> str:
    """Rights masks are usually "everything": name a few, count many."""
    value &= (1 << 64) - 1
    known = [n for i, n in enumerate(RIGHTS) if value & (1 << i)]
    if len(known) <= 4:
        return bit_names(value, RIGHTS)
    if value & ((1 << len(RIGHTS)) - 1) == (1 << len(RIGHTS)) - 1:
        return f"all ({hex(value)})"
    return f"{len(known)} rights ({hex(value)})"


def enum_name(value: int, names: tuple[str, ...]) -> str:
    return names[value] if 0 <= value < len(names) else str(value)
