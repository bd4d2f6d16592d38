/* The core module behind typed.wasm: the interface `playground:typed/types` (wit/typed.wit) written
 * against the component model's canonical ABI by hand, with no binding generator.
 *
 * How values cross the boundary (canonical ABI, 32-bit memory):
 *   - strings and lists arrive as (pointer, length) pairs in memory the host filled through
 *     cabi_realloc; the callee owns them and frees them;
 *   - records, tuples and variants are flattened into several parameters;
 *   - a result that flattens to more than one value is written to memory and its address returned;
 *     the host reads it, then calls the matching cabi_post_* export so the guest can free it;
 *   - an exported resource is a pointer ("rep") the host keeps behind a handle ([resource-new]).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IFACE "playground:typed/types@0.1.0"

typedef struct { char *ptr; uint32_t len; } str_t;

__attribute__((import_module("[export]" IFACE), import_name("[resource-new]counter")))
extern int32_t counter_resource_new(int32_t rep);

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align;
    void *p = realloc(old, new_size);
    if (!p) abort();
    return p;
}

/* An empty string or list arrives as (align, 0) without an allocation: only free what was allocated. */
static void release(void *ptr, uint32_t len) {
    if (len) free(ptr);
}

static str_t copy_str(const char *text, size_t len) {
    str_t s = { malloc(len ? len : 1), (uint32_t)len };
    memcpy(s.ptr, text, len);
    return s;
}

/* Returned values live here until the host calls the post-return export. */
static uint8_t ret_area[16] __attribute__((aligned(8)));

EXPORT(IFACE "#greet")
str_t *greet(char *name, uint32_t len) {
    static const char hello[] = "Hello, ";
    str_t *out = (str_t *)ret_area;
    out->len = (uint32_t)(sizeof hello - 1 + len + 1);
    out->ptr = malloc(out->len);
    memcpy(out->ptr, hello, sizeof hello - 1);
    memcpy(out->ptr + sizeof hello - 1, name, len);
    out->ptr[out->len - 1] = '!';
    release(name, len);
    return out;
}

EXPORT("cabi_post_" IFACE "#greet")
void greet_post(str_t *out) { free(out->ptr); }

EXPORT(IFACE "#sum")
int64_t sum(int32_t *values, uint32_t len) {
    int64_t total = 0;
    for (uint32_t i = 0; i < len; i++) total += values[i];
    release(values, len);
    return total;
}

EXPORT(IFACE "#add-points")
int32_t *add_points(int32_t ax, int32_t ay, int32_t bx, int32_t by) {
    int32_t *out = (int32_t *)ret_area;
    out[0] = ax + bx;
    out[1] = ay + by;
    return out;
}

/* shape = circle(f64) | rectangle(point) | empty, flattened to (case, i64 joined payload, i32). */
enum { SHAPE_CIRCLE, SHAPE_RECTANGLE, SHAPE_EMPTY };

