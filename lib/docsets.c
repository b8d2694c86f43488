/* Document sets (docsets.h): a tree worked out over bitmaps, the
 * frequent terms' bitmaps kept per reader. */
#include "docsets.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"

/* A term in this share of the documents or more (and in KEEP_MIN) keeps
 * its bitmap: rarer ones are read again, which costs little. */
#define KEEP_SHARE 256u
#define KEEP_MIN 64u
/* The bitmaps kept, per reader, by default: when full, all but the
 * newest half go (vns_docsets_keep). Gen-notices medium (22,000
 * documents): 2.75 kB a bitmap, ~3,000 of them. */
#define KEEP_BYTES (8u << 20)
/* How deep a tree may nest. */
#define MAX_DEPTH 32
/* Value slots with their ranks read (a search's filters use one). */
#define MAX_COLUMNS 4

struct kept {
    char *term;
    size_t len;
    uint64_t *bits;
    uint64_t used; /* tick of the last use */
};

/* A value slot's values as ranks in byte order, by document id, read on
 * first use: a value range is then a range of ranks. */
struct column {
    unsigned slot;
    uint32_t *rank; /* by docid: 0 for no value, else 1 + the value's */
    char *bytes;    /* the distinct values, ascending, end to end */
    size_t *at;     /* value i: bytes + at[i], at[i + 1] - at[i] long */
    size_t nvalues;
};

struct vns_docsets {
    uint64_t rev;
    uint32_t bound; /* document ids below it */
    size_t nwords;
    struct kept *k;
    size_t n, cap, most; /* most: how many bitmaps the budget holds */
    uint32_t *slots;     /* open addressing: index + 1, 0 for empty */
    size_t nslots;       /* a power of two, at least twice cap */
    uint64_t tick;
    uint64_t *all; /* every document, read on first use */
    struct column cols[MAX_COLUMNS];
    size_t ncols;
};

int vns_docsets_new(struct vns_xdb *db, struct vns_docsets **out,
                    struct vns_err *err)
{
    struct vns_docsets *s = calloc(1, sizeof(*s));
    uint32_t last = 0;
    int rc;

    if (s == NULL)
        return vns_err_set(err, VNS_ENOMEM, "document sets: out of memory");
    rc = vns_xdb_revision(db, &s->rev, err);
    if (rc == VNS_OK)
        rc = vns_xdb_lastdocid(db, &last, err);
    if (rc != VNS_OK) {
        free(s);
        return rc;
    }
    s->bound = last + 1u > last ? last + 1u : last;
    s->nwords = ((size_t)s->bound + 63) / 64;
    vns_docsets_keep(s, KEEP_BYTES);
    *out = s;
    return VNS_OK;
}

static void forget_all(struct vns_docsets *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->k[i].term);
        free(s->k[i].bits);
    }
    s->n = 0;
}

void vns_docsets_free(struct vns_docsets *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->ncols; i++) {
        free(s->cols[i].rank);
        free(s->cols[i].bytes);
        free(s->cols[i].at);
    }
    forget_all(s);
    free(s->k);
    free(s->slots);
    free(s->all);
    free(s);
}

uint64_t vns_docsets_revision(const struct vns_docsets *s)
{
    return s->rev;
}

size_t vns_docsets_words(const struct vns_docsets *s)
{
    return s->nwords;
}

void vns_docsets_keep(struct vns_docsets *s, size_t bytes)
{
    s->most = bytes / (s->nwords * sizeof(uint64_t) + 1);
}

size_t vns_docsets_kept(const struct vns_docsets *s)
{
    return s->n;
}

int vns_docsets_can(const struct vns_xq *q)
{
    struct {
        const struct vns_xq *q;
        size_t depth;
    } stack[1024];
    size_t top = 0;

    stack[top].q = q;
    stack[top++].depth = 0;
    while (top > 0) {
        const struct vns_xq *n = stack[--top].q;
        size_t depth = stack[top].depth, nk;
        if (n == NULL || depth >= MAX_DEPTH)
            return 0;
        switch (n->op) {
        case VNS_XQ_TERM:
            if (n->term == NULL || n->term_len == 0 ||
                strlen(n->term) != n->term_len)
                return 0;
            continue;
        case VNS_XQ_ALL:
        case VNS_XQ_NOTHING:
            continue;
        case VNS_XQ_VALUE_RANGE:
            if (n->lo == NULL && n->hi == NULL)
                return 0;
            continue;
        case VNS_XQ_SCALE:
        case VNS_XQ_AND_MAYBE: /* the rest only weighs */
            nk = n->nkids > 0 ? 1 : 0;
            break;
        case VNS_XQ_AND:
        case VNS_XQ_OR:
        case VNS_XQ_AND_NOT:
        case VNS_XQ_FILTER:
        case VNS_XQ_SYNONYM:
            nk = n->nkids;
            break;
        default: /* positions are Xapian's */
            return 0;
        }
        if (nk == 0 || n->kids == NULL)
            return 0;
        for (size_t i = 0; i < nk; i++) {
            if (top == sizeof(stack) / sizeof(stack[0]))
                return 0;
            stack[top].q = n->kids[i];
            stack[top++].depth = depth + 1;
        }
    }
    return 1;
}

