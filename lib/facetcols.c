/* Facet columns (facetcols.h): codes by document id, a dictionary of
 * values per facet, and the counting of one match. */
#include "facetcols.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* codes are uint16_t, 0 for "no value" */
#define MAX_VALUES 65535u

struct dict {
    char **values; /* by code - 1 */
    size_t n, cap;
    uint32_t *slots; /* open addressing: code, 0 for empty */
    size_t nslots;   /* a power of two, at least twice n */
};

struct vns_facetcols {
    size_t nf;
    uint16_t *codes; /* ndocs rows of nf codes, by docid */
    size_t ndocs;    /* docids covered: 0 .. ndocs - 1 */
    struct dict dict[VNS_NFACETS];
    size_t base[VNS_NFACETS + 1]; /* facet f's counts start at base[f] */
    uint64_t rev;
};

static int dict_grow(struct dict *d)
{
    size_t ns = d->nslots ? d->nslots * 2 : 64;
    uint32_t *slots = calloc(ns, sizeof(*slots));

    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        const char *v = d->values[i];
        size_t k = (size_t)vns_hash64(v, strlen(v), 0) & (ns - 1);
        while (slots[k] != 0)
            k = (k + 1) & (ns - 1);
        slots[k] = (uint32_t)(i + 1);
    }
    free(d->slots);
    d->slots = slots;
    d->nslots = ns;
    return 0;
}

/* The code of val in d, added when new; 0 when out of memory or codes. */
static uint16_t dict_code(struct dict *d, const char *val, size_t len)
{
    size_t k;
    char *copy;

    if (2 * (d->n + 1) > d->nslots && dict_grow(d) != 0)
        return 0;
    k = (size_t)vns_hash64(val, len, 0) & (d->nslots - 1);
    for (; d->slots[k] != 0; k = (k + 1) & (d->nslots - 1)) {
        const char *v = d->values[d->slots[k] - 1];
        if (strncmp(v, val, len) == 0 && v[len] == '\0')
            return (uint16_t)d->slots[k];
    }
    if (d->n == MAX_VALUES)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        char **v = realloc(d->values, cap * sizeof(*v));
        if (v == NULL)
            return 0;
        d->values = v;
        d->cap = cap;
    }
    copy = malloc(len + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, val, len);
    copy[len] = '\0';
    d->values[d->n++] = copy;
    d->slots[k] = (uint32_t)d->n;
    return (uint16_t)d->n;
}

struct loading {
    struct vns_facetcols *c;
    size_t f;
    size_t cap; /* rows allocated */
    int rc;
};

static int take(uint32_t docid, const char *val, size_t len, void *arg)
{
    struct loading *l = arg;
    struct vns_facetcols *c = l->c;
    uint16_t code;

    if (len == 0 || memchr(val, '\0', len) != NULL)
        return 0; /* no value; a NUL is no facet value of ours */
    if ((size_t)docid >= l->cap) {
        size_t cap = l->cap ? l->cap : 1024;
        uint16_t *p;
        while (cap <= (size_t)docid)
            cap *= 2;
        p = realloc(c->codes, cap * c->nf * sizeof(*p));
        if (p == NULL) {
            l->rc = VNS_ENOMEM;
            return 1;
        }
        memset(p + l->cap * c->nf, 0, (cap - l->cap) * c->nf * sizeof(*p));
        c->codes = p;
        l->cap = cap;
    }
    if ((size_t)docid >= c->ndocs)
        c->ndocs = (size_t)docid + 1;
    code = dict_code(&c->dict[l->f], val, len);
    if (code == 0) {
        l->rc = c->dict[l->f].n == MAX_VALUES ? VNS_ETOOBIG : VNS_ENOMEM;
        return 1;
    }
    c->codes[(size_t)docid * c->nf + l->f] = code;
    return 0;
}

int vns_facetcols_new(struct vns_xdb *db, const unsigned *slots, size_t n,
                      struct vns_facetcols **out, struct vns_err *err)
{
    struct vns_facetcols *c = calloc(1, sizeof(*c));
    struct loading l = {c, 0, 0, VNS_OK};
    uint32_t last = 0;
    uint64_t rev = 0;
    int rc = VNS_OK;