static double bits_to_f64(int64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

EXPORT(IFACE "#area")
double area(int32_t tag, int64_t a, int32_t b) {
    if (tag == SHAPE_CIRCLE) {
        double r = bits_to_f64(a);
        return 3.141592653589793 * r * r;
    }
    if (tag == SHAPE_RECTANGLE) {
        double w = (int32_t)a, h = b;
        return w * h < 0 ? -(w * h) : w * h;
    }
    return 0.0;
}

EXPORT(IFACE "#mirror")
uint8_t *mirror(int32_t tag, int64_t a, int32_t b) {
    memset(ret_area, 0, sizeof ret_area);
    ret_area[0] = (uint8_t)tag;
    if (tag == SHAPE_CIRCLE) {
        memcpy(ret_area + 8, &a, 8);
    } else if (tag == SHAPE_RECTANGLE) {
        int32_t swapped[2] = { b, (int32_t)a };
        memcpy(ret_area + 8, swapped, 8);
    }
    return ret_area;
}

EXPORT(IFACE "#next-color")
int32_t next_color(int32_t color) { return (color + 1) % 3; }

EXPORT(IFACE "#invert")
int32_t invert(int32_t permissions) { return ~permissions & 0x7; }

EXPORT(IFACE "#find")
uint8_t *find(uint32_t *values, uint32_t len, uint32_t target) {
    memset(ret_area, 0, 8);
    for (uint32_t i = 0; i < len; i++) {
        if (values[i] == target) {
            ret_area[0] = 1;
            memcpy(ret_area + 4, &i, 4);
            break;
        }
    }
    release(values, len);
    return ret_area;
}

EXPORT(IFACE "#divide")
uint8_t *divide(int32_t a, int32_t b) {
    memset(ret_area, 0, 12);
    if (b == 0 || (a == INT32_MIN && b == -1)) {
        static const char message[] = "division by zero";
        const char *text = b == 0 ? message : "overflow";
        str_t s = copy_str(text, strlen(text));
        ret_area[0] = 1;
        memcpy(ret_area + 4, &s, sizeof s);
    } else {
        int32_t q = a / b;
        memcpy(ret_area + 4, &q, 4);
    }
    return ret_area;
}

EXPORT("cabi_post_" IFACE "#divide")
void divide_post(uint8_t *out) {
    if (out[0] == 1) free(((str_t *)(out + 4))->ptr);
}

EXPORT(IFACE "#swap")
uint8_t *swap(char *text, uint32_t len, uint32_t number) {
    memcpy(ret_area, &number, 4);
    str_t s = { text, len }; /* hand the argument's buffer back; freed in post-return */
    memcpy(ret_area + 4, &s, sizeof s);
    return ret_area;
}

EXPORT("cabi_post_" IFACE "#swap")
void swap_post(uint8_t *out) {
    str_t *s = (str_t *)(out + 4);
    release(s->ptr, s->len);
}

static size_t append(char *dst, size_t at, const char *src, size_t len) {
    memcpy(dst + at, src, len);
    return at + len;
}

EXPORT(IFACE "#describe")
str_t *describe(char *name, uint32_t name_len, int32_t age, str_t *tags, uint32_t tag_count) {
    size_t cap = name_len + 32;
    for (uint32_t i = 0; i < tag_count; i++) cap += tags[i].len + 2;
    char *buf = malloc(cap);
    size_t n = append(buf, 0, name, name_len);
    char digits[8];
    int d = 0;
    unsigned v = (unsigned)(age & 0xff);
    do { digits[d++] = (char)('0' + v % 10); v /= 10; } while (v);
    n = append(buf, n, " (", 2);
    while (d) buf[n++] = digits[--d];
    n = append(buf, n, ") [", 3);
    for (uint32_t i = 0; i < tag_count; i++) {
        if (i) n = append(buf, n, ", ", 2);
        n = append(buf, n, tags[i].ptr, tags[i].len);
        release(tags[i].ptr, tags[i].len);
    }
    n = append(buf, n, "]", 1);
    release(tags, tag_count);
    release(name, name_len);
    str_t *out = (str_t *)ret_area;
    out->ptr = buf;
    out->len = (uint32_t)n;
    return out;
}

EXPORT("cabi_post_" IFACE "#describe")
void describe_post(str_t *out) { free(out->ptr); }

EXPORT(IFACE "#upper")
int32_t upper(int32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7)) return c - 32;
    return c;
}

EXPORT(IFACE "#negate")
int32_t negate(int32_t b) { return !b; }

EXPORT(IFACE "#scale")
float scale(float v, float by) { return v * by; }

/* resource counter: the rep is a pointer to this struct. */
typedef struct { int64_t value; } counter_t;

EXPORT(IFACE "#[constructor]counter")
int32_t counter_new(int64_t start) {
    counter_t *c = malloc(sizeof *c);
    c->value = start;
    return counter_resource_new((int32_t)(intptr_t)c);
}

EXPORT(IFACE "#[method]counter.increment")
int64_t counter_increment(counter_t *self) { return ++self->value; }

EXPORT(IFACE "#[method]counter.value")
int64_t counter_value(counter_t *self) { return self->value; }

EXPORT(IFACE "#[dtor]counter")
void counter_dtor(counter_t *self) { free(self); }
