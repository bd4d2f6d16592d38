/* clocks: wall-clock and monotonic time are capabilities too (clock_time_get, poll_oneoff to sleep). */
#include <stdio.h>
#include <time.h>

static double seconds(const struct timespec *t) {
    return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

int main(void) {
    struct timespec wall, resolution, before, after;
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_getres(CLOCK_MONOTONIC, &resolution);
    char date[64];
    time_t now = wall.tv_sec;
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    printf("wall clock: %s\n", date);
    printf("monotonic clock resolution: %ld ns\n", (long)resolution.tv_nsec);

    clock_gettime(CLOCK_MONOTONIC, &before);
    struct timespec nap = {0, 50 * 1000 * 1000};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &after);
    printf("asked to sleep 50 ms, slept %.1f ms\n", (seconds(&after) - seconds(&before)) * 1000.0);
    return 0;
}
