/* A checking scan over JSON text (jsonscan.h): the strict subset that
 * jansson writes, nothing built. */
#include "jsonscan.h"

#include <string.h>

#include "utf8.h"

#define MAX_DEPTH 32
/* integers past 18 digits may not fit jansson's json_int_t */
#define MAX_INT_DIGITS 18
/* a decimal longer than this is refused (jansson's strtod never
 * overflows below it) */
#define MAX_NUMBER 24

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Past the string at *p ('"'); *escaped set when it holds an escape. */
static int scan_string(const char **pp, const char *end, int *escaped)
{
    const unsigned char *p = (const unsigned char *)*pp + 1,
                        *e = (const unsigned char *)end;

    *escaped = 0;
    while (p < e) {
        unsigned char c = *p;
        if (c == '"') {
            *pp = (const char *)p + 1;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            *escaped = 1;
            if (e - p < 2)
                return 0;
            c = p[1];
            if (c == 'u') {
                int v = 0;
                if (e - p < 6)
                    return 0;
                for (int i = 2; i < 6; i++) {
                    int h = vns_hexval((char)p[i]);
                    if (h < 0)
                        return 0;
                    v = v * 16 + h;
                }
                if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
                    return 0; /* NUL, or half of a pair: jansson's way */
                p += 6;
            } else if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
                p += 2;
            } else {
                return 0;
            }
            continue;
        }
        size_t n = vns_utf8_len(p, (size_t)(e - p));
        if (n == 0)
            return 0;
        p += n;
    }
    return 0;
}

static int scan_number(const char **pp, const char *end)
{
    const char *p = *pp, *start = p;
    size_t digits = 0;

    if (p < end && *p == '-')
        p++;
    if (p >= end || *p < '0' || *p > '9')
        return 0;
    if (*p == '0') {
        p++;
        digits = 1;
    } else {
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            digits++;
    }
    if (p < end && *p == '.') {
        const char *f = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == f)
            return 0;
    } else if (digits > MAX_INT_DIGITS) {
        return 0;
    }
    if (p < end && (*p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
        return 0; /* an exponent (refused), or "01" */
    if ((size_t)(p - start) > MAX_NUMBER)
        return 0;
    *pp = p;
    return 1;
}

static int scan_literal(const char **pp, const char *end, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(end - *pp) < n || memcmp(*pp, word, n) != 0)
        return 0;
    *pp += n;
    return 1;
}

static int scan(const char **pp, const char *end, int depth);

/* Past the object or array at *p; each member's key and value (an
 * object's) or each element (an array's, key.p NULL) to fn. */
typedef int (*member_fn)(struct vns_jspan key, struct vns_jspan val, void *ctx);
static int scan_container(const char **pp, const char *end, int depth,
                          member_fn fn, void *ctx)
{
    const char *p = *pp;
    char close = *p == '{' ? '}' : ']';
    int object = *p == '{';

    if (depth >= MAX_DEPTH)
        return 0;
    p = skip_ws(p + 1, end);
    if (p < end && *p == close) {
        *pp = p + 1;
        return 1;
    }
    for (;;) {
        struct vns_jspan key = {NULL, 0}, val;
        if (object) {
            int escaped;
            const char *k = p;
            if (p >= end || *p != '"' || !scan_string(&p, end, &escaped) ||
                escaped)
                return 0; /* keys compare as written: no escapes */
            key = (struct vns_jspan){k + 1, (size_t)(p - k) - 2};
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                return 0;
            p = skip_ws(p + 1, end);
        }
        val.p = p;
        if (!scan(&p, end, depth + 1))
            return 0;
        val.n = (size_t)(p - val.p);
        if (fn != NULL && !fn(key, val, ctx))
            return 0;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == close) {
            *pp = p + 1;
            return 1;
        }
        return 0;
    }
}

static int scan(const char **pp, const char *end, int depth)
{
    int escaped;

    if (*pp >= end)
        return 0;
    switch (**pp) {
    case '"':
        return scan_string(pp, end, &escaped);
    case '{':
    case '[':
        return scan_container(pp, end, depth, NULL, NULL);
    case 't':
        return scan_literal(pp, end, "true");
    case 'f':
        return scan_literal(pp, end, "false");
    case 'n':
        return scan_literal(pp, end, "null");
    default:
        return scan_number(pp, end);
    }
}

int vns_jscan_value(const char **p, const char *end)
{
    return scan(p, end, 0);
}

/* A whole text: one container of the kind wanted, spaces around it. */
static int whole(const char *s, size_t n, char open, member_fn fn, void *ctx)
{
    const char *p = skip_ws(s, s + n), *end = s + n;

    if (p >= end || *p != open || !scan_container(&p, end, 0, fn, ctx))
        return 0;
    return skip_ws(p, end) == end;
}

struct members {
    const char *const *keys;
    size_t nk;
    struct vns_jspan *vals;
};

static int on_member(struct vns_jspan key, struct vns_jspan val, void *ctx)
{
    struct members *m = ctx;

    for (size_t k = 0; k < m->nk; k++)
        if (strlen(m->keys[k]) == key.n &&
            memcmp(m->keys[k], key.p, key.n) == 0)
            m->vals[k] = val; /* the last one stands */
    return 1;
}

int vns_jscan_members(const char *s, size_t n, const char *const *keys,
                      size_t nk, struct vns_jspan *vals)
{
    struct members m = {keys, nk, vals};

    for (size_t k = 0; k < nk; k++)
        vals[k] = (struct vns_jspan){NULL, 0};
    return whole(s, n, '{', on_member, &m);
}

struct elements {
    int (*fn)(struct vns_jspan el, void *ctx);
    void *ctx;
};

static int on_element(struct vns_jspan key, struct vns_jspan val, void *ctx)
{
    struct elements *e = ctx;

    (void)key;
    return e->fn(val, e->ctx);
}

int vns_jscan_elements(const char *s, size_t n,
                       int (*fn)(struct vns_jspan el, void *ctx), void *ctx)
{
    struct elements e = {fn, ctx};

    return whole(s, n, '[', on_element, &e);
}
