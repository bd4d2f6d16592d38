/* hello: the smallest WASI program. Writing to stdout needs no capability beyond the standard streams. */
#include <stdio.h>

int main(void) {
    puts("Hello from WebAssembly!");
    return 0;
}
