// Opens one file over and over without closing it, then prints how many opens succeeded and why it stopped.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int want = argc > 1 ? atoi(argv[1]) : 5000;
    int opened = 0;
    for (; opened < want; opened++) {
        if (open("/box/inside.txt", O_RDONLY) < 0) {
            printf("stopped after %d: %s\n", opened, strerror(errno));
            return 0;
        }
    }
    printf("opened %d\n", opened);
    return 0;
}