/* The kept bitmap of term, NULL when none. */
static struct kept *find(struct vns_docsets *s, const char *term, size_t len)
{
    size_t at;

    if (s->nslots == 0)
        return NULL;
    at = (size_t)vns_hash64(term, len, 0) & (s->nslots - 1);
    for (; s->slots[at] != 0; at = (at + 1) & (s->nslots - 1)) {
        struct kept *k = &s->k[s->slots[at] - 1];
        if (k->len == len && memcmp(k->term, term, len) == 0)
            return k;
    }
    return NULL;
}

static int rehash(struct vns_docsets *s, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof(*slots));

    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        size_t at =
            (size_t)vns_hash64(s->k[i].term, s->k[i].len, 0) & (nslots - 1);
        while (slots[at] != 0)
            at = (at + 1) & (nslots - 1);
        slots[at] = (uint32_t)(i + 1);
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = nslots;
    return 0;
}

static int by_use(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return a < b ? -1 : a > b;
}

/* Drop the bitmaps but the newest half of what the budget holds (ticks
 * are unique). */
static void thin(struct vns_docsets *s)
{
    size_t stay = s->most / 2;
    uint64_t *used = malloc(s->n * sizeof(*used)), cut;
    size_t w = 0;

    if (used == NULL) {
        forget_all(s);
    } else {
        for (size_t i = 0; i < s->n; i++)
            used[i] = s->k[i].used;
        qsort(used, s->n, sizeof(*used), by_use);
        cut = used[s->n - stay - 1];
        free(used);
        for (size_t i = 0; i < s->n; i++) {
            if (s->k[i].used <= cut) {
                free(s->k[i].term);
                free(s->k[i].bits);
            } else {
                s->k[w++] = s->k[i];
            }
        }
        s->n = w;
    }
    if (rehash(s, s->nslots) != 0) { /* no memory for the table */
        forget_all(s);
        memset(s->slots, 0, s->nslots * sizeof(*s->slots));
    }
}

/* Keep bits (taken) as term's; on failure bits is freed, nothing else
 * changes: keeping is only a saving. */
static void keep(struct vns_docsets *s, const char *term, size_t len,
                 uint64_t *bits)
{
    struct kept *k;
    size_t at;

    if (s->n >= s->most && s->n > s->most / 2)
        thin(s);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        void *p = realloc(s->k, cap * sizeof(*s->k));
        if (p == NULL) {
            free(bits);
            return;
        }
        s->k = p;
        if (rehash(s, cap * 2) != 0) {
            free(bits);
            return;
        }
        s->cap = cap;
    }
    k = &s->k[s->n];
    k->term = malloc(len + 1);
    if (k->term == NULL) {
        free(bits);
        return;
    }
    memcpy(k->term, term, len);
    k->term[len] = '\0';
    k->len = len;
    k->bits = bits;
    k->used = ++s->tick;
    s->n++;
    at = (size_t)vns_hash64(term, len, 0) & (s->nslots - 1);
    while (s->slots[at] != 0)
        at = (at + 1) & (s->nslots - 1);
    s->slots[at] = (uint32_t)s->n;
}

enum mode {
    SET,
    OR,
    AND,
    ANDNOT
};

static void combine(uint64_t *dst, const uint64_t *src, size_t n, enum mode m)
{
    switch (m) {
    case SET:
        memcpy(dst, src, n * sizeof(*dst));
        break;
    case OR:
        for (size_t i = 0; i < n; i++)
            dst[i] |= src[i];
        break;
    case AND:
        for (size_t i = 0; i < n; i++)
            dst[i] &= src[i];
        break;
    case ANDNOT:
        for (size_t i = 0; i < n; i++)
            dst[i] &= ~src[i];
        break;
    }
}

struct ids {
    uint32_t *v;
    size_t n, cap;
    uint32_t bound;
    int past; /* a document at or past bound */
    int nomem;
};

