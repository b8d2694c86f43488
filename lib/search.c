/* Ranking policy: the parsed query becomes a Xapian query tree (folded
 * terms match every diacritic form, exact forms and adjacent syllables
 * score more), then hits get their records and snippets. */
#include "vnsearch/search.h"

#include <stdlib.h>
#include <string.h>

#include "docrec.h"
#include "index_impl.h"
#include "query.h"
#include "snippet.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 10000
#define DEFAULT_SNIPPETS 2
#define DEFAULT_SNIPPET_LEN 300

/* Nodes and child lists of one query tree, sized for the largest query. */
#define MAX_NODES (VNS_MAX_QUERY_TERMS * 24 + 64)

struct arena {
    struct vns_xq nodes[MAX_NODES];
    size_t n;
    const struct vns_xq *kids[MAX_NODES * 2];
    size_t nk;
    char strs[VNS_MAX_QUERY_TERMS * 2 * (VNS_TERM_MAX + 1)];
    size_t ns;
};

static struct vns_xq *node(struct arena *a, enum vns_xop op)
{
    struct vns_xq *x;

    /* sized so that no parsed query can run out; a bug otherwise */
    if (a->n == MAX_NODES)
        abort();
    x = &a->nodes[a->n++];
    memset(x, 0, sizeof(*x));
    x->op = op;
    return x;
}

/* A node over the children list[0..n). */
static const struct vns_xq *join(struct arena *a, enum vns_xop op,
                                 const struct vns_xq *const *list, size_t n,
                                 uint32_t window)
{
    struct vns_xq *x;

    if (n == 1 && op != VNS_XQ_PHRASE)
        return list[0];
    if (a->nk + n > sizeof(a->kids) / sizeof(a->kids[0]))
        abort();
    x = node(a, op);
    memcpy(&a->kids[a->nk], list, n * sizeof(list[0]));
    x->kids = &a->kids[a->nk];
    x->nkids = n;
    x->window = window;
    a->nk += n;
    return x;
}

static const struct vns_xq *term(struct arena *a, const char *prefix,
                                 const char *t)
{
    size_t pl = strlen(prefix), tl = strlen(t);
    struct vns_xq *x;
    char *s;

    if (a->ns + pl + tl + 1 > sizeof(a->strs))
        abort();
    s = &a->strs[a->ns];
    memcpy(s, prefix, pl);
    memcpy(s + pl, t, tl + 1);
    a->ns += pl + tl + 1;
    x = node(a, VNS_XQ_TERM);
    x->term = s;
    x->term_len = pl + tl;
    return x;
}

static const struct vns_xq *folded(struct arena *a, const struct vns_qterm *t)
{
    return term(a, "", t->folded);
}

/* The form a syllable must have: typed with diacritics, its exact form;
 * without, any form. */
static const struct vns_xq *strict(struct arena *a, const struct vns_qterm *t)
{
    if (t->flags & VNS_TOK_MARKED)
        return term(a, VNS_PREFIX_EXACT, t->exact);
    return folded(a, t);
}

/* Matches every form; the exact one, when typed, scores on top. */
static const struct vns_xq *syllable(struct arena *a, const struct vns_qterm *t)
{
    const struct vns_xq *k[2];

    k[0] = folded(a, t);
    if (!(t->flags & VNS_TOK_MARKED))
        return k[0];
    k[1] = strict(a, t);
    return join(a, VNS_XQ_OR, k, 2, 0);
}

/* A phrase of parts[0..n): folded terms in order, or exact forms. */
static const struct vns_xq *
phrase(struct arena *a, const struct vns_qterm *parts, size_t n, int exact)
{
    const struct vns_xq *k[VNS_MAX_QUERY_TERMS];

    for (size_t i = 0; i < n; i++)
        k[i] = exact ? strict(a, &parts[i]) : folded(a, &parts[i]);
    return join(a, VNS_XQ_PHRASE, k, n, (uint32_t)n);
}

