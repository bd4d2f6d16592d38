/* wagi: an HTTP handler in the CGI style used by WAGI. The request arrives as environment variables
   (REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_* headers) and the body on stdin; the response is
   headers, a blank line and the body on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value != NULL ? value : fallback;
}

int main(void) {
    printf("Content-Type: text/plain; charset=utf-8\n");
    printf("X-Handled-By: wagi sample\n");
    printf("\n");
    printf("method: %s\n", env_or("REQUEST_METHOD", "(none)"));
    printf("path: %s\n", env_or("PATH_INFO", "(none)"));
    printf("query: %s\n", env_or("QUERY_STRING", ""));
    for (char **entry = environ; *entry != NULL; entry++) {
        if (strncmp(*entry, "HTTP_", 5) == 0) {
            printf("header: %s\n", *entry + 5);
        }
    }
    long limit = atol(env_or("CONTENT_LENGTH", "-1"));
    long length = 0;
    printf("body: ");
    int c;
    while ((limit < 0 || length < limit) && (c = getchar()) != EOF) {
        putchar(c);
        length++;
    }
    printf("\nbody length: %ld\n", length);
    return 0;
}
