"""Every WASI preview-1 function as data: parameters with WASI types, results, capability group, errno.

The trace decoder, the capability map and the import tables all read this one table, so it is data rather
than code: each function lists its parameters as `(name, wasi_type)`, its results (written by the callee
through out-pointers appended to the parameters), its capability group and what it does in one line.

How calls are grouped (the rule, in words a learner can follow):
- Calls that read or write an already-open descriptor's bytes (`fd_read`, `fd_write`, `fd_close`,
  `fd_fdstat_get`, ...) are **stdio**: that is what nearly every program uses them for, and they need no
  granted directory. They are `fd_dependent`: on descriptors 0, 1 and 2 they are stdio; on a descriptor
  opened from a preopened directory they are really filesystem work, and a tracer that sees the `fd`
  argument should report them as "filesystem".
- Everything that names a path, lists or inspects a directory, seeks, or changes file metadata
  (`path_*`, `fd_readdir`, `fd_seek`, `fd_prestat_*`, `fd_filestat_*`, ...) is **filesystem**; `fs_access`
  says which kind ("read", "write", "directories", "metadata") for the finer labels a person expects.
- `args_*` is args, `environ_*` environment, `clock_*` clocks, `random_get` random, `poll_oneoff`
  polling, `sock_*` sockets, `proc_exit`/`sched_yield` process, `proc_raise` signals.
"""

from __future__ import annotations

from dataclasses import dataclass

MODULE = "wasi_snapshot_preview1"
PREVIEW0_MODULE = "wasi_unstable"

WASI_TYPES: dict[str, tuple[str, ...]] = {
    "fd": ("i32",), "size": ("i32",), "pointer": ("i32",), "string": ("i32", "i32"),
    "iovec_array": ("i32", "i32"), "ciovec_array": ("i32", "i32"), "buffer": ("i32", "i32"),
    "filesize": ("i64",), "filedelta": ("i64",), "timestamp": ("i64",), "rights": ("i64",),
    "dircookie": ("i64",), "clockid": ("i32",), "advice": ("i32",), "fdflags": ("i32",),
    "fstflags": ("i32",), "lookupflags": ("i32",), "oflags": ("i32",), "whence": ("i32",),
    "exitcode": ("i32",), "signal": ("i32",), "riflags": ("i32",), "roflags": ("i32",),
    "siflags": ("i32",), "sdflags": ("i32",), "fdstat": ("i32",), "filestat": ("i32",),
    "prestat": ("i32",), "subscription_array": ("i32",), "event_array": ("i32",),
}
"""WASI type -> the core wasm parameters it occupies (a string or array is a pointer and a length)."""


@dataclass(frozen=True, slots=True)
class WasiFunction:
    name: str
    params: tuple[tuple[str, str], ...]
    results: tuple[tuple[str, str], ...]
    group: str
    summary: str
    fs_access: str | None = None
    fd_dependent: bool = False
    returns_errno: bool = True

    @property
    def core_params(self) -> list[tuple[str, str]]:
        """(name, core type) of each wasm parameter, e.g. `path` becomes `path_ptr`, `path_len`."""
        out: list[tuple[str, str]] = []
        for pname, ptype in self.params:
            core = WASI_TYPES[ptype]
            if len(core) == 2:
                out += [(f"{pname}_ptr", "i32"), (f"{pname}_len", "i32")]
            else:
                out.append((pname, core[0]))
        out += [(f"{rname}_out", "i32") for rname, _ in self.results]
        return out

    @property
    def core_signature(self) -> str:
        params = " ".join(t for _, t in self.core_params)
        sig = f" (param {params})" if params else ""
        return f"(func{sig}{' (result i32)' if self.returns_errno else ''})"


def _f(name: str, params: str, results: str, group: str, summary: str, fs_access: str | None = None,
       fd_dependent: bool = False) -> WasiFunction:
    def pairs(spec: str) -> tuple[tuple[str, str], ...]:
        return tuple(tuple(p.split(":")) for p in spec.split()) if spec else ()  # type: ignore[misc]
    return WasiFunction(name, pairs(params), pairs(results), group, summary, fs_access, fd_dependent,
                        name != "proc_exit")