static int take_id(uint32_t docid, void *ctx)
{
    struct ids *ids = ctx;

    if (docid >= ids->bound) {
        ids->past = 1;
        return 1;
    }
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        void *p = realloc(ids->v, cap * sizeof(*ids->v));
        if (p == NULL) {
            ids->nomem = 1;
            return 1;
        }
        ids->v = p;
        ids->cap = cap;
    }
    ids->v[ids->n++] = docid;
    return 0;
}

/* The documents of term ("": every document) into ids, at the sets'
 * revision. */
static int read_ids(struct vns_docsets *s, struct vns_xdb *db, const char *term,
                    struct ids *ids, struct vns_err *err)
{
    uint64_t rev = 0;
    int rc;

    ids->bound = s->bound;
    rc = vns_xdb_postlist(db, term, take_id, ids, err);
    if (rc < 0)
        return rc;
    if (ids->nomem)
        return vns_err_set(err, VNS_ENOMEM, "document sets: out of memory");
    if (ids->past)
        return vns_err_set(err, VNS_EINDEX,
                           "document sets: a document past the last");
    rc = vns_xdb_revision(db, &rev, err);
    if (rc == VNS_OK && rev != s->rev)
        rc = vns_err_set(err, VNS_EINDEX, "document sets: the index moved on");
    return rc;
}

static uint64_t *bitmap_of(const struct vns_docsets *s, const struct ids *ids)
{
    uint64_t *bits = calloc(s->nwords, sizeof(*bits));

    if (bits != NULL)
        for (size_t i = 0; i < ids->n; i++)
            bits[ids->v[i] / 64] |= (uint64_t)1 << (ids->v[i] % 64);
    return bits;
}

struct run {
    struct vns_docsets *s;
    struct vns_xdb *db;
    struct vns_err *err;
    double until; /* monotonic seconds, 0 for no limit */
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reading posting lists or values past the time limit: VNS_ETOOBIG. */
static int in_time(const struct run *r)
{
    if (r->until > 0 && now() > r->until)
        return vns_err_set(r->err, VNS_ETOOBIG,
                           "document sets: over the time limit");
    return VNS_OK;
}

static int term_into(struct run *r, const char *term, size_t len, uint64_t *dst,
                     enum mode m)
{
    struct vns_docsets *s = r->s;
    struct kept *k = find(s, term, len);
    struct ids ids = {0};
    uint64_t *bits = NULL;
    int rc;