static int any_marked(const struct vns_qterm *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].flags & VNS_TOK_MARKED)
            return 1;
    return 0;
}

/* A required group ("quoted phrase"): the phrase, or its compound term;
 * its exact form scores on top. */
static const struct vns_xq *required(struct arena *a, const struct vns_query *q,
                                     const struct vns_qgroup *g)
{
    const struct vns_qterm *parts = &q->terms[g->first];
    const struct vns_xq *alt[1 + VNS_MAX_QUERY_TERMS], *k[2];
    size_t na = 0;

    if (g->nparts == 1)
        return syllable(a, parts);
    alt[na++] = phrase(a, parts, g->nparts, 0);
    /* "2771/QĐ-UBND" typed whole also matches its compound term */
    for (size_t c = 0; c < g->ncompounds; c++)
        alt[na++] = syllable(a, &parts[g->nparts + c]);
    k[0] = join(a, VNS_XQ_OR, alt, na, 0);
    if (!any_marked(parts, g->nparts))
        return k[0];
    k[1] = phrase(a, parts, g->nparts, 1);
    return join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
}

static const struct vns_xq *build(struct arena *a, const struct vns_query *q)
{
    const struct vns_xq *req[VNS_MAX_QUERY_TERMS], *nots[VNS_MAX_QUERY_TERMS];
    const struct vns_xq *any[VNS_MAX_QUERY_TERMS * 2];
    const struct vns_xq *boost[VNS_MAX_QUERY_TERMS * 2 + 1];
    const struct vns_xq *top[1 + VNS_MAX_QUERY_TERMS * 2 + 1], *k[2];
    struct vns_qterm seq[VNS_MAX_QUERY_TERMS];
    size_t nreq = 0, nnot = 0, nany = 0, nboost = 0, nseq = 0, nt = 0;
    const struct vns_xq *base = NULL;

    for (size_t gi = 0; gi < q->ngroups; gi++) {
        const struct vns_qgroup *g = &q->groups[gi];
        const struct vns_qterm *t = &q->terms[g->first];
        if (g->kind == VNS_Q_NOT) {
            nots[nnot++] =
                g->nparts == 1 ? strict(a, t) : phrase(a, t, g->nparts, 1);
        } else if (g->kind == VNS_Q_PHRASE) {
            req[nreq++] = required(a, q, g);
        } else {
            for (size_t i = 0; i < g->nparts; i++) {
                any[nany++] = syllable(a, &t[i]);
                seq[nseq++] = t[i];
            }
            for (size_t c = 0; c < g->ncompounds; c++)
                any[nany++] = syllable(a, &t[g->nparts + c]);
        }
    }
    /* Adjacent syllables as typed: Vietnamese words are mostly two
     * syllables ("tiêm chủng", "cách ly"), so pairs found side by side in
     * the text score on top; with diacritics typed, the exact pair more. */
    for (size_t i = 0; i + 1 < nseq; i++) {
        boost[nboost++] = phrase(a, &seq[i], 2, 0);
        if (any_marked(&seq[i], 2))
            boost[nboost++] = phrase(a, &seq[i], 2, 1);
    }
    /* All of them close together. NEAR, not PHRASE: Xapian 1.4.22 listed
     * one document twice when a 3-term PHRASE sat beside the pair phrases
     * in this OR (tests/cli/test_corpus.sh pages through such a query). */
    if (nseq >= 3) {
        const struct vns_xq *near[VNS_MAX_QUERY_TERMS];
        for (size_t i = 0; i < nseq; i++)
            near[i] = folded(a, &seq[i]);
        boost[nboost++] = join(a, VNS_XQ_NEAR, near, nseq, (uint32_t)nseq + 2);
    }
    if (nreq > 0) {
        base = join(a, VNS_XQ_AND, req, nreq, 0);
        if (nany > 0) {
            k[0] = base;
            k[1] = join(a, VNS_XQ_OR, any, nany, 0);
            base = join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
        }
    } else {
        base = join(a, VNS_XQ_OR, any, nany, 0);
    }
    if (nboost > 0) {
        k[0] = base;
        k[1] = join(a, VNS_XQ_OR, boost, nboost, 0);
        base = join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
    }
    if (nnot > 0) {
        nt = 0;
        top[nt++] = base;
        memcpy(&top[nt], nots, nnot * sizeof(nots[0]));
        nt += nnot;
        base = join(a, VNS_XQ_AND_NOT, top, nt, 0);
    }
    return base;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);

    if (d != NULL)
        memcpy(d, s, n + 1);
    return d;
}