_FUNCTIONS = (
    _f("args_get", "argv:pointer argv_buf:pointer", "", "args", "copy the command-line arguments"),
    _f("args_sizes_get", "", "argc:size argv_buf_size:size", "args", "count the command-line arguments"),
    _f("environ_get", "environ:pointer environ_buf:pointer", "", "environment", "copy the environment"),
    _f("environ_sizes_get", "", "count:size buf_size:size", "environment", "count the environment variables"),
    _f("clock_res_get", "id:clockid", "resolution:timestamp", "clocks", "ask a clock's resolution"),
    _f("clock_time_get", "id:clockid precision:timestamp", "time:timestamp", "clocks", "read a clock"),
    _f("fd_advise", "fd:fd offset:filesize len:filesize advice:advice", "", "filesystem",
       "hint how a file will be accessed", "metadata"),
    _f("fd_allocate", "fd:fd offset:filesize len:filesize", "", "filesystem", "reserve space in a file",
       "write"),
    _f("fd_close", "fd:fd", "", "stdio", "close a descriptor", None, True),
    _f("fd_datasync", "fd:fd", "", "filesystem", "flush a file's data to disk", "write"),
    _f("fd_fdstat_get", "fd:fd", "stat:fdstat", "stdio", "ask what a descriptor is and may do", None, True),
    _f("fd_fdstat_set_flags", "fd:fd flags:fdflags", "", "stdio", "change a descriptor's flags", None, True),
    _f("fd_fdstat_set_rights", "fd:fd fs_rights_base:rights fs_rights_inheriting:rights", "", "filesystem",
       "drop rights from a descriptor", "metadata"),
    _f("fd_filestat_get", "fd:fd", "stat:filestat", "filesystem", "read an open file's metadata", "metadata"),
    _f("fd_filestat_set_size", "fd:fd size:filesize", "", "filesystem", "truncate or extend a file", "write"),
    _f("fd_filestat_set_times", "fd:fd atim:timestamp mtim:timestamp fst_flags:fstflags", "", "filesystem",
       "set an open file's timestamps", "write"),
    _f("fd_pread", "fd:fd iovs:iovec_array offset:filesize", "nread:size", "filesystem",
       "read from a file at an offset", "read"),
    _f("fd_prestat_get", "fd:fd", "prestat:prestat", "filesystem", "ask whether a descriptor is a preopened "
       "directory", "directories"),
    _f("fd_prestat_dir_name", "fd:fd path:buffer", "", "filesystem", "read a preopened directory's name",
       "directories"),
    _f("fd_pwrite", "fd:fd iovs:ciovec_array offset:filesize", "nwritten:size", "filesystem",
       "write to a file at an offset", "write"),
    _f("fd_read", "fd:fd iovs:iovec_array", "nread:size", "stdio", "read from a descriptor", "read", True),
    _f("fd_readdir", "fd:fd buf:buffer cookie:dircookie", "bufused:size", "filesystem",
       "list a directory", "directories"),
    _f("fd_renumber", "fd:fd to:fd", "", "stdio", "move a descriptor to another number", None, True),
    _f("fd_seek", "fd:fd offset:filedelta whence:whence", "newoffset:filesize", "filesystem",
       "move a file's read/write position", "read"),
    _f("fd_sync", "fd:fd", "", "filesystem", "flush a file and its metadata to disk", "write"),
    _f("fd_tell", "fd:fd", "offset:filesize", "filesystem", "ask a file's read/write position", "read"),
    _f("fd_write", "fd:fd iovs:ciovec_array", "nwritten:size", "stdio", "write to a descriptor", "write",
       True),
    _f("path_create_directory", "fd:fd path:string", "", "filesystem", "create a directory", "directories"),
    _f("path_filestat_get", "fd:fd flags:lookupflags path:string", "stat:filestat", "filesystem",
       "read a file's metadata by path", "metadata"),
    _f("path_filestat_set_times",
       "fd:fd flags:lookupflags path:string atim:timestamp mtim:timestamp fst_flags:fstflags", "",
       "filesystem", "set a file's timestamps by path", "write"),
    _f("path_link", "old_fd:fd old_flags:lookupflags old_path:string new_fd:fd new_path:string", "",
       "filesystem", "create a hard link", "write"),
    _f("path_open", "fd:fd dirflags:lookupflags path:string oflags:oflags fs_rights_base:rights "
       "fs_rights_inheriting:rights fdflags:fdflags", "opened_fd:fd", "filesystem",
       "open (or create) a file or directory", "read"),
    _f("path_readlink", "fd:fd path:string buf:buffer", "bufused:size", "filesystem",
       "read a symbolic link's target", "read"),
    _f("path_remove_directory", "fd:fd path:string", "", "filesystem", "remove an empty directory",
       "directories"),
    _f("path_rename", "fd:fd old_path:string new_fd:fd new_path:string", "", "filesystem",
       "rename a file or directory", "write"),
    _f("path_symlink", "old_path:string fd:fd new_path:string", "", "filesystem", "create a symbolic link",
       "write"),
    _f("path_unlink_file", "fd:fd path:string", "", "filesystem", "delete a file", "write"),
    _f("poll_oneoff", "in:subscription_array out:event_array nsubscriptions:size", "nevents:size", "polling",
       "wait for clocks or descriptors"),
    _f("proc_exit", "rval:exitcode", "", "process", "end the program with an exit code"),
    _f("proc_raise", "sig:signal", "", "signals", "send a signal to itself"),
    _f("sched_yield", "", "", "process", "let other work run"),
    _f("random_get", "buf:buffer", "", "random", "fill a buffer with random bytes"),
    _f("sock_accept", "fd:fd flags:fdflags", "conn_fd:fd", "sockets", "accept a connection on a socket"),
    _f("sock_recv", "fd:fd ri_data:iovec_array ri_flags:riflags", "nread:size ro_flags:roflags", "sockets",
       "receive from a socket"),
    _f("sock_send", "fd:fd si_data:ciovec_array si_flags:siflags", "nwritten:size", "sockets",
       "send on a socket"),
    _f("sock_shutdown", "fd:fd how:sdflags", "", "sockets", "shut a socket down"),
)

