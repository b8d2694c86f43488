/* Re-ranking the top hits: the query's words in the order typed, read from
 * the text's words in order (wordseq.h; the folded terms' positions on an
 * older index), and deadline sentences for deadline questions. */
#include "rerank.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "docrec.h"
#include "fixes.h"
#include "index_impl.h"
#include "intent.h"
#include "wordseq.h"

/* A hit holding the query's words in order scores up to 1 + this many
 * times more (the whole phrase: all of it; one word off: a little less).
 * 1 -> 4 raised overall nDCG@10 on gen-notices medium seed 21 0.982 ->
 * 0.986, small seeds 11, 2, 31 by 0 to 0.001. */
#define ORDER_BOOST 4.0
/* The gain grows as the aligned share to this power (a near miss gains
 * less than its share), and the whole query as typed gains this much
 * more: a notice holding the sentence beats one holding it with one word
 * changed ("đến ngày 30/01/2025 hoàn thành hỗ trợ người" against the
 * same line dated the 19th). Linear and no bonus -> 1.5 and 1: known_item
 * MRR@10 medium seeds 21 / 61 / 71 0.991 / 0.987 / 0.994 -> 0.995 / 0.995
 * / 0.997, small 11 / 31 / 51 0.986 / 0.995 / 0.975 -> 0.991 / 1.000 /
 * 0.985 (41: 1.000 =); typo variant medium 21 0.970 -> 0.981; no family's
 * nDCG@10 lower by more than 0.001. */
#define ORDER_POWER 1.5
#define WHOLE_BOOST 1.0
/* Positions read per term and document: enough for any notice, bounded
 * for a report that says "của" ten thousand times. */
#define MAX_POSITIONS 4096
/* A deadline question's cue words ("đến ngày", "đúng hạn", "hạn") are
 * left out of its match, not of its word order: there each counts half
 * a word, all of them together CUE_MOST words at most beyond the rest,
 * so that a sentence quoted whole ("khu vực phong toả đến ngày", cut
 * before its date) comes before the same words without its cue. Known
 * item MRR@10 gen-notices small seed 102 old-tone 0.958 -> 1.000;
 * nDCG@10 of one known item up on medium 61, two on 71; topic_deadline
 * the same to 0.001 on small seeds 11, 31, 51, 101-103, medium 21, 61,
 * 71 (one query, "tiem vaccine tre 12-17 tuoi truoc ngay", 0.911 ->
 * 0.892 on small 51). Counting the cue words whole: topic_deadline
 * -0.04 on one query of small 31, 51 and 101 each. But where every word
 * as typed stands in order, cue words too, the sentence is quoted whole
 * and counts all its words: "doanh nghiep co so kinh doanh cham nhat"
 * (a known item ending on "chậm nhất") went 5th, below notices saying
 * the other words twice. Known item no-diacritics MRR@10 gen-notices
 * small seed 201 0.960 -> 1.000, old-tone medium 61 0.998 -> 1.000; no
 * other query's nDCG@10 moved on small 11, 31, 51, 101-103, medium 21,
 * 61, 71. */
#define CUE_MOST 0.5
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

static int by_pos(const void *x, const void *y)
{
    const struct vns_wordpos *a = x, *b = y;

    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->word < b->word ? -1 : a->word > b->word;
}

/* The positions found so far: word i at p puts the phrase's start at
 * p - i, kept as p + n - i (never below 0): counted in starts[] when the
 * positions come in order (the words value), else listed in all[] to be
 * sorted; wp[] for the snippets when wanted. */
struct gather {
    uint32_t *all;
    uint8_t *starts; /* starts[s]: the words found starting at s */
    size_t nstarts, best;
    struct vns_wordpos *wp;
    size_t nall, cap, n;
    const uint32_t *of;  /* of[w]: the query word looked-for word w stands
                            for (NULL: itself) */
    const uint8_t *half; /* half[w]: word w counts half (NULL: none) */
    int want_wp;
};

