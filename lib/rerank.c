/* Re-ranking the top hits: the query's words in the order typed, read from
 * the folded terms' positions, and deadline sentences for deadline
 * questions. */
#include "rerank.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "intent.h"

/* A hit holding the query's words in order scores up to 1 + this many
 * times more (the whole phrase: all of it; one word off: a little less).
 * 1 -> 4 raised overall nDCG@10 on gen-notices medium seed 21 0.982 ->
 * 0.986, small seeds 11, 2, 31 by 0 to 0.001. */
#define ORDER_BOOST 4.0
/* Positions read per term and document: enough for any notice, bounded
 * for a report that says "của" ten thousand times. */
#define MAX_POSITIONS 4096
/* A deadline hit whose sentence holds all the query's words scores this
 * many times more, one holding half of them half as much more. */
#define COVER_BOOST 1.0
/* A deadline matches when its sentence holds this share of the words. */
#define COVER_MIN 0.5

static int by_value(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

    return a < b ? -1 : a > b;
}

int vns_rerank_aligned(struct vns_xdb *db, uint32_t docid,
                       const char *const *seq, size_t n, size_t *out,
                       struct vns_err *err)
{
    uint32_t *all = NULL, *p = NULL;
    size_t nall = 0, cap = 0, best = 0, np = 0;
    int rc = VNS_OK;

    /* word i at position p puts the phrase's start at p - i; the start
     * most words agree on is where the query stands in the text */
    for (size_t i = 0; i < n; i++) {
        rc = vns_xdb_positions(db, docid, seq[i], strlen(seq[i]), &p, &np, err);
        if (rc != VNS_OK)
            goto out;
        if (np > MAX_POSITIONS)
            np = MAX_POSITIONS;
        if (nall + np > cap) {
            size_t ncap = (nall + np) * 2;
            uint32_t *v = realloc(all, ncap * sizeof(*v));
            if (v == NULL) {
                rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
                goto out;
            }
            all = v;
            cap = ncap;
        }
        for (size_t k = 0; k < np; k++) /* + n: never below zero */
            all[nall++] = p[k] + (uint32_t)(n - i);
        free(p);
        p = NULL;
    }
    if (nall > 0)
        qsort(all, nall, sizeof(*all), by_value);
    for (size_t k = 0, run = 0; k < nall; k++) {
        run = k > 0 && all[k] == all[k - 1] ? run + 1 : 1;
        if (run > best)
            best = run;
    }
out:
    *out = best;
    free(p);
    free(all);
    return rc;
}

static double cover(const struct vns_query *q, json_t *d)
{
    json_t *t = json_object_get(d, "text");

    if (!json_is_string(t))
        return 0;
    return vns_intent_cover(q, json_string_value(t), json_string_length(t));
}

/* The best share of q's words one deadline sentence of the deadlines
 * value (VNS_SLOT_DEADLINES: "date\tsentence\n" each) holds. */
static double best_cover(const struct vns_query *q, const char *v, size_t len)
{
    double best = 0;
    size_t s = 0;

    while (s < len) {
        const char *nl = memchr(v + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - v) : len;
        const char *tab = memchr(v + s, '\t', e - s);
        if (tab != NULL) {
            size_t t = (size_t)(tab - v) + 1;
            double c = vns_intent_cover(q, v + t, e - t);
            if (c > best)
                best = c;
        }
        s = e + 1;
    }
    return best;
}

static int by_score(const void *x, const void *y)
{
    const struct vns_ranked *p = x, *r = y;

    if (p->score != r->score)
        return p->score < r->score ? 1 : -1;
    return p->i < r->i ? -1 : p->i > r->i;
}

int vns_rerank(struct vns_xdb *db, const struct vns_query *q, int intent,
               const struct vns_xresults *xr, struct vns_ranked *order,
               struct vns_err *err)
{
    const struct vns_qterm *t[VNS_MAX_QUERY_TERMS];
    const char *seq[VNS_MAX_QUERY_TERMS];
    size_t n = vns_query_loose(q, t, NULL, VNS_MAX_QUERY_TERMS);
    int rc = VNS_OK;

    for (size_t i = 0; i < n; i++)
        seq[i] = t[i]->folded;
    for (size_t i = 0; i < xr->n; i++) {
        const struct vns_xhit *h = &xr->hits[i];
        double s = h->score;
        if (n >= 3 && i < VNS_RERANK_ORDER_DEPTH) {
            /* "tiêm mũi 2" as typed beats the three words apart (two
             * words side by side are a pair term already) */
            size_t al = 0;
            rc = vns_rerank_aligned(db, h->docid, seq, n, &al, err);
            if (rc != VNS_OK)
                return rc;
            if (al >= 2)
                s *= 1 + ORDER_BOOST * (double)(al - 1) / (double)(n - 1);
        }
        if (intent && h->values[0] != NULL)
            /* "mũi 2" in "hoàn thành tiêm mũi 2 trước ngày 15/12" */
            s *= 1 + COVER_BOOST * best_cover(q, h->values[0], h->value_len[0]);
        order[i] = (struct vns_ranked){i, s};
    }
    qsort(order, xr->n, sizeof(*order), by_score);
    return rc;
}

int vns_rerank_deadlines(const struct vns_query *q, struct vns_hit *hit,
                         struct vns_err *err)
{
    json_t *m = json_loads(hit->meta, 0, NULL), *dl, *d;
    double best = COVER_MIN;
    size_t i, n = 0;
    int rc = VNS_OK;

    dl = json_object_get(m, "deadlines");
    json_array_foreach(dl, i, d)
    {
        double c = cover(q, d);
        if (c >= best)
            best = c;
    }
    json_array_foreach(dl, i, d) n += cover(q, d) >= best;
    if (n == 0)
        goto out;
    hit->matching_deadlines = calloc(n, sizeof(*hit->matching_deadlines));
    if (hit->matching_deadlines == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    json_array_foreach(dl, i, d)
    {
        struct vns_hit_deadline *hd;
        json_t *date = json_object_get(d, "date");
        if (cover(q, d) < best)
            continue;
        hd = &hit->matching_deadlines[hit->nmatching_deadlines++];
        hd->date = strdup(json_is_string(date) ? json_string_value(date) : "");
        hd->text = strdup(json_string_value(json_object_get(d, "text")));
        if (hd->date == NULL || hd->text == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
            goto out;
        }
    }
out:
    json_decref(m);
    return rc;
}
