/* env: a WASI program sees only the environment variables the host hands it (environ_get). */
#include <stdio.h>

extern char **environ;

int main(void) {
    int count = 0;
    for (char **entry = environ; *entry != NULL; entry++) {
        puts(*entry);
        count++;
    }
    if (count == 0) {
        puts("(no environment variables: WASI grants none unless the host passes them)");
    }
    return 0;
}
