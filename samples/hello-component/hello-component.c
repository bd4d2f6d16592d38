/* hello-component: the hello program wrapped as a WASI 0.2 command component (wasi:cli/run). */
#include <stdio.h>

int main(void) {
    puts("Hello from a WASI 0.2 component!");
    return 0;
}
