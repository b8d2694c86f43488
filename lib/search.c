/* Ranking policy: the parsed query becomes a Xapian query tree (folded
 * terms match every diacritic form; exact forms and adjacent-syllable pair
 * terms score more), the top is re-ranked (rerank.c), then hits get their
 * records and snippets. */
#include "vnsearch/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "docrec.h"
#include "docsets.h"
#include "facetcols.h"
#include "filter.h"
#include "fixes.h"
#include "idcache.h"
#include "index_impl.h"
#include "intent.h"
#include "qtree.h"
#include "query.h"
#include "rerank.h"
#include "shard.h"
#include "snippet.h"
#include "spell.h"
#include "synonyms.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 10000
#define DEFAULT_SNIPPETS 2
#define DEFAULT_SNIPPET_LEN 300
/* A notice's own number weighs this many times a rare word: far more
 * when the query is nothing but the number. */
#define NUMBER_SCALE 3.0
#define NUMBER_SCALE_WHOLE 20.0
/* A misspelled query word also looks for its fixes (fixes.c), each
 * weighing FIX_SCALE of a word typed right. */
#define FIX_SCALE 0.7
/* A synonym's match weighs a little less than the word typed. */
#define SYNONYM_SCALE 0.8
/* A deadline question's words beside its cue words, as pairs (cue_edges),
 * weigh this share of what pairs weigh. */
#define CUE_EDGE_SCALE 0.3
/* A deadline query re-ranks this many hits by their deadline sentences
 * (rerank.c); any other, VNS_RERANK_DEEP by word order. */
#define RERANK_DEPTH 100

static const struct vns_xq *folded(struct vns_qtree *a,
                                   const struct vns_qterm *t)
{
    return vns_qtree_term(a, "", t->folded);
}

/* The form a syllable must have: typed with diacritics, its exact form;
 * without, any form. */
static const struct vns_xq *strict(struct vns_qtree *a,
                                   const struct vns_qterm *t)
{
    if (t->flags & VNS_TOK_MARKED)
        return vns_qtree_term(a, VNS_PREFIX_EXACT, t->exact);
    return folded(a, t);
}

/* Matches every form; the exact one, when typed, scores on top (unless
 * the index writes it no other way: VNS_QT_DOMINANT). */
static const struct vns_xq *syllable(struct vns_qtree *a,
                                     const struct vns_qterm *t)
{
    const struct vns_xq *k[2];

    k[0] = folded(a, t);
    if (!(t->flags & VNS_TOK_MARKED) || (t->flags & VNS_QT_DOMINANT))
        return k[0];
    k[1] = strict(a, t);
    return vns_qtree_join(a, VNS_XQ_OR, k, 2, 0);
}

static const struct vns_xq *pair_of(struct vns_qtree *a, const char *x,
                                    const char *y);

/* Words side by side: their AND, filtered by each adjacent pair's term
 * (index_doc.c: no pair spans a paragraph break). The index keeps no
 * positions (the re-rank reads the words' order from one value a hit,
 * wordseq.h), so three words or more may match as pairs that stand
 * apart; the re-rank puts the words as typed first. Weighs what the
 * words weigh, as Xapian's PHRASE did. */
static const struct vns_xq *side_by_side(struct vns_qtree *a,
                                         const char *const *words, size_t n)
{
    const struct vns_xq *w[VNS_MAX_QUERY_TERMS], *k[VNS_MAX_QUERY_TERMS];
    size_t nk = 1;

    if (n > VNS_MAX_QUERY_TERMS)
        n = VNS_MAX_QUERY_TERMS;
    for (size_t m = 0; m < n; m++)
        w[m] = vns_qtree_term(a, "", words[m]);
    if (n <= 1)
        return n == 1 ? w[0] : NULL;
    k[0] = vns_qtree_join(a, VNS_XQ_AND, w, n, 0);
    for (size_t m = 0; m + 1 < n; m++)
        if ((k[nk] = pair_of(a, words[m], words[m + 1])) != NULL)
            nk++; /* a pair never indexed does not filter */
    return vns_qtree_join(a, VNS_XQ_FILTER, k, nk, 0);
}

/* A phrase of parts[0..n): folded, side by side. */
static const struct vns_xq *phrase(struct vns_qtree *a,
                                   const struct vns_qterm *parts, size_t n)
{
    const char *words[VNS_MAX_QUERY_TERMS];

    for (size_t i = 0; i < n; i++)
        words[i] = parts[i].folded;
    return side_by_side(a, words, n);
}

/* Every part in the form typed (exact forms carry no positions: the
 * phrase itself is matched folded). */
static const struct vns_xq *all_strict(struct vns_qtree *a,
                                       const struct vns_qterm *parts, size_t n)
{
    const struct vns_xq *k[VNS_MAX_QUERY_TERMS];

    for (size_t i = 0; i < n; i++)
        k[i] = strict(a, &parts[i]);
    return vns_qtree_join(a, VNS_XQ_AND, k, n, 0);
}

