/* A small WASI command the runner tests drive: the first argument picks what it does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("write failed: %s\n", strerror(errno));
        return 1;
    }
    fputs(text, f);
    fclose(f);
    printf("wrote %s\n", path);
    return 0;
}

static int read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("read failed: %s\n", strerror(errno));
        return 1;
    }
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: probe COMMAND\n"); return 64; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "args")) {
        for (int i = 0; i < argc; i++) printf("%d=%s\n", i, argv[i]);
    } else if (!strcmp(cmd, "env")) {
        for (char **e = environ; *e; e++) printf("%s\n", *e);
    } else if (!strcmp(cmd, "read") && argc > 2) {
        return read_file(argv[2]);
    } else if (!strcmp(cmd, "write") && argc > 3) {
        return write_file(argv[2], argv[3]);
    } else if (!strcmp(cmd, "stdin")) {
        int c, n = 0;
        while ((c = getchar()) != EOF) { putchar(c >= 'a' && c <= 'z' ? c - 32 : c); n++; }
        fprintf(stderr, "read %d bytes\n", n);
    } else if (!strcmp(cmd, "exit") && argc > 2) {
        printf("exiting\n");
        fflush(stdout);
        exit(atoi(argv[2]));
    } else if (!strcmp(cmd, "spin")) {
        volatile unsigned long x = 0;
        for (;;) x++;
    } else if (!strcmp(cmd, "count") && argc > 2) {
        unsigned long n = strtoul(argv[2], 0, 10), acc = 0;
        for (unsigned long i = 0; i < n; i++) acc = acc * 6364136223846793005UL + i;
        printf("%lu\n", acc);
    } else {
        fprintf(stderr, "unknown command %s\n", cmd);
        return 64;
    }
    return 0;
}