    if (k != NULL) {
        k->used = ++s->tick;
        combine(dst, k->bits, s->nwords, m);
        return VNS_OK;
    }
    rc = in_time(r);
    if (rc == VNS_OK)
        rc = read_ids(s, r->db, term, &ids, r->err);
    if (rc != VNS_OK)
        goto out;
    if (ids.n >= KEEP_MIN && ids.n >= s->bound / KEEP_SHARE) {
        bits = bitmap_of(s, &ids);
        if (bits == NULL) {
            rc =
                vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
            goto out;
        }
        combine(dst, bits, s->nwords, m);
        keep(s, term, len, bits);
        goto out;
    }
    switch (m) { /* a rare term: its few documents one by one */
    case SET:
        memset(dst, 0, s->nwords * sizeof(*dst));
        /* fall through */
    case OR:
        for (size_t i = 0; i < ids.n; i++)
            dst[ids.v[i] / 64] |= (uint64_t)1 << (ids.v[i] % 64);
        break;
    case ANDNOT:
        for (size_t i = 0; i < ids.n; i++)
            dst[ids.v[i] / 64] &= ~((uint64_t)1 << (ids.v[i] % 64));
        break;
    case AND:
        bits = bitmap_of(s, &ids);
        if (bits == NULL) {
            rc =
                vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
            goto out;
        }
        combine(dst, bits, s->nwords, AND);
        free(bits);
        break;
    }
out:
    free(ids.v);
    return rc;
}

static int all_into(struct run *r, uint64_t *dst, enum mode m)
{
    struct vns_docsets *s = r->s;

    if (s->all == NULL) {
        struct ids ids = {0};
        int rc = read_ids(s, r->db, "", &ids, r->err);
        if (rc == VNS_OK && (s->all = bitmap_of(s, &ids)) == NULL)
            rc =
                vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
        free(ids.v);
        if (rc != VNS_OK)
            return rc;
    }
    combine(dst, s->all, s->nwords, m);
    return VNS_OK;
}

/* A slot's values while they are read: each document's, end to end. */
struct reading {
    uint32_t bound;
    uint32_t *docid;
    size_t *at; /* value i: bytes + at[i], at[i + 1] - at[i] long */
    char *bytes;
    size_t n, cap, used, room;
    int past, nomem;
};

static int take_value(uint32_t docid, const char *val, size_t len, void *ctx)
{
    struct reading *g = ctx;

    if (docid >= g->bound) {
        g->past = 1;
        return 1;
    }
    if (g->n + 1 >= g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        void *d = realloc(g->docid, cap * sizeof(*g->docid));
        if (d != NULL)
            g->docid = d;
        void *a = d ? realloc(g->at, (cap + 1) * sizeof(*g->at)) : NULL;
        if (a == NULL) {
            g->nomem = 1;
            return 1;
        }
        g->at = a;
        g->cap = cap;
    }
    if (g->used + len > g->room) {
        size_t room = g->room ? g->room * 2 : 16384;
        while (room < g->used + len)
            room *= 2;
        void *b = realloc(g->bytes, room);
        if (b == NULL) {
            g->nomem = 1;
            return 1;
        }
        g->bytes = b;
        g->room = room;
    }
    memcpy(g->bytes + g->used, val, len);
    g->docid[g->n] = docid;
    g->at[g->n++] = g->used;
    g->used += len;
    g->at[g->n] = g->used;
    return 0;
}

/* Byte order of two values, as Xapian's value ranges compare them. */
static int value_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

struct valued {
    const char *v;
    size_t len;
    uint32_t docid;
};

static int by_value(const void *x, const void *y)
{
    const struct valued *a = x, *b = y;

    return value_cmp(a->v, a->len, b->v, b->len);
}

/* Rank the values read in g into col. */
static int rank_values(const struct reading *g, struct column *col)
{
    struct valued *order = malloc((g->n ? g->n : 1) * sizeof(*order));
    int rc = -1;

    col->at = malloc((g->n + 1) * sizeof(*col->at));
    col->bytes = malloc(g->used ? g->used : 1);
    if (order == NULL || col->at == NULL || col->bytes == NULL)
        goto out;
    for (size_t i = 0; i < g->n; i++)
        order[i] = (struct valued){g->bytes + g->at[i], g->at[i + 1] - g->at[i],
                                   g->docid[i]};
    qsort(order, g->n, sizeof(*order), by_value);
    col->at[0] = 0;
    col->nvalues = 0;
    for (size_t k = 0; k < g->n; k++) {
        size_t last = col->nvalues;
        if (last == 0 || value_cmp(col->bytes + col->at[last - 1],
                                   col->at[last] - col->at[last - 1],
                                   order[k].v, order[k].len) != 0) {
            memcpy(col->bytes + col->at[last], order[k].v, order[k].len);
            col->at[last + 1] = col->at[last] + order[k].len;
            col->nvalues++;
        }
        col->rank[order[k].docid] = (uint32_t)col->nvalues;
    }
    rc = 0;
out:
    free(order);
    return rc;
}

/* The ranks of slot's values, read on first use. */
static int column_of(struct run *r, unsigned slot, const struct column **out)
{
    struct vns_docsets *s = r->s;
    struct reading g = {0};
    struct column col = {slot, NULL, NULL, NULL, 0};
    uint64_t rev = 0;
    int rc;

    for (size_t i = 0; i < s->ncols; i++)
        if (s->cols[i].slot == slot) {
            *out = &s->cols[i];
            return VNS_OK;
        }
    if ((rc = in_time(r)) != VNS_OK)
        return rc;
    if (s->ncols == MAX_COLUMNS)
        return vns_err_set(r->err, VNS_EQUERY,
                           "document sets: ranges on too many slots");
    g.bound = s->bound;
    rc = vns_xdb_values(r->db, slot, take_value, &g, r->err);
    if (rc >= 0 && g.nomem)
        rc = vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
    else if (rc >= 0 && g.past)
        rc = vns_err_set(r->err, VNS_EINDEX,
                         "document sets: a document past the last");
    else if (rc >= 0 &&
             (rc = vns_xdb_revision(r->db, &rev, r->err)) == VNS_OK &&
             rev != s->rev)
        rc = vns_err_set(r->err, VNS_EINDEX,
                         "document sets: the index moved on");
    if (rc == VNS_OK) {
        col.rank = calloc(s->bound ? s->bound : 1, sizeof(*col.rank));
        if (col.rank == NULL || rank_values(&g, &col) != 0)
            rc =
                vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
    }
    free(g.docid);
    free(g.at);
    free(g.bytes);
    if (rc != VNS_OK) {
        free(col.rank);
        free(col.at);
        free(col.bytes);
        return rc;
    }
    s->cols[s->ncols] = col;
    *out = &s->cols[s->ncols++];
    return VNS_OK;
}

/* The first rank (1-based) whose value is >= lo (above: > lo), nvalues +
 * 1 when none. */
static uint32_t first_rank(const struct column *c, const char *lo, int above)
{
    size_t a = 0, b = c->nvalues, len = strlen(lo);

    while (a < b) {
        size_t mid = a + (b - a) / 2;
        int cmp = value_cmp(c->bytes + c->at[mid], c->at[mid + 1] - c->at[mid],
                            lo, len);
        if (cmp < 0 || (above && cmp == 0))
            a = mid + 1;
        else
            b = mid;
    }
    return (uint32_t)(a + 1);
}

/* The documents whose value in q->slot lies in [q->lo, q->hi]. */
static int range_into(struct run *r, const struct vns_xq *q, uint64_t *dst,
                      enum mode m)
{
    const size_t nw = r->s->nwords;
    const struct column *c = NULL;
    uint32_t lo, hi;
    uint64_t *bits;
    int rc = column_of(r, q->slot, &c);

