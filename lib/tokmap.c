/* Token checkpoints: building the value at indexing, reading it back for
 * snippets (tokmap.h). */
#include "tokmap.h"

#include <stdlib.h>
#include <string.h>

#include "leb128.h"

static int put(struct vns_tokmap_builder *b, uint8_t c, struct vns_err *err)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *v = realloc(b->buf, cap);
        if (v == NULL)
            return vns_err_set(err, VNS_ENOMEM, "tokmap: out of memory");
        b->buf = v;
        b->cap = cap;
    }
    b->buf[b->n++] = (char)c;
    return VNS_OK;
}

int vns_tokmap_add(struct vns_tokmap_builder *b, uint32_t pos, size_t off,
                   struct vns_err *err)
{
    unsigned char num[10];
    size_t nb;
    int rc = VNS_OK;

    if (pos != b->next || off < b->last || off > UINT32_MAX)
        return VNS_OK;
    if (b->n == 0)
        rc = put(b, VNS_TOKMAP_STEP, err);
    nb = vns_leb128_put(num, off - b->last);
    for (size_t i = 0; rc == VNS_OK && i < nb; i++)
        rc = put(b, num[i], err);
    if (rc == VNS_OK) {
        b->last = off;
        b->next += VNS_TOKMAP_STEP;
    }
    return rc;
}

void vns_tokmap_fini(struct vns_tokmap_builder *b)
{
    if (b == NULL)
        return;
    free(b->buf);
    *b = (struct vns_tokmap_builder){0};
}

int vns_tokmap_read(const char *v, size_t n, size_t len, uint32_t **offs,
                    size_t *count, unsigned *step, struct vns_err *err)
{
    const uint8_t *p = (const uint8_t *)v, *end = p + n;
    uint32_t *o = NULL;
    size_t m = 0, at = 0;

    if (n < 2 || p[0] == 0)
        return vns_err_set(err, VNS_EINDEX, "token checkpoints: damaged");
    o = malloc(sizeof(*o) * (n - 1)); /* at most one a byte */
    if (o == NULL)
        return vns_err_set(err, VNS_ENOMEM, "tokmap: out of memory");
    *step = p[0];
    for (p++; p < end;) {
        uint32_t d = 0;
        if (!vns_leb128_get(&p, end, &d) || at + d >= len) {
            free(o);
            return vns_err_set(err, VNS_EINDEX, "token checkpoints: damaged");
        }
        at += (size_t)d;
        o[m++] = (uint32_t)at;
    }
    *offs = o;
    *count = m;
    return VNS_OK;
}