/* Room for one more position in all[] (listed) and wp[] (wanted). */
static int gather_room(struct gather *g)
{
    size_t ncap = g->cap ? g->cap * 2 : 256;

    if (g->nall < g->cap)
        return VNS_OK;
    if (g->starts == NULL) {
        uint32_t *v = realloc(g->all, ncap * sizeof(*v));
        if (v == NULL)
            return VNS_ENOMEM;
        g->all = v;
    }
    if (g->want_wp) {
        struct vns_wordpos *w = realloc(g->wp, ncap * sizeof(*w));
        if (w == NULL)
            return VNS_ENOMEM;
        g->wp = w;
    }
    g->cap = ncap;
    return VNS_OK;
}

/* Word i at Xapian position p (from 1), as typed (half: as a fix). */
static int gather_put(struct gather *g, uint32_t p, uint32_t i, int half)
{
    uint32_t s = p + (uint32_t)(g->n - i);

    if (g->starts != NULL) { /* word i comes once at most a start */
        if (s < g->nstarts &&
            (g->starts[s] = (uint8_t)(g->starts[s] + (half ? 1 : 2))) > g->best)
            g->best = g->starts[s];
        if (!g->want_wp)
            return VNS_OK;
    }
    if (gather_room(g) != VNS_OK)
        return VNS_ENOMEM;
    if (g->want_wp)
        g->wp[g->nall] = (struct vns_wordpos){p ? p - 1 : 0, i};
    if (g->starts == NULL)
        g->all[g->nall] = s;
    g->nall++;
    return VNS_OK;
}

static int put_found(uint32_t pos, uint32_t word, void *ctx)
{
    struct gather *g = ctx;

    /* the words after the query's own stand in for them: fixes */
    return gather_put(g, pos + 1, g->of != NULL ? g->of[word] : word,
                      g->half != NULL && g->half[word]);
}

/* From the position lists: two block reads a word (older indexes). */
static int gather_lists(struct gather *g, struct vns_xdb *db, uint32_t docid,
                        const char *const *seq, size_t n, struct vns_err *err)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t *p = NULL;
        size_t np = 0;
        int rc =
            vns_xdb_positions(db, docid, seq[i], strlen(seq[i]), &p, &np, err);
        if (rc == VNS_OK && np > MAX_POSITIONS)
            np = MAX_POSITIONS;
        for (size_t k = 0; rc == VNS_OK && k < np; k++)
            if (gather_put(g, p[k], (uint32_t)i, 0) != VNS_OK)
                rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        free(p);
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

/* The words value of docid, from its stored parts (kept in *shown for
 * the caller) or, on an older index, its own slot; *v points into one
 * of them, *vl 0 when there is none. Damaged parts hold no words here:
 * the hit, if shown, says so when it reads its record from them. */
static int words_of(struct vns_xdb *db, uint32_t docid, char **shown,
                    size_t *shown_len, char **own, const char **v, size_t *vl,
                    struct vns_err *err)
{
    struct vns_parts pt;
    int rc =
        vns_xdb_get_value(db, docid, VNS_SLOT_SHOWN, shown, shown_len, err);

    if (rc != VNS_OK)
        return rc;
    if (vns_parts_split(*shown, *shown_len, &pt, NULL) != VNS_OK) {
        *vl = 0;
        return VNS_OK;
    }
    if (pt.p[VNS_PART_WORDS] != NULL) {
        *v = pt.p[VNS_PART_WORDS];
        *vl = pt.len[VNS_PART_WORDS];
        return VNS_OK;
    }
    rc = vns_xdb_get_value(db, docid, VNS_SLOT_WORDS, own, vl, err);
    *v = *own;
    return rc;
}

/* vns_rerank_aligned for the looked-for words want[0..nw): the n query
 * words, then others standing for them (of[w], w >= n: a misspelled
 * word's fixes, which an older index's lists do not know); *out in half
 * words, a fix counting half. */