    if (c == NULL)
        return vns_err_set(err, VNS_ENOMEM, "facets: out of memory");
    if (n == 0 || n > VNS_NFACETS) {
        rc = vns_err_set(err, VNS_EINVAL, "facets: %zu slots", n);
        goto out;
    }
    c->nf = n;
    rc = vns_xdb_revision(db, &c->rev, err);
    if (rc == VNS_OK)
        rc = vns_xdb_lastdocid(db, &last, err);
    if (rc != VNS_OK)
        goto out;
    /* every document has a row, even one without any facet value */
    l.cap = (size_t)last + 1;
    c->ndocs = l.cap;
    c->codes = calloc(l.cap * n, sizeof(*c->codes));
    if (c->codes == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "facets: out of memory");
        goto out;
    }
    for (l.f = 0; l.f < n; l.f++) {
        rc = vns_xdb_values(db, slots[l.f], take, &l, err);
        if (rc < 0)
            goto out;
        if (l.rc != VNS_OK) { /* take() stopped the stream */
            rc = l.rc == VNS_ETOOBIG
                     ? vns_err_set(err, l.rc,
                                   "facets: slot %u holds more than "
                                   "%u values",
                                   slots[l.f], MAX_VALUES)
                     : vns_err_set(err, l.rc, "facets: out of memory");
            goto out;
        }
    }
    /* the reader moved on meanwhile (Xapian reopens a reader left too far
     * behind): the columns may mix two revisions */
    rc = vns_xdb_revision(db, &rev, err);
    if (rc == VNS_OK && rev != c->rev)
        rc = vns_err_set(err, VNS_EINDEX, "facets: the index moved on");
    if (rc != VNS_OK)
        goto out;
    for (size_t f = 0; f < n; f++) /* code 0 counted too, never shown */
        c->base[f + 1] = c->base[f] + c->dict[f].n + 1;
    *out = c;
    c = NULL;
out:
    vns_facetcols_free(c);
    return rc;
}

void vns_facetcols_free(struct vns_facetcols *c)
{
    if (c == NULL)
        return;
    for (size_t f = 0; f < VNS_NFACETS; f++) {
        for (size_t i = 0; i < c->dict[f].n; i++)
            free(c->dict[f].values[i]);
        free(c->dict[f].values);
        free(c->dict[f].slots);
    }
    free(c->codes);
    free(c);
}

uint64_t vns_facetcols_revision(const struct vns_facetcols *c)
{
    return c->rev;
}

int vns_facettally_init(struct vns_facettally *t, const struct vns_facetcols *c,
                        struct vns_err *err)
{
    t->c = c;
    t->failed = 0;
    t->counts = calloc(c->base[c->nf] ? c->base[c->nf] : 1, sizeof(*t->counts));
    if (t->counts == NULL)
        return vns_err_set(err, VNS_ENOMEM, "facets: out of memory");
    return VNS_OK;
}

void vns_facettally_fini(struct vns_facettally *t)
{
    free(t->counts);
    t->counts = NULL;
}

void vns_facettally_begin(void *tally)
{
    struct vns_facettally *t = tally;

    memset(t->counts, 0, t->c->base[t->c->nf] * sizeof(*t->counts));
    t->failed = 0;
}

void vns_facettally_add(uint32_t docid, void *tally)
{
    struct vns_facettally *t = tally;
    const struct vns_facetcols *c = t->c;
    const uint16_t *row;

    if ((size_t)docid >= c->ndocs) {
        /* a document newer than the columns: count another way */
        t->failed = 1;
        return;
    }
    row = c->codes + (size_t)docid * c->nf;
    for (size_t f = 0; f < c->nf; f++)
        t->counts[c->base[f] + row[f]]++;
}

void vns_facettally_bits(struct vns_facettally *t, const uint64_t *bits,
                         size_t nwords, uint64_t *n)
{
    uint64_t total = 0;

    vns_facettally_begin(t);
    for (size_t i = 0; i < nwords; i++)
        for (uint64_t w = bits[i]; w != 0; w &= w - 1) {
            vns_facettally_add((uint32_t)(i * 64 + (size_t)__builtin_ctzll(w)),
                               t);
            total++;
        }
    *n = total;
}

struct ranked {
    const char *value;
    uint32_t count;
};

static int by_count(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;

    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return strcmp(a->value, b->value);
}

int vns_facettally_take(const struct vns_facettally *t, size_t f,
                        struct vns_facet *out, struct vns_err *err)
{
    const struct vns_facetcols *c = t->c;
    const struct dict *d;
    const uint32_t *counts;
    struct ranked *r = NULL;
    size_t n = 0;
    int rc = VNS_OK;

    out->counts = NULL;
    out->n = 0;
    if (f >= c->nf)
        return VNS_OK;
    d = &c->dict[f];
    counts = t->counts + c->base[f];
    for (size_t code = 1; code <= d->n; code++)
        n += counts[code] > 0;
    if (n == 0)
        return VNS_OK;
    r = malloc(n * sizeof(*r));
    out->counts = calloc(n, sizeof(*out->counts));
    if (r == NULL || out->counts == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "facets: out of memory");
        goto out;
    }
    n = 0;
    for (size_t code = 1; code <= d->n; code++)
        if (counts[code] > 0)
            r[n++] = (struct ranked){d->values[code - 1], counts[code]};
    qsort(r, n, sizeof(*r), by_count);
    for (size_t i = 0; i < n; i++) {
        out->counts[i].value = strdup(r[i].value);
        out->counts[i].count = r[i].count;
        out->n = i + 1;
        if (out->counts[i].value == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "facets: out of memory");
            goto out;
        }
    }
out:
    free(r);
    return rc;
}
