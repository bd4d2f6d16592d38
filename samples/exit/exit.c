/* exit: the exit code is the one thing a WASI command reports back besides its output (proc_exit). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with code %d\n", code);
    fflush(stdout);
    exit(code);
}