static int aligned(struct vns_xdb *db, uint32_t docid, const char *const *want,
                   const uint32_t *of, const uint8_t *half, size_t nw, size_t n,
                   size_t *out, struct vns_checked *found, struct vns_err *err)
{
    struct gather g = {
        .n = n, .of = of, .half = half, .want_wp = found != NULL};
    size_t best = 0, vl = 0, shown_len = 0;
    char *shown = NULL, *own = NULL;
    const char *v = NULL;
    int rc;

    /* one read a hit; an older index, or a damaged value: the lists */
    rc = words_of(db, docid, &shown, &shown_len, &own, &v, &vl, err);
    if (rc != VNS_OK)
        goto out;
    if (vl > 0) { /* a token a byte at least: the starts below vl + n + 1 */
        g.nstarts = vl + n + 1;
        g.starts = calloc(g.nstarts, 1);
        if (g.starts == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
            goto out;
        }
    }
    rc = vl == 0 ? VNS_EINDEX
                 : vns_wordseq_find(v, vl, want, nw, MAX_POSITIONS, put_found,
                                    &g, NULL);
    if (rc == VNS_EINDEX) { /* from the lists, in no order */
        free(g.starts);
        g.starts = NULL;
        g.nall = g.cap = 0; /* all[] not yet had room */
        g.best = 0;
        g.of = NULL;
        g.half = NULL;
        rc = gather_lists(&g, db, docid, want, n, err);
    } else if (rc != VNS_OK) { /* put_found's */
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
    }
    if (rc != VNS_OK)
        goto out;
    if (g.starts == NULL && g.nall > 0) {
        qsort(g.all, g.nall, sizeof(*g.all), by_value);
        for (size_t k = 0, run = 0; k < g.nall; k++) {
            run = k > 0 && g.all[k] == g.all[k - 1] ? run + 1 : 1;
            if (2 * run > g.best)
                g.best = 2 * run;
        }
    }
    best = g.best;
    if (found != NULL) {
        vns_checked_fini(found);
        if (g.nall > 0) {
            /* the words value's come in order, the fixes' aside */
            if (g.starts == NULL || nw > n)
                qsort(g.wp, g.nall, sizeof(*g.wp), by_pos);
            found->words = (struct vns_hitwords){g.wp, g.nall};
            g.wp = NULL;
        }
        if (shown_len > 0) { /* moved: the hit's record, if shown */
            found->shown = shown;
            found->shown_len = shown_len;
            shown = NULL;
        }
    }
out:
    *out = best;
    free(shown);
    free(own);
    free(g.all);
    free(g.starts);
    free(g.wp);
    return rc;
}

int vns_rerank_aligned(struct vns_xdb *db, uint32_t docid,
                       const char *const *seq, size_t n, size_t *out,
                       struct vns_checked *found, struct vns_err *err)
{
    int rc = aligned(db, docid, seq, NULL, NULL, n, n, out, found, err);

    *out /= 2; /* no fixes: whole words */
    return rc;
}

void vns_checked_fini(struct vns_checked *c)
{
    vns_hitwords_fini(&c->words);
    free(c->shown);
    *c = (struct vns_checked){0};
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

    if (p->answers != r->answers)
        return p->answers < r->answers ? 1 : -1;
    if (p->score != r->score)
        return p->score < r->score ? 1 : -1;
    return p->i < r->i ? -1 : p->i > r->i;
}

/* links[k][d]: whether hit d of the first nd may hold the pair term of
 * syllables k and k + 1 ("Btiem mui"): one walk of each pair's posting
 * list over the hits in docid order (over remote shards every hit may:
 * the bound then settles nothing and the hits are checked on their
 * words). */
static int pair_links(struct vns_xdb *db, const char *const *seq, size_t n,
                      const struct vns_xhit *hits, size_t nd,
                      uint8_t links[][VNS_RERANK_ORDER_DEPTH],
                      struct vns_err *err)
{
    uint32_t ids[VNS_RERANK_ORDER_DEPTH];
    size_t at[VNS_RERANK_ORDER_DEPTH];
    uint8_t has[VNS_RERANK_ORDER_DEPTH];

