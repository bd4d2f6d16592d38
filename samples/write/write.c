/* write: creating a file needs a preopened directory that is writable; a read-only preopen refuses. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/out/note.txt";
    const char *text = argc > 2 ? argv[2] : "written from inside the sandbox\n";
    FILE *file = fopen(path, "w");
    if (file == NULL) {
        fprintf(stderr, "write: cannot create %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t length = strlen(text);
    if (fwrite(text, 1, length, file) != length || fclose(file) != 0) {
        fprintf(stderr, "write: writing %s failed: %s\n", path, strerror(errno));
        return 1;
    }
    printf("wrote %zu bytes to %s\n", length, path);
    return 0;
}