static int fill_hit(struct vns_index *ix, const struct vns_query *q,
                    const struct vns_xhit *xh, const struct vns_search_opts *o,
                    struct vns_hit *hit, struct vns_err *err)
{
    struct vns_docrec rec = {0};
    int rc;

    rc = vns_docrec_decode(xh->data, xh->data_len, &rec, err);
    if (rc != VNS_OK)
        return rc;
    hit->score = xh->score;
    hit->id = dup_str(rec.id);
    hit->title = dup_str(rec.title);
    if (hit->id == NULL || hit->title == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    rc =
        vns_snippets_make(ix->an, rec.text, rec.text_len, q, o->snippets,
                          o->snippet_len, &hit->snippets, &hit->nsnippets, err);
out:
    vns_docrec_fini(&rec);
    return rc;
}

int vns_search(struct vns_index *ix, const char *qs, size_t qlen,
               const struct vns_search_opts *opts, struct vns_results *out,
               struct vns_err *err)
{
    struct vns_search_opts o = {0};
    struct vns_results res = {0};
    struct vns_xresults xr = {0};
    struct vns_query *q = NULL;
    struct arena *a = NULL;
    const struct vns_xq *tree;
    int rc;

    if (opts != NULL)
        o = *opts;
    if (o.limit == 0)
        o.limit = DEFAULT_LIMIT;
    if (o.limit > MAX_LIMIT)
        o.limit = MAX_LIMIT;
    if (o.snippets == 0)
        o.snippets = DEFAULT_SNIPPETS;
    if (o.snippet_len == 0)
        o.snippet_len = DEFAULT_SNIPPET_LEN;
    q = malloc(sizeof(*q));
    a = malloc(sizeof(*a));
    if (q == NULL || a == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    a->n = a->nk = a->ns = 0;
    rc = vns_query_parse(ix->an, qs, qlen, q, err);
    if (rc != VNS_OK)
        goto out;
    tree = build(a, q);
    rc =
        vns_xdb_search(ix->db, tree, o.offset, o.limit, o.time_limit, &xr, err);
    if (rc != VNS_OK)
        goto out;
    res.estimate = xr.estimate;
    res.hits = calloc(xr.n ? xr.n : 1, sizeof(*res.hits));
    if (res.hits == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    for (size_t i = 0; i < xr.n; i++) {
        res.hits[i].rank = (uint32_t)(o.offset + i + 1);
        res.n = i + 1;
        rc = fill_hit(ix, q, &xr.hits[i], &o, &res.hits[i], err);
        if (rc != VNS_OK)
            goto out;
    }
    *out = res;
    res = (struct vns_results){0};
out:
    vns_results_fini(&res);
    vns_xresults_fini(&xr);
    free(a);
    free(q);
    return rc;
}

void vns_results_fini(struct vns_results *res)
{
    if (res == NULL)
        return;
    for (size_t i = 0; i < res->n; i++) {
        struct vns_hit *h = &res->hits[i];
        for (size_t s = 0; s < h->nsnippets; s++)
            vns_snippet_fini(&h->snippets[s]);
        free(h->snippets);
        free(h->id);
        free(h->title);
    }
    free(res->hits);
    *res = (struct vns_results){0};
}