    for (size_t d = 0; d < nd; d++) { /* hits by docid: few, insertion */
        size_t j = d;
        while (j > 0 && hits[at[j - 1]].docid > hits[d].docid) {
            at[j] = at[j - 1];
            j--;
        }
        at[j] = d;
    }
    for (size_t d = 0; d < nd; d++)
        ids[d] = hits[at[d]].docid;
    for (size_t k = 0; k + 1 < n; k++) {
        char pt[VNS_PAIR_MAX + 2];
        size_t pl =
            vns_pair_term(pt, sizeof(pt), VNS_PREFIX_PAIR, seq[k], seq[k + 1]);
        memset(links[k], 0, sizeof(links[k]));
        if (pl == 0)
            continue; /* too long to be indexed */
        int rc = vns_xdb_holding(db, pt, pl, ids, nd, has, err);
        if (rc != VNS_OK)
            return rc;
        for (size_t d = 0; d < nd; d++)
            links[k][at[d]] = has[d];
    }
    return VNS_OK;
}

/* What the pairs say of hit d's alignment: the most syllables in a run
 * linked by pairs it holds, two runs one syllable apart joined (that one
 * misspelled). A run in the text is a run of pairs, so this is at least
 * the alignment of vns_rerank_aligned in all but rare cases (runs apart by
 * more than one syllable, a pair across a paragraph break); it is more
 * when the pairs stand in different places. */
static size_t pair_chain(uint8_t links[][VNS_RERANK_ORDER_DEPTH], size_t n,
                         size_t d)
{
    size_t run[VNS_MAX_QUERY_TERMS], m = 0, best = 0, cur = 1;

    for (size_t k = 0; k + 1 < n; k++) {
        if (links[k][d]) {
            cur++;
            continue;
        }
        run[m++] = cur;
        cur = 1;
    }
    run[m++] = cur;
    for (size_t j = 0; j < m; j++) {
        if (run[j] > best)
            best = run[j];
        if (j + 2 < m && run[j + 1] == 1 && run[j] + run[j + 2] > best)
            best = run[j] + run[j + 2];
    }
    return best;
}

/* The factor for al of the query's n loose syllables standing in order;
 * it grows with al (pair_chain's bound relies on that). */
static double order_gain(double al, size_t n)
{
    if (al < 2)
        return 1;
    return 1 + ORDER_BOOST * pow((al - 1) / (double)(n - 1), ORDER_POWER) +
           (al >= n ? WHOLE_BOOST : 0);
}

/* The words a hit's pair chain of pc words may count for, at most, in
 * order_gain: all n as typed if the chain is whole (aligned() may then
 * find the whole sentence, cue words and all) or whole but for a word
 * standing through its fix (edge_fix: the pair holding the misspelled
 * word is in no document), else most. */
static double counted(size_t pc, size_t n, double most, int edge_fix)
{
    return pc + (edge_fix != 0) >= n ? (double)n : fmin((double)pc, most);
}

/* The words a hit aligning al half words counts for: all n as typed when
 * the sentence is whole, the cue words of a deadline question half each
 * (al = 2m + (n - m)), or, with no cue words, one word through its fix
 * (2n - 1: "Trng tháng 08/2022 Sở Y tế" where the notice says "Trong
 * ..."), else what it aligned, most at most. The sentence whole through
 * its fix, counted whole: known item typo nDCG@10 of one query up on
 * gen-notices small seeds 11, 51, 301 and medium 21 each (0.693 -> 0.920
 * on 301: a long notice below a short one saying "tháng 09/2022"), no
 * other query's on small 31, 101-103, 201-203, medium 61, 71. */
static double aligned_words(size_t al, size_t m, size_t n, double most,
                            int edge_fix)
{
    if (al >= m + n || (edge_fix && n == m && al + 1 >= 2 * n))
        return (double)n;
    return fmin(al / 2.0, most);
}

/* Whether order[0..nd) holds, among its keep best, one not settled. */
static int unsettled_on_top(struct vns_ranked *order, size_t nd, size_t keep,
                            const uint8_t *settled, size_t *which)
{
    qsort(order, nd, sizeof(*order), by_score);
    for (size_t r = 0; r < nd && r < keep; r++)
        if (!settled[order[r].i]) {
            *which = r;
            return 1;
        }
    return 0;
}