/* The phrase in the form typed: folded in order, exact forms present. */
static const struct vns_xq *
exact_phrase(struct vns_qtree *a, const struct vns_qterm *parts, size_t n)
{
    const struct vns_xq *k[2];

    k[0] = phrase(a, parts, n);
    k[1] = all_strict(a, parts, n);
    return vns_qtree_join(a, VNS_XQ_FILTER, k, 2, 0);
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
static const struct vns_xq *required(struct vns_qtree *a,
                                     const struct vns_query *q,
                                     const struct vns_qgroup *g)
{
    const struct vns_qterm *parts = &q->terms[g->first];
    const struct vns_xq *alt[1 + VNS_MAX_QUERY_TERMS], *k[2];
    size_t na = 0;

    if (g->nparts == 1)
        return syllable(a, parts);
    alt[na++] = phrase(a, parts, g->nparts);
    /* "2771/QĐ-UBND" typed whole also matches its compound term */
    for (size_t c = 0; c < g->ncompounds; c++)
        alt[na++] = syllable(a, &parts[g->nparts + c]);
    k[0] = vns_qtree_join(a, VNS_XQ_OR, alt, na, 0);
    if (!any_marked(parts, g->nparts))
        return k[0];
    k[1] = all_strict(a, parts, g->nparts);
    return vns_qtree_join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
}

/* One meaning of a synonym: its words side by side, weighing their sum
 * (scaled by the caller to about one word's weight, so "Ủy ban nhân dân"
 * found for "UBND" stays below "UBND" itself). */
static const struct vns_xq *meaning(struct vns_qtree *a,
                                    const struct vns_synphrase *p)
{
    return side_by_side(a, p->words, p->n);
}

/* What the loose syllables seq[0..n) also mean (data/synonyms.tsv):
 * "UBND" finds "Ủy ban nhân dân" and back, "deadline" finds "hạn";
 * multi-word meanings are their words side by side. NULL when none. */
static const struct vns_xq *synonyms(struct vns_qtree *a,
                                     const struct vns_synonyms *syn,
                                     const struct vns_qterm *seq, size_t n)
{
    const char *words[VNS_MAX_QUERY_TERMS];
    const struct vns_xq *alt[VNS_MAX_QUERY_TERMS];
    size_t nalt = 0;

    for (size_t i = 0; i < n; i++)
        words[i] = seq[i].folded;
    for (size_t i = 0; i < n && nalt < VNS_MAX_QUERY_TERMS; i++) {
        const struct vns_synphrase *alts;
        size_t na = 0;
        if (vns_synonyms_match(syn, words + i, n - i, &alts, &na) == 0)
            continue;
        for (size_t j = 0; j < na && nalt < VNS_MAX_QUERY_TERMS; j++)
            alt[nalt++] = vns_qtree_scale(a, meaning(a, &alts[j]),
                                          SYNONYM_SCALE / (double)alts[j].n);
    }
    if (nalt == 0)
        return NULL;
    return vns_qtree_join(a, VNS_XQ_OR, alt, nalt, 0);
}

/* Two adjacent syllables as one term (index_doc.c: "Btiem mui"); NULL
 * for a pair never indexed. */
static const struct vns_xq *pair_of(struct vns_qtree *a, const char *x,
                                    const char *y)
{
    char s[VNS_PAIR_MAX + 2];

    if (vns_pair_term(s, sizeof(s), VNS_PREFIX_PAIR, x, y) == 0)
        return NULL;
    return vns_qtree_term(a, "", s);
}

/* A deadline question's words beside its cue words, as pair terms: "khánh
 * thời" of "KHÁNH THỜI HẠN HOÀN THÀNH", "tân thời" of "Phú Tân thời hạn
 * hoàn thành". Its match leaves the cue words out (vns_intent_deadline);
 * these pairs still say where its words stood beside them, as a known
 * item cut there writes them; at CUE_EDGE_SCALE of their weight, since a
 * deadline question's topic stands beside its cue words too ("xét nghiệm
 * trước ngày" then favours "xét nghiệm trước khi"). Known item nDCG@10 of
 * two queries up (gen-notices medium 61 "Phú Tân thời hạn hoàn thành",
 * 302 "giại quyết đúng hạn đạt"), topic_deadline of ten queries on
 * small 11, 31, 51, 101-103, 201-203, 301, 401-403, medium 21, 61, 71,
 * 301-303 up or down, the family the same to 0.002 on each; whole, they
 * raised four known items more but cost topic_deadline up to 0.74 a
 * query. typed[0..ntyped) are q's words as typed, before the cue words
 * were left out. NULL when there are none. */
static const struct vns_xq *cue_edges(struct vns_qtree *a,
                                      const struct vns_query *q,
                                      const struct vns_qterm *const *typed,
                                      size_t ntyped)
{
    const struct vns_xq *e[VNS_MAX_QUERY_TERMS];
    uint8_t cue[VNS_MAX_QUERY_TERMS];
    size_t ne = 0;

    vns_query_left_out(q, typed, ntyped, cue);
    for (size_t i = 0; i + 1 < ntyped; i++)
        if (cue[i] != cue[i + 1] &&
            (e[ne] = pair_of(a, typed[i]->folded, typed[i + 1]->folded)) !=
                NULL)
            ne++;
    return ne == 0 ? NULL
                   : vns_qtree_scale(a, vns_qtree_join(a, VNS_XQ_OR, e, ne, 0),
                                     CUE_EDGE_SCALE);
}

/* The pair of loose syllables i and i + 1, or of their fixes: "hư hỏg"
 * also finds "hư hỏng". NULL when no such pair is indexed (too long): it
 * must not empty the AND of the query's pairs. */
static const struct vns_xq *pair(struct vns_qtree *a,
                                 const struct vns_qterm *seq,
                                 const struct vns_fixes *fx, size_t i)
{
    const struct vns_xq *alt[1 + 2 * VNS_FIX_MAX];
    size_t n = 0;

    if ((alt[n] = pair_of(a, seq[i].folded, seq[i + 1].folded)) != NULL)
        n++;
    for (size_t k = 0; k < fx->n[i]; k++)
        if ((alt[n] = pair_of(a, fx->e[i][k].word, seq[i + 1].folded)) != NULL)
            n++;
    for (size_t k = 0; k < fx->n[i + 1]; k++)
        if ((alt[n] = pair_of(a, seq[i].folded, fx->e[i + 1][k].word)) != NULL)
            n++;
    return n == 0 ? NULL : vns_qtree_join(a, VNS_XQ_OR, alt, n, 0);
}

/* A query that is a document number ("Số 2771/QĐ-UBND", "135 - TB/TU"),
 * whole or as one of its words: that notice's own number term, scaled so
 * that it comes before the notices citing the number. NULL when none. */
static const struct vns_xq *number(struct vns_qtree *a, const char *qs,
                                   size_t qlen, const struct vns_query *q)
{
    char key[VNS_DOCNUM_MAX];
    double scale = NUMBER_SCALE_WHOLE;

    if (!vns_docnum_key(qs, qlen, key)) {
        scale = NUMBER_SCALE;
        for (size_t i = 0; i < q->nterms && key[0] == '\0'; i++)
            if (q->terms[i].flags & VNS_TOK_COMPOUND)
                vns_docnum_key(q->terms[i].exact, strlen(q->terms[i].exact),
                               key);
    }
    if (key[0] == '\0')
        return NULL;
    return vns_qtree_scale(a, vns_qtree_term(a, VNS_PREFIX_NUMBER, key), scale);
}

/* t (NULL: none) under the search's filters parts[1..nf] (parts[0] is
 * the tree's place): the ranked tree and the facets' count alike. */
static const struct vns_xq *filtered(struct vns_qtree *a,
                                     const struct vns_xq *t,
                                     const struct vns_xq **parts, size_t nf)
{
    const struct vns_xq *k[2 + VNS_MAX_FILTERS];

    if (t == NULL || nf == 0)
        return t;
    k[0] = t;
    memcpy(&k[1], &parts[1], nf * sizeof(parts[0]));
    return vns_qtree_join(a, VNS_XQ_FILTER, k, nf + 1, 0);
}

/* Whether loose syllable i of n (in run grp[i]) counts only through its
 * pairs: common, with a neighbour, unless every_word. */
static int by_pairs_only(const struct vns_fixes *fx, const size_t *grp,
                         size_t n, size_t i, int every_word)
{
    return !every_word && fx->common[i] &&
           ((i > 0 && grp[i - 1] == grp[i]) ||
            (i + 1 < n && grp[i + 1] == grp[i]));
}

/* The query tree of q. Common syllables with a neighbour count only in
 * their pairs unless every_word; *left_out says whether some did. With
 * counting, a tree that matches the same documents but is cheaper to
 * run without weights, for counting them all (facets): a word's folded
 * form without its exact one (every document with the exact form has
 * the folded one), no pair a word of it or a fix already finds, only
 * the quoted phrases where they are required. */
static const struct vns_xq *build(struct vns_qtree *a,
                                  const struct vns_synonyms *syn,
                                  const struct vns_query *q, const char *qs,
                                  size_t qlen, const struct vns_fixes *fx,
                                  int every_word, int counting, int *left_out)
{
    const struct vns_xq *req[VNS_MAX_QUERY_TERMS], *nots[VNS_MAX_QUERY_TERMS];
    const struct vns_xq *any[VNS_MAX_QUERY_TERMS * 3 + 5];
    const struct vns_xq *top[1 + VNS_MAX_QUERY_TERMS * 2 + 1], *k[2];
    struct vns_qterm seq[VNS_MAX_QUERY_TERMS];
    size_t grp[VNS_MAX_QUERY_TERMS], slot[VNS_MAX_QUERY_TERMS], run = 0;
    size_t nreq = 0, nnot = 0, nany = 0, nseq = 0, nt = 0;
    const struct vns_xq *base = NULL;

    *left_out = 0;
    for (size_t gi = 0; gi < q->ngroups; gi++) {
        const struct vns_qgroup *g = &q->groups[gi];
        const struct vns_qterm *t = &q->terms[g->first];
        if (g->kind != VNS_Q_LOOSE || g->apart)
            run++; /* loose words on either side are not adjacent */
        if (g->kind == VNS_Q_NOT) {
            nots[nnot++] =
                g->nparts == 1 ? strict(a, t) : exact_phrase(a, t, g->nparts);
        } else if (g->kind == VNS_Q_PHRASE) {
            req[nreq++] = required(a, q, g);
        } else {
            for (size_t i = 0; i < g->nparts; i++) {
                slot[nseq] = nany;
                any[nany++] = counting ? folded(a, &t[i]) : syllable(a, &t[i]);
                /* a typo: its fixes, a bit lower; a common word's only
                 * in its pairs (pair()), as the word's own */
                if (fx->n[nseq] > 0 && (!fx->common[nseq] || every_word)) {
                    const struct vns_xq *w[VNS_FIX_MAX];
                    for (size_t e = 0; e < fx->n[nseq]; e++)
                        w[e] = vns_qtree_term(a, "", fx->e[nseq][e].word);
                    any[nany++] = vns_qtree_scale(
                        a, vns_qtree_join(a, VNS_XQ_OR, w, fx->n[nseq], 0),
                        FIX_SCALE);
                }
                grp[nseq] = run;
                seq[nseq++] = t[i];
            }
            for (size_t c = 0; c < g->ncompounds; c++)
                any[nany++] = counting ? folded(a, &t[g->nparts + c])
                                       : syllable(a, &t[g->nparts + c]);
        }
    }
    if (nseq > 0) {
        const struct vns_xq *sy = synonyms(a, syn, seq, nseq);
        if (sy != NULL)
            any[nany++] = sy;
    }
    if (nany > 0) {
        const struct vns_xq *nu = number(a, qs, qlen, q);
        if (nu != NULL)
            any[nany++] = nu;
    }
    /* Adjacent syllables as pair terms (index_doc.c): "tiêm chủng" and
     * "cách ly" score as words, and all of the query's pairs together
     * (a known item's sentence) score on top. Word order beyond pairs is
     * the re-ranking's (rerank.c): positions are read for the top hits
     * only. Measured on gen-notices small seed 11 against a NEAR and a
     * whole-query PHRASE over positions: overall nDCG@10 0.949 -> 0.980
     * with the re-ranking, known_item MRR 0.950 -> 0.986. */
    {
        const struct vns_xq *pr[VNS_MAX_QUERY_TERMS],
            *rare[VNS_MAX_QUERY_TERMS];
        size_t np = 0, nrare = 0, at[VNS_MAX_QUERY_TERMS];
        int alone[VNS_MAX_QUERY_TERMS], and_found = 0;
        for (size_t i = 0; i + 1 < nseq; i++)
            if (grp[i] == grp[i + 1] &&
                (pr[np] = pair(a, seq, fx, i)) != NULL) {
                at[np] = i;
                np++;
                /* common pairs weigh in the AND below, not alone */
                alone[np - 1] = !fx->common_pair[i] || every_word;
                if (alone[np - 1])
                    rare[nrare++] = pr[np - 1];
                else
                    *left_out = 1;
            }
        if (nrare == 0 && np == 1)
            rare[nrare++] = pr[0], alone[0] = 1;
        if (counting) { /* see above */
            nrare = 0;
            for (size_t j = 0; j < np; j++) {
                size_t i = at[j];
                if (!by_pairs_only(fx, grp, nseq, i, every_word) ||
                    !by_pairs_only(fx, grp, nseq, i + 1, every_word)) {
                    and_found = 1; /* a word of it is in the tree */
                } else if (alone[j]) {
                    /* its words count through it, and its fixes' pairs:
                     * a common word's fixes are not in the tree ("người
                     * dân đạ tiêm": "đạ" folds to the common "da", its
                     * fix "độ" counts in "dân độ" and "độ tiêm"; counted
                     * as typed only, 20 of 100 notices against the 60
                     * listed) */
                    and_found = 1;
                    rare[nrare++] = pr[j];
                }
            }
        }
        if (nrare > 0)
            any[nany++] = vns_qtree_join(a, VNS_XQ_OR, rare, nrare, 0);
        /* in the OR, not an AND_MAYBE boost: the same scores (a document
         * holding every pair holds some of the words), but Xapian walks
         * the rarest pair's list instead of probing for every match
         * (medium seed 21: 0.9 ms CPU less per query) */
        if (np > 1 && !and_found)
            any[nany++] = vns_qtree_join(a, VNS_XQ_AND, pr, np, 0);
    }
    for (size_t i = 0; i < nseq; i++)
        if (by_pairs_only(fx, grp, nseq, i, every_word)) {
            any[slot[i]] = NULL;
            *left_out = 1;
        }
    if (*left_out) {
        size_t kept = 0;
        for (size_t i = 0; i < nany; i++)
            if (any[i] != NULL)
                any[kept++] = any[i];
        nany = kept;
    }
    if (nreq > 0) {
        base = vns_qtree_join(a, VNS_XQ_AND, req, nreq, 0);
        if (nany > 0 && !counting) { /* the rest only weighs */
            k[0] = base;
            k[1] = vns_qtree_join(a, VNS_XQ_OR, any, nany, 0);
            base = vns_qtree_join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
        }
    } else {
        base = vns_qtree_join(a, VNS_XQ_OR, any, nany, 0);
    }
    if (nnot > 0) {
        nt = 0;
        top[nt++] = base;
        memcpy(&top[nt], nots, nnot * sizeof(nots[0]));
        nt += nnot;
        base = vns_qtree_join(a, VNS_XQ_AND_NOT, top, nt, 0);
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

/* The record of a hit to show: from the value the re-rank read, when it
 * checked the hit (no lookup at all), else from the index. */
static int hit_record(struct vns_index *ix, uint32_t docid,
                      const struct vns_checked *checked, struct vns_docrec *rec,
                      struct vns_err *err)
{
    if (checked != NULL && checked->shown != NULL) {
        int rc = vns_docrec_parts(checked->shown, checked->shown_len, rec, err);
        if (rc != VNS_OK || rec->id != NULL)
            return rc;
        vns_docrec_fini(rec); /* no record among its parts */
    }
    return vns_docrec_read(ix->db, docid, VNS_REC_META, rec, err);
}

static int fill_hit(struct vns_index *ix, const struct vns_query *q, int intent,
                    const struct vns_xhit *xh,
                    const struct vns_checked *checked,
                    const struct vns_search_opts *o, struct vns_hit *hit,
                    struct vns_err *err)
{
    const struct vns_hitwords *words = checked ? &checked->words : NULL;
    struct vns_docrec rec = {0};
    struct vns_span shown[VNS_SNIP_MAX_SHOWN];
    size_t nshown = 0;
    struct vns_snipguide guide = {words, NULL, 0, shown, 0};
    int rc = VNS_OK;

    hit->score = xh->score;
    /* hits past snippet_hits (a TREC run's depth) need only their id, from
     * the id cache; the record is read for the hits shown */
    if (o->snippet_hits > 0 && hit->rank > o->offset + o->snippet_hits) {
        const char *id;
        if (ix->ids == NULL) {
            rc = vns_idcache_new(ix->db, &ix->ids, err);
            if (rc != VNS_OK)
                return rc;
        }
        id = vns_idcache_get(ix->ids, xh->docid);
        if (id != NULL) {
            hit->id = dup_str(id);
            hit->title = dup_str("");
            if (hit->id == NULL || hit->title == NULL)
                return vns_err_set(err, VNS_ENOMEM, "search: out of memory");
            return VNS_OK;
        }
    }
    rc = hit_record(ix, xh->docid, checked, &rec, err);
    if (rc != VNS_OK)
        goto out;
    hit->id = rec.id; /* moved */
    hit->title = rec.title;
    rec.id = rec.title = NULL;
    /* past the hits shown and not in the cache: a document newer than it */
    if (o->snippet_hits > 0 && hit->rank > o->offset + o->snippet_hits)
        goto out;
    hit->meta = rec.meta; /* moved */
    rec.meta = NULL;
    /* a listing by filters alone has no words to show in context */
    if (q == NULL)
        goto out;
    if (intent && hit->meta != NULL) {
        rc = vns_rerank_deadlines(q, hit, shown, &nshown, err);
        if (rc != VNS_OK)
            goto out;
    }
    rc = vns_docrec_read_text(ix->db, xh->docid, &rec, err);
    if (rc == VNS_OK && words != NULL && words->n > 0)
        /* the re-rank read where the words stand: their passages are
         * found from the checkpoints, not by screening the whole text */
        rc = vns_docrec_read_tokmap(ix->db, xh->docid, &rec, err);
    if (rc != VNS_OK)
        goto out;
    guide.tokmap = rec.tokmap;
    guide.tokmap_len = rec.tokmap_len;
    /* the answers shown above the snippets are not shown again in them:
     * where the record says they stand, if the text says the same */
    for (size_t k = 0; k < nshown && k < hit->nmatching_deadlines; k++) {
        const struct vns_span *sp = &shown[k];
        const char *said = hit->matching_deadlines[k].text;
        if (sp->len > 0 && sp->off <= rec.text_len &&
            sp->len <= rec.text_len - sp->off && strlen(said) == sp->len &&
            memcmp(rec.text + sp->off, said, sp->len) == 0)
            shown[guide.nshown++] = *sp;
    }
    rc = vns_snippets_make(ix->w.an, rec.text, rec.text_len, q, o->snippets,
                           o->snippet_len, &guide, &hit->snippets,
                           &hit->nsnippets, err);
out:
    vns_docrec_fini(&rec);
    return rc;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

/* A deadline question's re-ranking reads the deadline sentences with the
 * hits (rerank.h); the records are read for the hits shown (fill_hit). */
static const unsigned hit_fetch[] = {VNS_SLOT_DEADLINES};

/* "ocr": {"1": scans among the matches} */
static const char *const facet_names[VNS_NFACETS] = {
    "province", "issuing_body", "doc_type", "month", "ocr"};
static const unsigned facet_slots[VNS_NFACETS] = {VNS_SLOT_PROVINCE,
                                                  VNS_SLOT_BODY, VNS_SLOT_TYPE,
                                                  VNS_SLOT_MONTH, VNS_SLOT_OCR};

/* Move the shim's facet counts into the public results. */
static int take_facets(struct vns_xresults *xr, struct vns_results *res,
                       struct vns_err *err)
{
    for (size_t f = 0; f < xr->nfacets && f < VNS_NFACETS; f++) {
        struct vns_facet *pf = &res->facets[f];
        struct vns_xfacet *xf = &xr->facets[f];
        pf->name = facet_names[f];
        res->nfacets = f + 1;
        if (xf->n == 0)
            continue;
        pf->counts = calloc(xf->n, sizeof(*pf->counts));
        if (pf->counts == NULL)
            return vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        for (size_t i = 0; i < xf->n; i++) {
            pf->counts[i].value = xf->counts[i].value; /* moved */
            pf->counts[i].count = xf->counts[i].count;
            xf->counts[i].value = NULL;
        }
        pf->n = xf->n;
    }
    return VNS_OK;
}

static void drop_facets(struct vns_results *res)
{
    for (size_t f = 0; f < res->nfacets; f++) {
        for (size_t i = 0; i < res->facets[f].n; i++)
            free(res->facets[f].counts[i].value);
        free(res->facets[f].counts);
        res->facets[f].counts = NULL;
        res->facets[f].n = 0;
    }
    res->nfacets = 0;
}

/* Are all of ix's documents in local databases, every shard open? Then
 * facets and totals are counted from columns and document sets, as for
 * one database (medium seed 21 in 2 local shards, `--facets --batch`:
 * p50 7.98 -> 2.37 ms; the spies' totals, counted over the ranking tree,
 * differed from one database's in 147 of 3,078 answers, now 4, at
 * size=50 only, in ties or hits past the 10th). */
static int all_local(const struct vns_index *ix)
{
    if (ix->missing > 0)
        return 0;
    for (size_t i = 0; i < ix->nshards; i++)
        if (ix->shards[i].port != 0)
            return 0;
    return 1;
}

/* The facet columns of ix at its revision now, built on first use; NULL
 * when they cannot be (too many values, no memory): the facet slots are
 * then counted by Xapian's spies, as before. Local shards searched
 * together have them too (their value streams give the combined ids:
 * medium seed 21 in 2 shards, all 22,000 checked); not remote ones, whose
 * columns would pull every value across. */
static const struct vns_facetcols *facet_columns(struct vns_index *ix)
{
    uint64_t rev = 0;

    if (vns_xdb_revision(ix->db, &rev, NULL) != VNS_OK)
        return NULL;
    if (ix->fcols != NULL && vns_facetcols_revision(ix->fcols) == rev)
        return ix->fcols;
    vns_facetcols_free(ix->fcols);
    ix->fcols = NULL;
    if (ix->fcols_failed == rev + 1)
        return NULL; /* tried at this revision */
    if (vns_facetcols_new(ix->db, facet_slots, VNS_NFACETS, &ix->fcols, NULL) !=
        VNS_OK) {
        ix->fcols_failed = rev + 1;
        return NULL;
    }
    return ix->fcols;
}

/* The documents tree matches, worked out over ix's document sets
 * (docsets.h) at the columns' revision and counted into t; *total gets
 * their number. Not VNS_OK: the tree is not one the sets work out, the
 * reader moved on, or reading took longer than the search may: count by
 * a match instead (under Xapian's time limit). */
static int count_by_sets(struct vns_index *ix, const struct vns_facetcols *fc,
                         const struct vns_xq *tree, double time_limit,
                         struct vns_facettally *t, uint64_t *total)
{
    uint64_t *bits = NULL;
    int rc;

    if (!vns_docsets_can(tree))
        return VNS_EQUERY;
    if (ix->dsets != NULL &&
        vns_docsets_revision(ix->dsets) != vns_facetcols_revision(fc)) {
        vns_docsets_free(ix->dsets);
        ix->dsets = NULL;
    }
    if (ix->dsets == NULL &&
        (rc = vns_docsets_new(ix->db, &ix->dsets, NULL)) != VNS_OK)
        return rc;
    if (vns_docsets_revision(ix->dsets) != vns_facetcols_revision(fc))
        return VNS_EINDEX;
    rc = vns_docsets_match(ix->dsets, ix->db, tree, time_limit, &bits, NULL);
    if (rc == VNS_OK) {
        vns_facettally_bits(t, bits, vns_docsets_words(ix->dsets), total);
        if (t->failed)
            rc = VNS_EINDEX;
    }
    free(bits);
    return rc;
}

/* Run the match counting facets from the columns when they serve: the
 * documents the count tree matches worked out from document sets, else
 * told by a match without weights. A tally that missed a document, or a
 * reader that moved to a newer revision meanwhile, counts again by
 * Xapian's spies. Medium seed 21, `vnsearch --facets --batch`: see
 * docs/status.md (session 17). */
static int run_match(struct vns_index *ix, const struct vns_xq *tree,
                     const struct vns_xsearch *xs, struct vns_xresults *xr,
                     struct vns_results *res, struct vns_err *err)
{
    const struct vns_facetcols *fc =
        xs->nfacets > 0 && all_local(ix) ? facet_columns(ix) : NULL;
    struct vns_facettally t = {0};
    struct vns_xspy spy = {vns_facettally_begin, vns_facettally_add, &t};
    struct vns_xsearch o = *xs; /* o.spy: this call's tally only */
    uint64_t rev = 0, total = 0;
    int rc, tallied = 0;

    o.spy = NULL;
    if (fc == NULL || vns_facettally_init(&t, fc, NULL) != VNS_OK) {
        rc = vns_xdb_run(ix->db, tree, &o, xr, err);
        return rc == VNS_OK ? take_facets(xr, res, err) : rc;
    }
    if (count_by_sets(ix, fc, xs->count != NULL ? xs->count : tree,
                      xs->time_limit, &t, &total) == VNS_OK) {
        o.nfacets = 0; /* counted: the page's match alone */
        rc = vns_xdb_run(ix->db, tree, &o, xr, err);
        if (rc == VNS_OK && vns_xdb_revision(ix->db, &rev, NULL) == VNS_OK &&
            rev == vns_facetcols_revision(fc)) {
            xr->estimate = xr->lower = xr->upper = total;
            tallied = 1;
        } else if (rc == VNS_OK) {
            vns_xresults_fini(xr); /* moved on: count by a match */
        } else {
            vns_facettally_fini(&t);
            return rc;
        }
        o.nfacets = xs->nfacets;
    }
    if (!tallied) {
        o.spy = &spy;
        rc = vns_xdb_run(ix->db, tree, &o, xr, err);
        if (rc == VNS_OK && xr->spied &&
            (t.failed || vns_xdb_revision(ix->db, &rev, NULL) != VNS_OK ||
             rev != vns_facetcols_revision(fc))) {
            vns_xresults_fini(xr);
            o.spy = NULL;
            rc = vns_xdb_run(ix->db, tree, &o, xr, err);
        }
        if (rc == VNS_OK && !xr->spied)
            rc = take_facets(xr, res, err);
        tallied = rc == VNS_OK && xr->spied;
    }
    for (size_t f = 0; rc == VNS_OK && tallied && f < VNS_NFACETS; f++) {
        res->facets[f].name = facet_names[f];
        res->nfacets = f + 1;
        rc = vns_facettally_take(&t, f, &res->facets[f], err);
    }
    vns_facettally_fini(&t);
    return rc;
}

/* Drop the last hit of xr. */
static void drop_last(struct vns_xresults *xr)
{
    struct vns_xhit *h = &xr->hits[--xr->n];

    free(h->data);
    for (size_t v = 0; v < VNS_XMAX_FETCH; v++)
        free(h->values[v]);
    *h = (struct vns_xhit){0};
}

struct tied {
    struct vns_xhit hit;
    char *id;
};

static int by_id(const void *x, const void *y)
{
    return strcmp(((const struct tied *)x)->id, ((const struct tied *)y)->id);
}

/* Order each run of equal scores in xr by document id, as Xapian's ties
 * by value would. */
static int order_ties(struct vns_index *ix, struct vns_xresults *xr,
                      struct vns_err *err)
{
    int rc = VNS_OK;

    for (size_t a = 0, b; a < xr->n && rc == VNS_OK; a = b) {
        struct tied *t;
        size_t n = 0;
        for (b = a + 1; b < xr->n && xr->hits[b].score == xr->hits[a].score;)
            b++;
        if (b - a < 2)
            continue;
        t = calloc(b - a, sizeof(*t));
        if (t == NULL)
            return vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        for (; n < b - a && rc == VNS_OK; n++) {
            /* the id cache, when a deep list built it, spares a lookup */
            const char *id =
                ix->ids != NULL
                    ? vns_idcache_get(ix->ids, xr->hits[a + n].docid)
                    : NULL;
            t[n].hit = xr->hits[a + n];
            if (id == NULL)
                rc = vns_xdb_get_value(ix->db, t[n].hit.docid, VNS_SLOT_ID,
                                       &t[n].id, NULL, err);
            else if ((t[n].id = strdup(id)) == NULL)
                rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        }
        if (rc == VNS_OK) {
            qsort(t, n, sizeof(*t), by_id);
            for (size_t i = 0; i < n; i++)
                xr->hits[a + i] = t[i].hit;
        }
        for (size_t i = 0; i < n; i++)
            free(t[i].id);
        free(t);
    }
    return rc;
}

/* Equal scores go by document id, the same order on one database or in
 * shards. Xapian's ties by value read every candidate's id (9% of a
 * query's time on gen-notices medium seed 21: p50 3.55 -> 3.23 ms
 * without), so a first page by relevance asks for one hit more in docid
 * order instead and orders the tie groups here; only a tie across the
 * page's end, where Xapian's cut may differ from the ids', runs the match
 * again with its ties by value. */
static int match(struct vns_index *ix, const struct vns_xq *tree,
                 struct vns_xsearch *xs, int settle, struct vns_xresults *xr,
                 struct vns_results *res, struct vns_err *err)
{
    size_t want = xs->limit;
    int rc;

    xs->ties_by_value = !settle || want == 0;
    if (xs->ties_by_value)
        return run_match(ix, tree, xs, xr, res, err);
    xs->limit = want + 1;
    rc = run_match(ix, tree, xs, xr, res, err);
    xs->limit = want;
    if (rc != VNS_OK)
        return rc;
    if (xr->n > want && xr->hits[want].score == xr->hits[want - 1].score) {
        vns_xresults_fini(xr);
        drop_facets(res);
        xs->ties_by_value = 1;
        return run_match(ix, tree, xs, xr, res, err);
    }
    if (xr->n > want)
        drop_last(xr);
    return order_ties(ix, xr, err);
}

/* VNS_QT_DOMINANT on the marked terms written only one way in the index:
 * their exact term would cost a posting list and change no ranking
 * (medium seed 21: 4.7 -> 4.0 ms CPU a query with no exact terms at all,
 * nDCG@10 unchanged). */
static int mark_dominant(struct vns_index *ix, struct vns_query *q,
                         struct vns_err *err)
{
    int rc = vns_index_spelling(ix, err);

    for (size_t i = 0; i < q->nterms && rc == VNS_OK; i++) {
        struct vns_qterm *t = &q->terms[i];
        if ((t->flags & VNS_TOK_MARKED) &&
            vns_spell_dominant(ix->spell, t->folded, t->exact))
            t->flags |= VNS_QT_DOMINANT;
    }
    return rc;
}

/* A query's groups as typed, before vns_intent_deadline left a deadline
 * question's cue words out. */
struct typed_groups {
    struct vns_qgroup g[VNS_MAX_QUERY_TERMS];
    size_t n, nsyllables;
};

/* The gazetteer for a suggestion's place names, loaded on first use;
 * without a data directory the suggestion does without them. */
static const struct vns_gaz *gazetteer(void *arg)
{
    struct vns_index *ix = arg;
    struct vns_err ignored = {0};

    return vns_index_vocab(ix, &ignored) == VNS_OK ? ix->gaz : NULL;
}

/* "Did you mean" for q, its fixes fx; with the cue words a deadline
 * question left out put back in q (which is then its words as typed):
 * "tiem mui 2 truoc ngay" -> "tiêm mũi 2 trước ngày", not "... truoc
 * ngay". Their fixes follow their words. */
static int suggest(struct vns_index *ix, struct vns_query *q,
                   const struct vns_fixes *fx, const struct typed_groups *tg,
                   const char *qs, size_t qlen, char **out, struct vns_err *err)
{
    const struct vns_qterm *was[VNS_MAX_QUERY_TERMS], *now[VNS_MAX_QUERY_TERMS];
    struct vns_fixes *all;
    struct vns_spell_places places = {gazetteer, ix};
    size_t nw, nn;
    int rc = vns_index_spelling(ix, err);

    if (rc != VNS_OK)
        return rc;
    if (tg->n == q->ngroups) /* no cue word left out */
        return vns_spell_suggest(ix->spell, ix->db, vns_index_words(ix),
                                 &places, q, fx, qs, qlen, out, err);
    all = calloc(1, sizeof(*all));
    if (all == NULL)
        return vns_err_set(err, VNS_ENOMEM, "search: out of memory");
    nw = vns_query_loose(q, was, NULL, VNS_MAX_QUERY_TERMS);
    memcpy(q->groups, tg->g, tg->n * sizeof(tg->g[0]));
    q->ngroups = tg->n;
    q->nsyllables = tg->nsyllables;
    nn = vns_query_loose(q, now, NULL, VNS_MAX_QUERY_TERMS);
    for (size_t j = 0; j < nn; j++)
        for (size_t k = 0; k < nw; k++)
            if (now[j] == was[k]) {
                all->n[j] = fx->n[k];
                memcpy(all->e[j], fx->e[k], sizeof(all->e[j]));
            }
    rc = vns_spell_suggest(ix->spell, ix->db, vns_index_words(ix), &places, q,
                           all, qs, qlen, out, err);
    free(all);
    return rc;
}

static int search_once(struct vns_index *ix, const char *qs, size_t qlen,
                       const struct vns_search_opts *opts,
                       struct vns_results *out, struct vns_err *err)
{
    struct vns_search_opts o = {0};
    struct vns_results res = {0};
    struct vns_xresults xr = {0};
    struct vns_xsearch xs = {0};
    struct vns_query *q = NULL;
    struct vns_qtree *a = NULL;
    const struct vns_xq *tree, *parts[2 + VNS_MAX_FILTERS];
    struct vns_ranked *order = NULL;
    struct vns_checked found[VNS_RERANK_ORDER_DEPTH] = {0};
    const struct vns_xq *count = NULL; /* the facets' count (build) */
    int unused;
    size_t nf = 0, first = 0, shown;
    char key[VNS_DOCNUM_MAX];
    struct vns_fixes *fx = NULL;
    struct typed_groups tg = {.n = 0};
    const struct vns_qterm *typed[VNS_MAX_QUERY_TERMS];
    size_t ntyped = 0;
    int rc, intent = 0, reranked = 0, left_out = 0, settle;

    if (opts != NULL)
        o = *opts;
    if (o.limit == 0)
        o.limit = DEFAULT_LIMIT;
    if (o.limit > MAX_LIMIT)
        o.limit = MAX_LIMIT;
    /* the hits of the page shown with their records and snippets (a TREC
     * run's depth beyond them needs only ids) */
    shown = o.snippet_hits > 0 && o.snippet_hits < o.limit ? o.snippet_hits
                                                           : o.limit;
    if (o.snippets == 0)
        o.snippets = DEFAULT_SNIPPETS;
    if (o.snippet_len == 0)
        o.snippet_len = DEFAULT_SNIPPET_LEN;
    a = vns_qtree_new();
    if (a == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    rc = vns_filters_build(ix, &o, a, parts + 1, &nf, err);
    if (rc != VNS_OK)
        goto out;
    if (nf > 0 && blank(qs, qlen)) {
        tree = vns_qtree_leaf(a, VNS_XQ_ALL); /* browse by filters */
    } else {
        q = malloc(sizeof(*q));
        fx = malloc(sizeof(*fx));
        if (q == NULL || fx == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
            goto out;
        }
        rc = vns_query_parse(ix->w.an, qs, qlen, q, err);
        if (rc != VNS_OK)
            goto out;
        rc = vns_index_synonyms(ix, err);
        if (rc != VNS_OK)
            goto out;
        /* the words as typed: a deadline question's cue words still
         * count in the word order (rerank.c) */
        ntyped = vns_query_ordered(q, typed, VNS_MAX_QUERY_TERMS);
        memcpy(tg.g, q->groups, q->ngroups * sizeof(q->groups[0]));
        tg.n = q->ngroups;
        tg.nsyllables = q->nsyllables;
        intent = vns_intent_deadline(q);
        rc = vns_fixes_find(ix, q, fx, err);
        if (rc == VNS_OK)
            rc = mark_dominant(ix, q, err);
        if (rc != VNS_OK)
            goto out;
        tree = build(a, ix->syn, q, qs, qlen, fx, 0, 0, &left_out);
        if (o.facets)
            count = build(a, ix->syn, q, qs, qlen, fx, 0, 1, &unused);
        if (intent) { /* only documents that set a deadline */
            const struct vns_xq *k[2] = {tree, cue_edges(a, q, typed, ntyped)};
            if (k[0] != NULL && k[1] != NULL)
                tree = vns_qtree_join(a, VNS_XQ_AND_MAYBE, k, 2, 0);
            parts[1 + nf++] = vns_qtree_term(a, "", VNS_TERM_HAS_DEADLINE);
        }
    }
    tree = filtered(a, tree, parts, nf);
    count = filtered(a, count, parts, nf);
    if (vns_qtree_failed(a)) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    xs.offset = o.offset;
    xs.limit = o.limit;
    /* a query that is a document number ("1763/QĐ-UBND") is answered by
     * the number's own term (number()), not by its parts in order */
    reranked =
        q != NULL && o.sort == VNS_SORT_RELEVANCE &&
        (intent || (q->nsyllables >= 3 && !vns_docnum_key(qs, qlen, key)));
    if (reranked) {
        /* the page comes out of the re-ranked top, the same for every
         * page */
        size_t depth = intent ? RERANK_DEPTH : VNS_RERANK_DEEP;
        xs.offset = 0;
        xs.limit = o.offset + o.limit;
        if (xs.limit < depth)
            xs.limit = depth;
    }
    xs.time_limit = o.time_limit;
    xs.sort_slot = o.sort == VNS_SORT_DATE ? VNS_SLOT_DATE : -1;
    xs.tie_slot = VNS_SLOT_ID; /* see match() */
    xs.sort_desc = 1;
    xs.facet_slots = facet_slots;
    xs.nfacets = o.facets ? VNS_NFACETS : 0;
    xs.packed = 1;
    xs.packed_slot = VNS_SLOT_FACETS;
    xs.fetch = hit_fetch;
    xs.nfetch = intent ? 1 : 0;
    xs.no_data = 1;
    /* over remote shards the stored parts of the hits the re-rank may
     * read (down to VNS_RERANK_DEEP when none of the first is whole) and
     * the page shows come with the match (the documents do not); not
     * those of a TREC run's depth, named from the id cache. Medium seed 21
     * in 2 shards behind xapian-tcpsrv, all 1,539 queries, 20 -> 40
     * hits alternated five times: p95 12.6-17.2 -> 10.9-14.3 ms, p50
     * within the host's noise (4.87-6.97 -> 5.02-5.83); the hits the
     * re-rank read deeper came as documents, ~13 messages each. The TREC
     * runs identical. */
    xs.ahead_slot = VNS_SLOT_SHOWN;
    xs.ahead_n = reranked ? o.offset + shown : shown;
    if (reranked && xs.ahead_n < VNS_RERANK_DEEP)
        xs.ahead_n = VNS_RERANK_DEEP;
    xs.count = count;
    settle = q != NULL && xs.sort_slot < 0 && xs.offset == 0;
    rc = match(ix, tree, &xs, settle, &xr, &res, err);
    if (rc == VNS_OK && left_out && xr.upper == 0) {
        /* the common words alone may still find something */
        vns_xresults_fini(&xr);
        tree = filtered(a, build(a, ix->syn, q, qs, qlen, fx, 1, 0, &left_out),
                        parts, nf);
        if (o.facets)
            xs.count =
                filtered(a, build(a, ix->syn, q, qs, qlen, fx, 1, 1, &unused),
                         parts, nf);
        drop_facets(&res);
        rc = vns_qtree_failed(a)
                 ? vns_err_set(err, VNS_ENOMEM, "search: out of memory")
                 : match(ix, tree, &xs, settle, &xr, &res, err);
    }
    if (rc != VNS_OK)
        goto out;
    res.estimate = xr.estimate;
    res.exact = xr.lower == xr.upper;
    order = calloc(xr.n ? xr.n : 1, sizeof(*order));
    res.hits = calloc(xr.n ? xr.n : 1, sizeof(*res.hits));
    if (order == NULL || res.hits == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        goto out;
    }
    for (size_t i = 0; i < xr.n; i++)
        order[i] = (struct vns_ranked){i, xr.hits[i].score, 0};
    if (reranked) { /* then cut the page */
        /* the hits shown are ordered on positions (a TREC run's depth
         * beyond them needs only pair terms) */
        rc = vns_rerank(ix->db, q, typed, ntyped, fx, intent, &xr,
                        o.offset + shown, order, found, err);
        if (rc != VNS_OK)
            goto out;
        first = o.offset < xr.n ? o.offset : xr.n;
    }
    { /* the records of the hits shown together (fill_hit; remote
       * shards: side by side) */
        uint32_t ids[64];
        size_t nid = 0;
        for (size_t i = first; i < xr.n && i - first < shown && nid < 64; i++)
            ids[nid++] = xr.hits[order[i].i].docid;
        rc = vns_xdb_documents_ahead(ix->db, ids, nid, err);
        if (rc != VNS_OK)
            goto out;
    }
    for (size_t i = first; i < xr.n && i - first < o.limit; i++) {
        struct vns_hit *h = &res.hits[i - first];
        h->rank = (uint32_t)(o.offset + (i - first) + 1);
        res.n = i - first + 1;
        rc = fill_hit(ix, q, intent, &xr.hits[order[i].i],
                      order[i].i < VNS_RERANK_ORDER_DEPTH ? &found[order[i].i]
                                                          : NULL,
                      &o, h, err);
        h->score = order[i].score;
        if (rc != VNS_OK)
            goto out;
    }
    if (q != NULL && o.offset == 0) {
        rc = suggest(ix, q, fx, &tg, qs, qlen, &res.suggestion, err);
        if (rc != VNS_OK)
            goto out;
    }
    *out = res;
    res = (struct vns_results){0};
out:
    vns_results_fini(&res);
    vns_xresults_fini(&xr);
    vns_qtree_free(a);
    for (size_t i = 0; i < VNS_RERANK_ORDER_DEPTH; i++)
        vns_checked_fini(&found[i]);
    free(order);
    free(q);
    free(fx);
    return rc;
}

int vns_search(struct vns_index *ix, const char *qs, size_t qlen,
               const struct vns_search_opts *opts, struct vns_results *out,
               struct vns_err *err)
{
    int rc = search_once(ix, qs, qlen, opts, out, err);

    /* a remote shard stopped answering: with VNS_INDEX_PARTIAL, the
     * others are searched again without it */
    for (size_t tries = 0; rc == VNS_EREMOTE && tries < 4; tries++) {
        if (vns_index_recover(ix, err) != VNS_OK)
            break;
        rc = search_once(ix, qs, qlen, opts, out, err);
    }
    if (rc == VNS_OK)
        out->nmissing =
            vns_index_missing(ix, out->missing, sizeof(out->missing));
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
        for (size_t d = 0; d < h->nmatching_deadlines; d++) {
            free(h->matching_deadlines[d].date);
            free(h->matching_deadlines[d].text);
        }
        free(h->matching_deadlines);
        free(h->id);
        free(h->title);
        free(h->meta);
    }
    free(res->hits);
    free(res->suggestion);
    drop_facets(res);
    *res = (struct vns_results){0};
}
