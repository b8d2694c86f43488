/* Document ids by Xapian document id (idcache.h). */
#include "idcache.h"

#include <stdlib.h>
#include <string.h>

#include "index_impl.h"

struct vns_idcache {
    size_t *at; /* by docid: offset + 1 into text, 0 when none */
    size_t nat; /* docids covered */
    char *text; /* the ids, NUL-terminated, one after another */
    size_t len, cap;
    int failed;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 1024;
    void *q;

    while (n < need)
        n *= 2;
    if (n == *cap)
        return 0;
    q = realloc(*p, n * size);
    if (q == NULL)
        return -1;
    if (size == sizeof(size_t)) /* the docid table: new entries are "none" */
        memset((size_t *)q + *cap, 0, (n - *cap) * size);
    *p = q;
    *cap = n;
    return 0;
}

static int take(uint32_t docid, const char *val, size_t len, void *arg)
{
    struct vns_idcache *c = arg;

    if (grow((void **)&c->at, &c->nat, (size_t)docid + 1, sizeof(size_t)) ||
        grow((void **)&c->text, &c->cap, c->len + len + 1, 1)) {
        c->failed = 1;
        return 1;
    }
    memcpy(c->text + c->len, val, len);
    c->text[c->len + len] = '\0';
    c->at[docid] = c->len + 1;
    c->len += len + 1;
    return 0;
}

int vns_idcache_new(struct vns_xdb *db, struct vns_idcache **out,
                    struct vns_err *err)
{
    struct vns_idcache *c = calloc(1, sizeof(*c));
    int rc;

    if (c == NULL)
        return vns_err_set(err, VNS_ENOMEM, "ids: out of memory");
    rc = vns_xdb_values(db, VNS_SLOT_ID, take, c, err);
    if (c->failed)
        rc = vns_err_set(err, VNS_ENOMEM, "ids: out of memory");
    if (rc != VNS_OK) {
        vns_idcache_free(c);
        return rc;
    }
    *out = c;
    return VNS_OK;
}

void vns_idcache_free(struct vns_idcache *c)
{
    if (c == NULL)
        return;
    free(c->at);
    free(c->text);
    free(c);
}

const char *vns_idcache_get(const struct vns_idcache *c, uint32_t docid)
{
    if (c == NULL || docid >= c->nat || c->at[docid] == 0)
        return NULL;
    return c->text + c->at[docid] - 1;
}
