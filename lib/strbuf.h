/* A growing text with a failure flag: append freely, check once at the
 * end. For JSON and HTML responses; the ceiling is the caller's. */
#ifndef VNSEARCH_LIB_STRBUF_H
#define VNSEARCH_LIB_STRBUF_H

#include <stddef.h>

#include "vnsearch/err.h"

struct vns_strbuf {
    char *p; /* NUL-terminated, malloc'd: the caller frees it */
    size_t len, cap;
    int failed; /* an allocation or a format failed: p is incomplete */
};

void vns_strbuf_put(struct vns_strbuf *b, const char *s, size_t n);
/* s NULL marks the buffer failed (a lost allocation upstream). */
void vns_strbuf_puts(struct vns_strbuf *b, const char *s);
void vns_strbuf_putf(struct vns_strbuf *b, const char *fmt, ...)
    VNS_PRINTF(2, 3);

#endif