/* The words to look for: the n query words t[0..n), then the fixes (fx,
 * by loose syllable) of a misspelled first or last one, of[] saying which
 * query word each stands for; how many in all. A misspelled word inside
 * the query is bridged by the words around it (they agree on where the
 * phrase starts); at an edge only its fix says the phrase goes on. */
static size_t looked_for(const struct vns_query *q,
                         const struct vns_qterm *const *t, size_t n,
                         const uint8_t *cue, const struct vns_fixes *fx,
                         const char **want, uint32_t *of, uint8_t *half)
{
    const struct vns_qterm *loose[VNS_MAX_QUERY_TERMS];
    size_t nl = fx != NULL
                    ? vns_query_loose(q, loose, NULL, VNS_MAX_QUERY_TERMS)
                    : 0,
           nw = n;

    for (size_t i = 0; i < n; i++) {
        want[i] = t[i]->folded;
        of[i] = (uint32_t)i;
        half[i] = cue[i];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nl; k++) {
            if (loose[k] != t[i] || (i > 0 && i + 1 < n))
                continue;
            for (size_t e = 0; e < fx->n[k] && nw < VNS_MAX_QUERY_TERMS; e++) {
                want[nw] = fx->e[k][e].word;
                half[nw] = 1;
                of[nw++] = (uint32_t)i;
            }
        }
    return nw;
}

/* The words a re-rank looks for (looked_for) and how they count. */
struct wanted {
    const char *seq[VNS_MAX_QUERY_TERMS];
    uint32_t of[VNS_MAX_QUERY_TERMS];
    uint8_t half[VNS_MAX_QUERY_TERMS];
    size_t nw, n, m; /* looked for, as typed, matched */
    double most;     /* the words a sentence not whole counts at most */
};

/* pair_chain's bound for hit d, any one missing pair allowed: a
 * paragraph break between two of the words leaves their pair out of the
 * index (index_doc.c), not their positions. */
static size_t chain_bound(uint8_t links[][VNS_RERANK_ORDER_DEPTH], size_t n,
                          size_t d)
{
    size_t pc = pair_chain(links, n, d);

    for (size_t k = 0; k + 1 < n && pc < n; k++) {
        if (links[k][d])
            continue;
        links[k][d] = 1;
        size_t c = pair_chain(links, n, d);
        links[k][d] = 0;
        if (c > pc)
            pc = c;
    }
    return pc;
}

/* The words hit h aligns, as order_gain counts them. */
static int aligned_count(struct vns_xdb *db, const struct wanted *w,
                         const struct vns_xhit *h, double *words,
                         struct vns_checked *found, struct vns_err *err)
{
    size_t al = 0;
    int rc = aligned(db, h->docid, w->seq, w->of, w->half, w->nw, w->n, &al,
                     found, err);

    /* a fix at an edge counts half a word: "qua khẩn trương quét mã QR"
     * typed, "liên quan khẩn trương quét mã QR" written beats "khẩn
     * trương quét mã QR" alone, below the words as typed. With fixes for
     * common words (fixes.c): known_item typo MRR@10 gen-notices small
     * seeds 11 / 51 0.955 / 0.975 -> 1.000 / 1.000 (31: 1.000), medium 61
     * nDCG@10 0.987 -> 0.989, medium 21 the same; no other query's
     * nDCG@10 moved on the five. Counting a fix wherever it stands, and
     * whole: small 51 topic_deadline 0.995 -> 0.993 ("tre" fixed to
     * "trên"), medium 21 typo 0.978 -> 0.975. */
    *words = aligned_words(al, w->m, w->n, w->most, w->nw > w->n);
    return rc;
}

