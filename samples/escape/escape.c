/* escape: tries every way out of the sandbox and prints what WASI answered. Each attempt is denied:
   `..` cannot climb above a preopen, absolute host paths do not exist for the guest, and a symlink
   whose target lies outside the preopen cannot be followed (even one the module makes itself). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int escaped = 0;

static void try_open(const char *what, const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        printf("ESCAPED  %-44s %s\n", what, path);
        escaped++;
        close(fd);
    } else {
        printf("denied   %-44s %s: %s\n", what, path, strerror(errno));
    }
}

int main(void) {
    try_open("climb out of the preopen with ..", "/sandbox/../../../../etc/passwd");
    try_open("climb out of the current directory", "../../../../etc/passwd");
    try_open("an absolute host path", "/etc/passwd");
    try_open("the host's root", "/");
    try_open("a symlink out of the sandbox (made by host)", "/sandbox/outside/etc/passwd");
    if (symlink("../../../../../../../../etc", "/sandbox/made-by-guest") == 0) {
        try_open("a symlink out of the sandbox (made by guest)", "/sandbox/made-by-guest/passwd");
        unlink("/sandbox/made-by-guest");
    } else {
        printf("denied   %-44s %s: %s\n", "making a symlink out of the sandbox", "/sandbox/made-by-guest",
               strerror(errno));
    }
    printf("%s\n", escaped ? "the sandbox leaked!" : "every attempt was denied");
    return escaped ? 1 : 0;
}
