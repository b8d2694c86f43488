/* Spans of stored JSON text, without building it: what a hit's JSON
 * copies from the stored metadata (results_json.c) instead of parsing it
 * with jansson and writing it again. The scan accepts a strict subset of
 * JSON, the compact text jansson writes: every text it accepts jansson
 * reads the same; anything else (a damaged index, a form jansson never
 * writes) is refused, and the caller takes jansson's way. */
#ifndef VNSEARCH_LIB_JSONSCAN_H
#define VNSEARCH_LIB_JSONSCAN_H

#include <stddef.h>

struct vns_jspan {
    const char *p; /* NULL: absent */
    size_t n;
};

/* Past the value at *p (before end), checked: strings of valid UTF-8
 * with the usual escapes (no \u escape of a surrogate or of NUL),
 * integers of at most 18 digits, plain decimals, true, false, null,
 * arrays and objects nested at most 32 deep (keys without escapes),
 * spaces between. 1 and *p moved, or 0 when it is not in the subset. */
int vns_jscan_value(const char **p, const char *end);

/* For the object s[0..n) (a whole text: spaces around it allowed), the
 * value of each of keys[0..nk) (its last, as a decoder keeps it) into
 * vals[k]. 0 when s is not an object in the subset. */
int vns_jscan_members(const char *s, size_t n, const char *const *keys,
                      size_t nk, struct vns_jspan *vals);

/* The same for each element of the array s[0..n): fn(element, ctx) in
 * order; 0 when s is not an array in the subset or fn returns 0. */
int vns_jscan_elements(const char *s, size_t n,
                       int (*fn)(struct vns_jspan el, void *ctx), void *ctx);

/* vns_hit_json (results_json.c) the long way: the stored metadata read
 * with jansson and the hit written from the objects; what the copied
 * way must equal, and what it falls back to. For tests. */
struct vns_hit;
char *vns_hit_json_parsed(const struct vns_hit *h);

#endif