/* Below the first VNS_RERANK_ORDER_DEPTH hits, when none of those holds
 * the sentence whole: the hits first..lim whose pairs may hold more of
 * its words than the best of those (best) are checked, and those that do
 * gain as if they had been among the first. A known item of common words
 * in a long notice ranks past the first 20 by its terms alone: "Hành có
 * tỷ lệ giải", typed right, found its notice of 10 kB 20th, under
 * notices of "Phú Tân có tỷ lệ giải". Down to 40 hits: known item
 * nDCG@10 of four queries up on gen-notices medium 21, 301, 302, 303
 * (0 -> 1, 0 -> 0.631, 0 -> 1, 0 -> 0.631), no other query's on small
 * 11, 31, 51, 101-103, 201-203, 301, 401-403, medium 61, 71; down to 60
 * only one topic_deadline query more, by 0.002. Fetching 40 hits instead of 20
 * costs a search of 10 hits 5% at p50 (medium 301: 1.72 -> 1.80 ms); fetching
 * 20 and again 40 when none is whole (one query in seven) 2% at p50 but 26% at
 * p99. */
static int look_deeper(struct vns_xdb *db, const struct wanted *w,
                       const struct vns_xresults *xr, size_t first, size_t lim,
                       double best, struct vns_ranked *order,
                       struct vns_err *err)
{
    uint8_t links[VNS_MAX_QUERY_TERMS][VNS_RERANK_ORDER_DEPTH];

