/* grow: linear memory grows on request (memory.grow) until the host's memory limit refuses. */
#include <stdio.h>

#define PAGE_SIZE 65536
#define STEP_PAGES 16 /* 1 MiB */

int main(void) {
    unsigned long start_pages = __builtin_wasm_memory_size(0);
    printf("memory starts at %lu KiB\n", start_pages * PAGE_SIZE / 1024);
    unsigned long grown = 0;
    for (;;) {
        if (__builtin_wasm_memory_grow(0, STEP_PAGES) == (unsigned long)-1) {
            break;
        }
        grown += STEP_PAGES;
        if (grown % (16 * STEP_PAGES) == 0) {
            printf("grown by %lu MiB\n", grown * PAGE_SIZE / (1024 * 1024));
        }
    }
    unsigned long total_kib = __builtin_wasm_memory_size(0) * PAGE_SIZE / 1024;
    printf("memory.grow refused after growing by %lu MiB; memory is %lu KiB\n",
           grown * PAGE_SIZE / (1024 * 1024), total_kib);
    return 0;
}
