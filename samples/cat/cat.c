/* cat: reading a file needs a preopened directory; without one, every path is outside the sandbox. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int cat_file(const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        int err = errno;
        fprintf(stderr, "cat: cannot open %s: %s\n", path, strerror(err));
        if (err == ENOENT || err == ENOTCAPABLE) {
            fprintf(stderr, "cat: hint: is a directory containing it preopened (granted) to the module?\n");
        }
        return 1;
    }
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) {
        fwrite(buffer, 1, n, stdout);
    }
    fclose(file);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: cat FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        status |= cat_file(argv[i]);
    }
    return status;
}
