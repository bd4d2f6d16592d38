/* flood: writes N MiB to stdout, to show that a host can stream a flood of output without freezing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_LENGTH 64
#define MIB (1024 * 1024)

int main(int argc, char **argv) {
    long mebibytes = argc > 1 ? atol(argv[1]) : 10;
    if (mebibytes < 0) {
        fprintf(stderr, "flood: the size must not be negative\n");
        return 2;
    }
    char line[LINE_LENGTH];
    memset(line, 'x', LINE_LENGTH - 1);
    line[LINE_LENGTH - 1] = '\n';
    long long total = 0;
    for (long i = 0; i < mebibytes * (MIB / LINE_LENGTH); i++) {
        fwrite(line, 1, LINE_LENGTH, stdout);
        total += LINE_LENGTH;
    }
    fflush(stdout);
    fprintf(stderr, "flood: wrote %lld bytes\n", total);
    return 0;
}
