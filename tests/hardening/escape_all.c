// Tries every way out of the sandbox it knows and prints what WASI answered for each.
// Preopens expected: /box (read-write, holds "inside.txt") and /other (read-write, empty).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void report(const char *what, int rc) {
    printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ALLOWED");
}

static int try_read(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) close(fd);
    return fd;
}

int main(void) {
    report("dotdot", try_read("/box/../secret.txt"));
    report("deep-dotdot", try_read("/box/a/../../secret.txt"));
    report("absolute", try_read("/etc/passwd"));
    report("symlink-out", try_read("/box/link-out"));
    report("new-symlink", symlink("/etc/passwd", "/box/evil") == 0 ? try_read("/box/evil") : -1);
    report("hardlink-out", link("/box/../secret.txt", "/box/stolen"));
    report("hardlink-in-to-out", link("/box/inside.txt", "/box/../planted.txt"));
    report("rename-out", rename("/box/inside.txt", "/box/../moved.txt"));
    int across = rename("/box/inside.txt", "/other/inside.txt");
    report("rename-across-preopens", across);
    if (across == 0) rename("/other/inside.txt", "/box/inside.txt");
    return 0;
}