    for (size_t at = first; at < lim; at += VNS_RERANK_ORDER_DEPTH) {
        size_t nd = lim - at < VNS_RERANK_ORDER_DEPTH ? lim - at
                                                      : VNS_RERANK_ORDER_DEPTH;
        uint32_t ids[VNS_RERANK_ORDER_DEPTH];
        uint8_t check[VNS_RERANK_ORDER_DEPTH];
        size_t nc = 0;
        int rc = pair_links(db, w->seq, w->n, xr->hits + at, nd, links, err);
        for (size_t d = 0; d < nd; d++) {
            check[d] = counted(chain_bound(links, w->n, d), w->n, w->most,
                               w->nw > w->n) > best;
            if (check[d])
                ids[nc++] = xr->hits[at + d].docid;
        }
        if (rc == VNS_OK)
            rc = vns_xdb_documents_ahead(db, ids, nc, err);
        for (size_t d = 0; d < nd && rc == VNS_OK; d++) {
            double words = 0;
            if (!check[d])
                continue;
            rc = aligned_count(db, w, &xr->hits[at + d], &words, NULL, err);
            if (rc == VNS_OK && words > best)
                order[at + d].score *= order_gain(words, w->m);
        }
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

int vns_rerank(struct vns_xdb *db, const struct vns_query *q,
               const struct vns_qterm *const *typed, size_t ntyped,
               const struct vns_fixes *fx, int intent,
               const struct vns_xresults *xr, size_t keep,
               struct vns_ranked *order, struct vns_checked *found,
               struct vns_err *err)
{
    const struct vns_qterm *t[VNS_MAX_QUERY_TERMS];
    uint8_t cue[VNS_MAX_QUERY_TERMS] = {0};
    uint8_t links[VNS_MAX_QUERY_TERMS][VNS_RERANK_ORDER_DEPTH];
    uint8_t settled[VNS_RERANK_ORDER_DEPTH];
    double base[VNS_RERANK_ORDER_DEPTH];
    uint32_t ids[VNS_RERANK_ORDER_DEPTH];
    struct wanted w;
    size_t r, nd, nc = 0;
    double best = 0; /* the most words a hit checked aligns */
    int rc = VNS_OK;

    /* the words matched (a deadline question's cue words left out) */
    w.m = w.n = vns_query_ordered(q, t, VNS_MAX_QUERY_TERMS);
    w.most = (double)w.m;
    nd = w.m >= 3
             ? (xr->n < VNS_RERANK_ORDER_DEPTH ? xr->n : VNS_RERANK_ORDER_DEPTH)
             : 0;
    if (typed != NULL && ntyped > w.m && ntyped <= VNS_MAX_QUERY_TERMS) {
        /* in the order as typed, the cue words half a word each, and
         * together worth at most CUE_MOST words beyond the others */
        vns_query_left_out(q, typed, ntyped, cue);
        memcpy(t, typed, ntyped * sizeof(*t));
        w.n = ntyped;
        w.most = (double)w.m + CUE_MOST;
    }
    w.nw = looked_for(q, t, w.n, cue, fx, w.seq, w.of, w.half);

    for (size_t i = 0; i < xr->n; i++) {
        const struct vns_xhit *h = &xr->hits[i];
        double s = h->score, c = 0;
        if (intent && h->values[0] != NULL) {
            /* "mũi 2" in "hoàn thành tiêm mũi 2 trước ngày 15/12" */
            c = best_cover(q, h->values[0], h->value_len[0]);
            s *= 1 + COVER_BOOST * c;
        }
        /* a sentence that answers the question whole beats the words in
         * order in a hit that answers it nowhere: "khi nào hoàn thành
         * tiêm mũi 2" put first a notice saying "hoàn thành tiêm mũi 2"
         * with no date, over two whose deadlines say it (corpus/).
         * topic_deadline nDCG@10: medium 21 0.991 -> 1.000, medium 403
         * 0.991 -> 0.996 (MRR 0.994 -> 1.000), small 803 0.992 -> 0.998;
         * small 801, 802 unchanged; no family worse on any */
        order[i] = (struct vns_ranked){i, s, c >= 1.0};
    }
    if (nd > 0) {
        /* "tiêm mũi 2" as typed beats the three words apart (two words
         * side by side are a pair term already). Where a hit holds the
         * words costs a value read (three block reads; two a word on an
         * index without it), so the pair terms a hit holds come first: they
         * bound its alignment from above (chain_bound). Hits go best first
         * by that bound, and the first unchecked among the keep best is
         * checked on its words, until the keep best are all checked: they
         * come out as if every hit had been. Medium seed 21: 15 of 20 hits
         * checked, the re-ranking 0.85 -> 0.69 ms a query, nDCG@10 of
         * every query the same. */
        rc = pair_links(db, w.seq, w.n, xr->hits, nd, links, err);
        if (rc != VNS_OK)
            return rc;
        for (size_t d = 0; d < nd; d++) {
            size_t pc = chain_bound(links, w.n, d);
            base[d] = order[d].score;
            settled[d] = pc < 2; /* no gain to check */
            order[d].score =
                base[d] * order_gain(counted(pc, w.n, w.most, w.nw > w.n), w.m);
            if (!settled[d])
                ids[nc++] = xr->hits[d].docid;
        }
        /* remote shards say every hit may hold the pairs: all are read */
        rc = vns_xdb_documents_ahead(db, ids, nc, err);
        if (rc != VNS_OK)
            return rc;
        if (keep == 0 || keep > nd)
            keep = nd;
        while (unsettled_on_top(order, nd, keep, settled, &r)) {
            size_t d = order[r].i;
            double words = 0;
            rc = aligned_count(db, &w, &xr->hits[d], &words,
                               found ? &found[d] : NULL, err);
            if (rc != VNS_OK)
                return rc;
            order[r].score = base[d] * order_gain(words, w.m);
            settled[d] = 1;
            if (words > best)
                best = words;
        }
        if (best < (double)w.m && xr->n > nd)
            rc = look_deeper(db, &w, xr, nd,
                             xr->n < VNS_RERANK_DEEP ? xr->n : VNS_RERANK_DEEP,
                             best, order, err);
    }
    qsort(order, xr->n, sizeof(*order), by_score);
    return rc;
}

/* Where deadline d's sentence stands in the text, as its record says:
 * {0, 0} when it does not say (a deadline from a manifest). */
static struct vns_span deadline_span(const json_t *d)
{
    json_t *off = json_object_get(d, "off"), *len = json_object_get(d, "len");
    json_int_t o = json_integer_value(off), n = json_integer_value(len);

    if (!json_is_integer(off) || !json_is_integer(len) || o < 0 || n <= 0 ||
        o > UINT32_MAX || n > UINT32_MAX)
        return (struct vns_span){0, 0};
    return (struct vns_span){(size_t)o, (size_t)n};
}

int vns_rerank_deadlines(const struct vns_query *q, struct vns_hit *hit,
                         struct vns_span *shown, size_t *nshown,
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
        if (*nshown < VNS_SNIP_MAX_SHOWN)
            shown[(*nshown)++] = deadline_span(d);
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