FUNCTIONS: dict[str, WasiFunction] = {f.name: f for f in _FUNCTIONS}

PREVIEW0_FUNCTIONS: frozenset[str] = frozenset(FUNCTIONS) - {"sock_accept"}
"""`wasi_unstable` (preview 0) has the same calls by name, except `sock_accept`, which came later."""

PREVIEW0_DIFFERENCES: dict[str, str] = {
    "fd_seek": "whence numbers differ: preview 0 has cur=0, end=1, set=2; preview 1 has set=0, cur=1, end=2",
    "fd_filestat_get": "filestat.nlink is 32-bit in preview 0 (64-bit in preview 1), so the layout differs",
    "path_filestat_get": "filestat.nlink is 32-bit in preview 0 (64-bit in preview 1), so the layout differs",
    "poll_oneoff": "subscription and event layouts differ "
                   "(preview 0 clock subscriptions carry an identifier)",
    "sock_accept": "absent in preview 0",
}

ERRNO: dict[int, tuple[str, str]] = {
    0: ("success", "no error"), 1: ("2big", "argument list too long"), 2: ("acces", "permission denied"),
    3: ("addrinuse", "address in use"), 4: ("addrnotavail", "address not available"),
    5: ("afnosupport", "address family not supported"), 6: ("again", "try again later"),
    7: ("already", "already in progress"), 8: ("badf", "bad file descriptor"), 9: ("badmsg", "bad message"),
    10: ("busy", "resource busy"), 11: ("canceled", "operation cancelled"), 12: ("child", "no child process"),
    13: ("connaborted", "connection aborted"), 14: ("connrefused", "connection refused"),
    15: ("connreset", "connection reset"), 16: ("deadlk", "would deadlock"),
    17: ("destaddrreq", "destination address required"), 18: ("dom", "argument out of domain"),
    19: ("dquot", "disk quota exceeded"), 20: ("exist", "file exists"), 21: ("fault", "bad address"),
    22: ("fbig", "file too large"), 23: ("hostunreach", "host unreachable"),
    24: ("idrm", "identifier removed"), 25: ("ilseq", "illegal byte sequence"),
    26: ("inprogress", "operation in progress"),
    27: ("intr", "interrupted"), 28: ("inval", "invalid argument"), 29: ("io", "input/output error"),
    30: ("isconn", "socket already connected"), 31: ("isdir", "is a directory"),
    32: ("loop", "too many symbolic links"), 33: ("mfile", "too many open files"),
    34: ("mlink", "too many links"), 35: ("msgsize", "message too large"),
    36: ("multihop", "multihop attempted"),
    37: ("nametoolong", "file name too long"), 38: ("netdown", "network is down"),
    39: ("netreset", "connection reset by network"), 40: ("netunreach", "network unreachable"),
    41: ("nfile", "too many files open in system"), 42: ("nobufs", "no buffer space"),
    43: ("nodev", "no such device"), 44: ("noent", "no such file or directory"),
    45: ("noexec", "not an executable"), 46: ("nolck", "no locks available"), 47: ("nolink", "link severed"),
    48: ("nomem", "out of memory"), 49: ("nomsg", "no message of the desired type"),
    50: ("noprotoopt", "protocol option not available"), 51: ("nospc", "no space left on device"),
    52: ("nosys", "function not supported"), 53: ("notconn", "socket not connected"),
    54: ("notdir", "not a directory"), 55: ("notempty", "directory not empty"),
    56: ("notrecoverable", "state not recoverable"), 57: ("notsock", "not a socket"),
    58: ("notsup", "not supported"), 59: ("notty", "not a terminal"),
    60: ("nxio", "no such device or address"),
    61: ("overflow", "value too large"), 62: ("ownerdead", "previous owner died"),
    63: ("perm", "operation not permitted"), 64: ("pipe", "broken pipe"), 65: ("proto", "protocol error"),
    66: ("protonosupport", "protocol not supported"), 67: ("prototype", "wrong protocol type for socket"),
    68: ("range", "result too large"), 69: ("rofs", "read-only file system"), 70: ("spipe", "invalid seek"),
    71: ("srch", "no such process"), 72: ("stale", "stale file handle"), 73: ("timedout", "timed out"),
    74: ("txtbsy", "text file busy"), 75: ("xdev", "cross-device link"),
    76: ("notcapable", "not allowed: the capability was not granted to this module"),
}


def errno_name(code: int) -> str:
    entry = ERRNO.get(code)
    return entry[0] if entry else f"errno {code}"


def errno_meaning(code: int) -> str:
    entry = ERRNO.get(code)
    return entry[1] if entry else "unknown error number"


def lookup(module: str, name: str) -> WasiFunction | None:
    """The table entry for an import from preview 1 or preview 0, or None when it is not a WASI call."""
    if module == MODULE or (module == PREVIEW0_MODULE and name in PREVIEW0_FUNCTIONS):
        return FUNCTIONS.get(name)
    return None
