/* Gathering term lookups to make them together (termbatch.h). */
#include "termbatch.h"

#include <stdlib.h>
#include <string.h>

#include "index_impl.h"

void vns_termbatch_init(struct vns_termbatch *b, struct vns_xdb *db)
{
    *b = (struct vns_termbatch){.on = vns_xdb_lookups_remote(db)};
}

void vns_termbatch_add(struct vns_termbatch *b, const char *term, size_t len)
{
    if (!b->on || b->failed || len == 0)
        return;
    if (b->used + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->used + len + 1)
            cap *= 2;
        char *v = realloc(b->buf, cap);
        if (v == NULL) {
            b->failed = 1;
            return;
        }
        b->buf = v;
        b->cap = cap;
    }
    if (b->n == b->ncap) {
        size_t ncap = b->ncap ? b->ncap * 2 : 256;
        size_t *a = realloc(b->at, ncap * sizeof(*a));
        if (a == NULL) {
            b->failed = 1;
            return;
        }
        b->at = a;
        b->ncap = ncap;
    }
    memcpy(b->buf + b->used, term, len);
    b->buf[b->used + len] = '\0';
    b->at[b->n++] = b->used;
    b->used += len + 1;
}

void vns_termbatch_add_pair(struct vns_termbatch *b, const char *prefix,
                            const char *x, const char *y)
{
    char t[VNS_PAIR_MAX + 2];
    size_t n;

    if (!b->on)
        return;
    n = vns_pair_term(t, sizeof(t), prefix, x, y);
    if (n > 0)
        vns_termbatch_add(b, t, n);
}

int vns_termbatch_fetch(struct vns_termbatch *b, struct vns_xdb *db,
                        struct vns_err *err)
{
    const char **terms = NULL;
    size_t *lens = NULL;
    int rc = VNS_OK;

    if (b->on && !b->failed && b->n > 0) {
        terms = malloc(b->n * sizeof(*terms));
        lens = malloc(b->n * sizeof(*lens));
    }
    if (terms != NULL && lens != NULL) {
        for (size_t i = 0; i < b->n; i++) {
            terms[i] = b->buf + b->at[i];
            lens[i] = strlen(terms[i]);
        }
        rc = vns_xdb_termfreqs_ahead(db, terms, lens, b->n, err);
    }
    /* without memory the lookups are made one by one, as before */
    free(terms);
    free(lens);
    b->used = b->n = 0;
    b->failed = 0;
    return rc;
}

void vns_termbatch_fini(struct vns_termbatch *b)
{
    if (b == NULL)
        return;
    free(b->buf);
    free(b->at);
    *b = (struct vns_termbatch){.on = b->on};
}
