/* Query-tree arena: everything a search's tree needs lives in chunks
 * freed at once, so building never frees piecemeal. */
#include "qtree.h"

#include <stdlib.h>
#include <string.h>

/* Memory comes in chunks; a tree rarely needs more than the first. */
#define CHUNK (64u * 1024)

struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char mem[];
};

struct vns_qtree {
    struct chunk *head;
    int failed;
    struct vns_xq nothing;
};

struct vns_qtree *vns_qtree_new(void)
{
    struct vns_qtree *t = calloc(1, sizeof(*t));

    if (t != NULL)
        t->nothing.op = VNS_XQ_NOTHING;
    return t;
}

void vns_qtree_free(struct vns_qtree *t)
{
    if (t == NULL)
        return;
    for (struct chunk *c = t->head, *n; c != NULL; c = n) {
        n = c->next;
        free(c);
    }
    free(t);
}

int vns_qtree_failed(const struct vns_qtree *t)
{
    return t->failed;
}

static void *alloc(struct vns_qtree *t, size_t n)
{
    struct chunk *c = t->head;

    n = (n + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > CHUNK ? n : CHUNK;
        c = malloc(sizeof(*c) + cap);
        if (c == NULL) {
            t->failed = 1;
            return NULL;
        }
        c->next = t->head;
        c->used = 0;
        c->cap = cap;
        t->head = c;
    }
    c->used += n;
    return c->mem + c->used - n;
}

static struct vns_xq *node(struct vns_qtree *t, enum vns_xop op)
{
    struct vns_xq *x = alloc(t, sizeof(*x));

    if (x == NULL)
        return NULL;
    memset(x, 0, sizeof(*x));
    x->op = op;
    return x;
}

const struct vns_xq *vns_qtree_leaf(struct vns_qtree *t, enum vns_xop op)
{
    struct vns_xq *x = node(t, op);

    return x ? x : &t->nothing;
}

const struct vns_xq *vns_qtree_term(struct vns_qtree *t, const char *prefix,
                                    const char *s)
{
    size_t pl = strlen(prefix), sl = strlen(s);
    struct vns_xq *x = node(t, VNS_XQ_TERM);
    char *str = alloc(t, pl + sl + 1);

    if (x == NULL || str == NULL)
        return &t->nothing;
    memcpy(str, prefix, pl);
    memcpy(str + pl, s, sl + 1);
    x->term = str;
    x->term_len = pl + sl;
    return x;
}

const struct vns_xq *vns_qtree_join(struct vns_qtree *t, enum vns_xop op,
                                    const struct vns_xq *const *list, size_t n,
                                    uint32_t window)
{
    struct vns_xq *x;
    const struct vns_xq **kids;

    if (n == 1 && op != VNS_XQ_PHRASE)
        return list[0];
    x = node(t, op);
    kids = alloc(t, n * sizeof(*kids));
    if (x == NULL || kids == NULL)
        return &t->nothing;
    memcpy(kids, list, n * sizeof(*kids));
    x->kids = kids;
    x->nkids = n;
    x->window = window;
    return x;
}

static const char *copy(struct vns_qtree *t, const char *s)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = alloc(t, strlen(s) + 1);
    if (d != NULL)
        strcpy(d, s);
    return d;
}

const struct vns_xq *vns_qtree_range(struct vns_qtree *t, unsigned slot,
                                     const char *lo, const char *hi)
{
    struct vns_xq *x = node(t, VNS_XQ_VALUE_RANGE);

    if (x == NULL)
        return &t->nothing;
    x->slot = slot;
    x->lo = copy(t, lo);
    x->hi = copy(t, hi);
    if ((lo && !x->lo) || (hi && !x->hi))
        return &t->nothing;
    return x;
}

const struct vns_xq *vns_qtree_scale(struct vns_qtree *t,
                                     const struct vns_xq *q, double scale)
{
    struct vns_xq *x = node(t, VNS_XQ_SCALE);
    const struct vns_xq **kids = alloc(t, sizeof(*kids));

    if (x == NULL || kids == NULL)
        return &t->nothing;
    kids[0] = q;
    x->kids = kids;
    x->nkids = 1;
    x->scale = scale;
    return x;
}