    if (rc != VNS_OK)
        return rc;
    lo = q->lo != NULL ? first_rank(c, q->lo, 0) : 1;
    hi = q->hi != NULL ? first_rank(c, q->hi, 1) - 1 : (uint32_t)c->nvalues;
    bits = m == SET ? dst : calloc(nw, sizeof(*bits));
    if (bits == NULL)
        return vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
    if (m == SET)
        memset(bits, 0, nw * sizeof(*bits));
    for (uint32_t d = 0; d < r->s->bound && lo <= hi; d++)
        if (c->rank[d] >= lo && c->rank[d] <= hi)
            bits[d / 64] |= (uint64_t)1 << (d % 64);
    if (m != SET) {
        combine(dst, bits, nw, m);
        free(bits);
    }
    return VNS_OK;
}

static int node_into(struct run *r, const struct vns_xq *q, uint64_t *dst,
                     enum mode m)
{
    const size_t nw = r->s->nwords;
    enum mode rest;
    uint64_t *tmp;
    int rc = VNS_OK;

    switch (q->op) {
    case VNS_XQ_TERM:
        return term_into(r, q->term, q->term_len, dst, m);
    case VNS_XQ_ALL:
        return all_into(r, dst, m);
    case VNS_XQ_VALUE_RANGE:
        return range_into(r, q, dst, m);
    case VNS_XQ_NOTHING:
        if (m == SET || m == AND)
            memset(dst, 0, nw * sizeof(*dst));
        return VNS_OK;
    case VNS_XQ_SCALE:
    case VNS_XQ_AND_MAYBE:
        return node_into(r, q->kids[0], dst, m);
    case VNS_XQ_OR:
    case VNS_XQ_SYNONYM:
        rest = OR;
        break;
    case VNS_XQ_AND_NOT:
        rest = ANDNOT;
        break;
    default: /* AND, FILTER (vns_docsets_can allowed no other) */
        rest = AND;
        break;
    }
    if (m == SET || (m == OR && rest == OR)) { /* straight into dst */
        if (m == SET)
            rc = node_into(r, q->kids[0], dst, SET);
        else
            rc = node_into(r, q->kids[0], dst, OR);
        for (size_t i = 1; i < q->nkids && rc == VNS_OK; i++)
            rc = node_into(r, q->kids[i], dst, rest);
        return rc;
    }
    tmp = malloc(nw * sizeof(*tmp));
    if (tmp == NULL)
        return vns_err_set(r->err, VNS_ENOMEM, "document sets: out of memory");
    rc = node_into(r, q, tmp, SET);
    if (rc == VNS_OK)
        combine(dst, tmp, nw, m);
    free(tmp);
    return rc;
}

int vns_docsets_match(struct vns_docsets *s, struct vns_xdb *db,
                      const struct vns_xq *q, double time_limit, uint64_t **out,
                      struct vns_err *err)
{
    struct run r = {s, db, err, time_limit > 0 ? now() + time_limit : 0};
    uint64_t *bits;
    int rc;

    if (!vns_docsets_can(q))
        return vns_err_set(err, VNS_EQUERY,
                           "document sets: a tree of phrases or values");
    bits = malloc(s->nwords * sizeof(*bits));
    if (bits == NULL)
        return vns_err_set(err, VNS_ENOMEM, "document sets: out of memory");
    rc = node_into(&r, q, bits, SET);
    if (rc != VNS_OK) {
        free(bits);
        return rc;
    }
    *out = bits;
    return VNS_OK;
}
