//! random: randomness is a capability (random_get). The host decides where it comes from; this
//! program asks for 16 bytes and rolls ten dice with them. It calls WASI directly through
//! `std.os.wasi`, so every import it has is one you can see in the inspector.
const std = @import("std");
const wasi = std.os.wasi;

fn writeStdout(text: []const u8) void {
    var rest = text;
    while (rest.len > 0) {
        const iov = [_]wasi.ciovec_t{.{ .base = rest.ptr, .len = rest.len }};
        var written: usize = 0;
        if (wasi.fd_write(1, &iov, iov.len, &written) != .SUCCESS) return;
        rest = rest[written..];
    }
}

pub fn main() void {
    var bytes: [16]u8 = undefined;
    if (wasi.random_get(&bytes, bytes.len) != .SUCCESS) {
        writeStdout("random_get failed: the host refused randomness\n");
        wasi.proc_exit(1);
    }

    var buffer: [128]u8 = undefined;
    const hex = std.fmt.bytesToHex(bytes, .lower);
    writeStdout(std.fmt.bufPrint(&buffer, "16 random bytes: {s}\n", .{&hex}) catch unreachable);

    var dice: [10]u8 = undefined;
    for (&dice, bytes[0..10]) |*die, byte| die.* = '1' + byte % 6;
    writeStdout(std.fmt.bufPrint(&buffer, "ten dice: {s}\n", .{&dice}) catch unreachable);
}
