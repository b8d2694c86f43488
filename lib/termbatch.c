/* Gathering term lookups to make them together (termbatch.h). */
#include "termbatch.h"

#include <stdlib.h>
#include <string.h>

#include "index_impl.h"

void vns_termbatch_init(struct vns_termbatch *b, struct vns_xdb *db)
{
    *b = (struct vns_termbatch){.on = vns_xdb_lookups_batched(db)};
}

void vns_termbatch_add(struct vns_termbatch *b, const char *term, size_t len)
{
    if (!b->on || len == 0)
        return;
    vns_strbuf_put(&b->terms, term, len);
    vns_strbuf_put(&b->terms, "", 1);
    b->n++;
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

    if (b->on && !b->terms.failed && b->n > 0) {
        terms = malloc(b->n * sizeof(*terms));
        lens = malloc(b->n * sizeof(*lens));
    }
    if (terms != NULL && lens != NULL) {
        const char *p = b->terms.p;
        for (size_t i = 0; i < b->n; i++) {
            terms[i] = p;
            lens[i] = strlen(p);
            p += lens[i] + 1;
        }
        rc = vns_xdb_termfreqs_ahead(db, terms, lens, b->n, err);
    }
    /* without memory the lookups are made one by one, as before */
    free(terms);
    free(lens);
    b->terms.len = 0;
    b->terms.failed = 0;
    b->n = 0;
    return rc;
}

void vns_termbatch_fini(struct vns_termbatch *b)
{
    if (b == NULL)
        return;
    free(b->terms.p);
    *b = (struct vns_termbatch){.on = b->on};
}
