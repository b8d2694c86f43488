/* A query's misspelled and common syllables, from the index's term and
 * pair frequencies (fixes.h). */
#include "fixes.h"

#include <stdint.h>
#include <string.h>

#include "fold.h"
#include "synonyms.h"
#include "termbatch.h"
#include "words.h"

/* A misspelled syllable's fixes are picked from its FIX_POOL most
 * frequent words one edit away. A two-letter syllable has dozens ("oa":
 * "và", "đa", "ra", "hoa", "toà"...): with 12, "oai" of "huyện Thanh
 * Oai" (in 9 notices of 2,500) was never looked at. */
#define FIX_POOL 48
/* In a query of COMMON_MIN_WORDS loose syllables or more, over an index
 * of COMMON_MIN_DOCS documents or more, a syllable in more than
 * COMMON_SHARE of the documents ("của", "ngày", "các") counts only through
 * its pair terms, beside its neighbours, and such a common pair ("hoàn
 * thành") only in the AND of all the pairs: alone they weigh little
 * (BM25's idf of a term in half the notices is near 0) and cost the most,
 * a posting in every document. Measured on gen-notices medium seed 21
 * (1,539 queries): Xapian's matching 16.3 -> 6.8 M instructions a query,
 * nDCG@10 0.986 both; small seeds 11, 31, 2: 0.986 / 0.980 / 0.993 ->
 * 0.986 / 0.979 / 0.992. A query that then finds nothing is run again
 * with every word. */
#define COMMON_SHARE 0.5
#define COMMON_MIN_WORDS 3
#define COMMON_MIN_DOCS 100

/* Documents where syllables x and y stand side by side: folded
 * (VNS_PREFIX_PAIR) or as written (VNS_PREFIX_EXACT_PAIR). */
static int pair_df(struct vns_index *ix, const char *prefix, const char *x,
                   const char *y, uint64_t *df, struct vns_err *err)
{
    char pt[VNS_PAIR_MAX + 2];
    size_t pl = vns_pair_term(pt, sizeof(pt), prefix, x, y);

    *df = 0;
    return pl > 0 ? vns_xdb_termfreq(ix->db, pt, pl, df, err) : VNS_OK;
}

/* Documents holding syllable k of seq as written beside its neighbours
 * as written, summed over both sides. */
static int written_pairs(struct vns_index *ix,
                         const struct vns_qterm *const *seq, const size_t *run,
                         size_t n, size_t k, uint64_t *sum, struct vns_err *err)
{
    uint64_t l = 0, r = 0;
    int rc = VNS_OK;

    if (k > 0 && run[k - 1] == run[k])
        rc = pair_df(ix, VNS_PREFIX_EXACT_PAIR, seq[k - 1]->exact,
                     seq[k]->exact, &l, err);
    if (rc == VNS_OK && k + 1 < n && run[k + 1] == run[k])
        rc = pair_df(ix, VNS_PREFIX_EXACT_PAIR, seq[k]->exact,
                     seq[k + 1]->exact, &r, err);
    *sum = l + r;
    return rc;
}

/* Whether two words side by side in pdf documents stand apart far more
 * than their own frequencies dfa and dfb would have them: "triển kha" in
 * 1 notice of 2,500 where "triển" is in 2,120 and "kha" in 736 (a real
 * word: "khá"), while "triển khai" is in 1,949. Such a word gets fixes
 * written beside its neighbours in RARE_PAIR times the documents the
 * pairs as typed are in. Before, only pairs in no document counted:
 * known_item typo MRR@10 gen-notices small seed 51 0.925 -> 0.975, medium
 * 61 0.988 -> 0.993, medium 21 0.981 -> 0.978 (one query: "Văn Lãn"
 * also means "văn bản"); every other family and seed the same. */
#define RARE_PAIR 100
static int rare_pair(uint64_t pdf, uint64_t dfa, uint64_t dfb)
{
    return pdf * RARE_PAIR < (dfa < dfb ? dfa : dfb);
}

/* Whether folded word typed is folded word w with one letter dropped:
 * "ca" of "cap", "dn" of "dan". */
static int drop_of(const char *typed, const char *w)
{
    size_t p = 0, n = strlen(typed);

    if (strlen(w) != n + 1)
        return 0;
    while (p < n && typed[p] == w[p])
        p++;
    return strcmp(typed + p, w + p + 1) == 0;
}

/* Whether fix candidate x (written beside sx of the neighbours, in dx
 * documents there, in fx in all; keeping the typed shapes or not: hx;
 * the typed word with a letter dropped or not: gx) is likelier than y:
 * written beside a neighbour at all, then keeping the shapes, then a
 * letter dropped, then beside more neighbours, then by dx for each of
 * fx. A dropped letter is the commonest typo, a changed one rarer: "Đn
 * Điền" is "Đan Điền", not "Để Điền"; "đã cấ" is "đã cấp", not "đã
 * có". With words cut short (astray()): known item typo nDCG@10 of ten
 * queries up on gen-notices medium 61 ("thành phố Tâ" 0 -> 0.5), 71 (2),
 * 301 (2), 401 ("Th có 34 điểm" 0 -> 1) and 402 (4: "Huyện Hương Khê đã
 * cấ" 0.42 -> 1, "Tr có 64 xã" 0.58 -> 1); no other query's on small 11,
 * 31, 51, 101-103, 201-203, 301, 401-403, 501-503, medium 21, 302, 303. */
static int better(uint64_t sx, int hx, int gx, uint64_t dx, uint64_t fx,
                  uint64_t sy, int hy, int gy, uint64_t dy, uint64_t fy)
{
    if ((sx > 0) != (sy > 0))
        return sx > 0;
    if (hx != hy)
        return hx;
    if (gx != gy)
        return gx;
    if (sx != sy)
        return sx > sy;
    return (double)dx / (double)fx > (double)dy / (double)fy;
}

/* Where a syllable's fixes must stand, if anywhere: beside either
 * neighbour, or the one before or after it. */
enum need {
    NEED_NONE,
    NEED_ANY,
    NEED_LEFT,
    NEED_RIGHT
};

/* fx->e[k]: the words one edit from loose syllable k it most likely
 * stands for. Of the FIX_POOL most frequent, those some document writes
 * beside the query's neighbours of k come first (better(): those that
 * keep the marks a word was typed with, then by how many neighbours,
 * then by the documents holding those pairs for each holding the word),
 * then the most frequent: "hoàn thành c̉i" means "cải" ("thành cải" is
 * written), not the far more frequent "có" or "chi"; "huyện Thanh Oa
 * có" means "Oai" ("Thanh Oai" in 9 notices, "Oai có" in 1, "oai" in
 * 9), not "và" ("thành và" and "và có" in 1,134, "và" in most). Ranked
 * by those documents alone, not for each holding the word: known item
 * typo MRR@10 gen-notices small seed 201 0.950 (with that query 31st);
 * no other query's nDCG@10 moved on small 11, 31, 51, 101-103, 201,
 * medium 21, 61, 71. With need, only words written beside the
 * neighbours (or the one named) in more than floor documents. */
static int pick_fixes(struct vns_index *ix, const struct vns_qterm *const *seq,
                      const size_t *run, size_t n, size_t k, enum need need,
                      uint64_t floor, struct vns_fixes *fx, struct vns_err *err)
{
    struct vns_spell_edit pool[FIX_POOL];
    uint64_t sides[FIX_POOL], docs[FIX_POOL], needed[FIX_POOL];
    uint8_t shaped[FIX_POOL], grown[FIX_POOL];
    size_t np = 0;
    int keep = 0; /* the likeliest fix keeps the typed marks */
    struct vns_termbatch tb;
    int rc = vns_spell_edits(ix->db, vns_index_words(ix), seq[k]->folded, pool,
                             FIX_POOL, &np, err);

    vns_termbatch_init(&tb, ix->db);
    for (size_t c = 0; c < np && tb.on; c++) { /* the pairs below, together */
        if (k > 0 && run[k - 1] == run[k])
            vns_termbatch_add_pair(&tb, VNS_PREFIX_PAIR, seq[k - 1]->folded,
                                   pool[c].word);
        if (k + 1 < n && run[k + 1] == run[k])
            vns_termbatch_add_pair(&tb, VNS_PREFIX_PAIR, pool[c].word,
                                   seq[k + 1]->folded);
    }
    if (rc == VNS_OK)
        rc = vns_termbatch_fetch(&tb, ix->db, err);
    vns_termbatch_fini(&tb);
    for (size_t c = 0; c < np && rc == VNS_OK; c++) {
        uint64_t l = 0, r = 0;
        if (k > 0 && run[k - 1] == run[k])
            rc = pair_df(ix, VNS_PREFIX_PAIR, seq[k - 1]->folded, pool[c].word,
                         &l, err);
        if (rc == VNS_OK && k + 1 < n && run[k + 1] == run[k])
            rc = pair_df(ix, VNS_PREFIX_PAIR, pool[c].word, seq[k + 1]->folded,
                         &r, err);
        sides[c] = (l > 0) + (r > 0);
        docs[c] = l + r;
        needed[c] = need == NEED_LEFT ? l : need == NEED_RIGHT ? r : l + r;
    }
    /* typed with marks ("têm"): a fix written one change from them
     * ("tiêm") is the likelier, whatever its neighbours say ("kém",
     * "kềm": a letter and the tone). Known item typo nDCG@10 of one query
     * up on gen-notices medium 21 ("Văn Lãn còn": "Văn Lãng", not "văn
     * bản") and 301 ("têm tại huyện Vĩnh Hưng": 0.605 -> 1.000), no
     * other query's on small 11, 31, 51, 101-103, 201-203, 301, medium
     * 61, 71. Marks left on the letter before a dropped vowel ("Ḷ̂c"
     * for "Lộc", "Đ̛́c" for "Đức") name the vowels it may have been
     * (vns_word_dropped). And when the likeliest fix keeps the marks,
     * only those that keep them are taken: "Ô M̂n" is "Môn", not "Mỹ"
     * (a letter and the tone). Known item typo nDCG@10 of three queries up on
     * gen-notices medium 21 (0 -> 1) and 301 (0.613 -> 1, 0 -> 1), a
     * topic_deadline query on small 403 0.958 -> 1; no other query's on small
     * 11, 31, 51, 101-103, 201-203, 301, 401-403, medium 61, 71, 302, 303. The
     * written forms are read once per reader; without them (no memory)
     * fixes go by their neighbours alone. */
    if ((seq[k]->flags & VNS_TOK_MARKED) && np > 0)
        (void)vns_index_spelling(ix, NULL);
    for (size_t c = 0; c < np; c++)
        shaped[c] = !(seq[k]->flags & VNS_TOK_MARKED) || ix->spell == NULL ||
                    vns_spell_near_form(ix->spell, seq[k]->exact, pool[c].word);
    for (size_t c = 0; c < np; c++)
        grown[c] = (uint8_t)drop_of(seq[k]->folded, pool[c].word);
    fx->n[k] = 0;
    for (size_t f = 0; f < VNS_FIX_MAX && f < np && rc == VNS_OK; f++) {
        size_t b = f; /* the best left, ties by frequency (pool order) */
        for (size_t c = f + 1; c < np; c++)
            if (better(sides[c], shaped[c], grown[c], docs[c], pool[c].df,
                       sides[b], shaped[b], grown[b], docs[b], pool[b].df))
                b = c;
        if (need != NEED_NONE && needed[b] <= floor)
            break;
        if (f > 0 && keep && !shaped[b])
            break; /* the marks tell: only the fixes that keep them */
        keep = shaped[b];
        fx->e[k][fx->n[k]++] = pool[b];
        pool[b] = pool[f];
        sides[b] = sides[f];
        docs[b] = docs[f];
        needed[b] = needed[f];
        shaped[b] = shaped[f];
        grown[b] = grown[f];
    }
    return rc;
}

/* Whether syllable t was typed as no Vietnamese syllable is: with marks
 * no letter takes where they stand, a vowel dropped from under them
 * ("Lư̛ng" for "Lương"), or ending where no syllable ends, its last
 * letter dropped ("cấ" for "cấp", "Châ" for "Châu"): misspelled, though
 * its bare letters make a word ("lung", which notices write beside "Phú"
 * once; "ca", "cha"; the figures of words cut short at better()). Marks
 * astray: known item typo nDCG@10 up on
 * gen-notices small 502 ("Huyện Phú Lư̛ng đã cấp" 0.387 -> 1, the seed
 * that showed it), medium 301 ("Hải Cĥu" 0.431 -> 1) and two queries of
 * medium 61 and 71 (0.907 -> 0.947, 0.613 -> 0.877); no other query's
 * on small 11, 31, 51, 101-103, 201-203, 301, 401-403, 501, 503, medium
 * 21, 302, 303. */
static int astray(const struct vns_qterm *t)
{
    char shape[VNS_TERM_MAX * 2];
    int tone;

    if (!(t->flags & VNS_TOK_MARKED))
        return 0;
    if (vns_word_shape(t->exact, strlen(t->exact), shape, sizeof(shape),
                       &tone) > 0)
        return vns_shape_unfinished(shape);
    return vns_word_dropped(t->exact, strlen(t->exact), shape, sizeof(shape), 1,
                            &tone) > 0;
}

/* Whether syllable t was typed with marks the index seldom or never
 * writes its letters with ("bằn" of "bằng", "đạ" of "đạt", "mớ" of
 * "mới"; vns_spell_rare_form): likely misspelled, though its bare letters
 * make a common word. Its fixes must then stand beside its neighbours in
 * RARE_PAIR times the documents that write the typed pairs so. Known
 * item typo nDCG@10 of ten queries up on gen-notices small 501 ("trẻ từ
 * 12 đến 17 tuổi đạ 67,9%" 0 -> 1), medium 21 (2), 61, 71, 302 (2: "phố
 * Cao Lãn" 0.43 -> 1), 303, 401 and 402 ("bằn tại quận" 0.43 -> 1); two
 * down a little (1 -> 0.967, 0.947 -> 0.933 on medium 302 and 402, each
 * a second notice holding the words lower); no other query's on small
 * 11, 31, 51, 101-103, 201-203, 301, 401-403, 502, 503, medium 301. */
static int rare_written(struct vns_index *ix, const struct vns_qterm *t)
{
    if (!(t->flags & VNS_TOK_MARKED))
        return 0;
    (void)vns_index_spelling(ix, NULL);
    return ix->spell != NULL &&
           vns_spell_rare_form(ix->spell, t->folded, t->exact);
}

/* Whether loose syllable k of n looks misspelled by its neighbours:
 * rare[j] says whether syllables j and j + 1 are a rare pair (1), a
 * common one (0) or not side by side (-1). Every pair k is in must be
 * rare; a word at the edge whose one pair is rare because its neighbour
 * is misspelled (rare on both sides) is not suspect itself: "Văn Lãn
 * còn" is "Lãn". */
static int suspect(const int *rare, size_t k, size_t n)
{
    int l = k > 0 ? rare[k - 1] : -1, r = k + 1 < n ? rare[k] : -1;

    if (l == 0 || r == 0 || (l < 0 && r < 0))
        return 0;
    if (l < 0) /* only the right pair: its other word may be the one */
        return !(k + 2 < n && rare[k + 1] == 1);
    if (r < 0)
        return !(k >= 2 && rare[k - 2] == 1);
    return 1;
}

/* A marked neighbour of loose syllable k, as written, that no document
 * writes beside k (folded) is often a word that foretells the next: "Đam"
 * stands before "Rông" in 10 of the 21 notices writing it, and "Đam Rôn"
 * is a typo ("Rôn" is in one notice, "Rôn có" in one: no rule above
 * calls it rare). Known item typo nDCG@10 of that query up on
 * gen-notices small 602 (0.387 -> 1), no other query's on small 11, 31,
 * 51, 101-103, 201-203, 301, 401-403, 501-503, 601, 603, 604, medium 21,
 * 61, 71, 301-303, 401-404. *need: which neighbour (NEED_NONE: none, written in
 * fewer than FORETOLD_MIN documents); *floor: the documents k's fixes
 * must stand beside it in, more than a FORETOLD_SHARE of its own. */
#define FORETOLD_SHARE 4
#define FORETOLD_MIN 4
static int foretold(struct vns_index *ix, const struct vns_qterm *const *seq,
                    const size_t *run, size_t n, size_t k, const uint64_t *pdf,
                    enum need *need, uint64_t *floor, struct vns_err *err)
{
    int rc = VNS_OK;

    *need = NEED_NONE;
    for (int side = 0; side < 2 && rc == VNS_OK && *need == NEED_NONE; side++) {
        size_t j = side == 0 ? k - 1 : k + 1, p = side == 0 ? k - 1 : k;
        char et[VNS_TERM_MAX + 1];
        size_t el;
        uint64_t df = 0;
        if ((side == 0 && k == 0) || j >= n || run[j] != run[k] || pdf[p] > 0 ||
            !(seq[j]->flags & VNS_TOK_MARKED))
            continue;
        el = strlen(seq[j]->exact);
        et[0] = VNS_PREFIX_EXACT[0];
        memcpy(et + 1, seq[j]->exact, el + 1);
        rc = vns_words_termfreq(ix->words, ix->db, et, &df, err);
        if (rc == VNS_OK && df >= FORETOLD_MIN) {
            *need = side == 0 ? NEED_LEFT : NEED_RIGHT;
            *floor = df / FORETOLD_SHARE;
        }
    }
    return rc;
}

/* The fixes of q's loose syllables that no document holds, or that
 * documents hold but (almost) never beside the query's neighbours of
 * them while a word one edit away stands there ("Xã Nm Đà": "nm" is in
 * 10 notices, "xã nam" and "nam đà" in hundreds); and which syllables are
 * common. */
int vns_fixes_find(struct vns_index *ix, const struct vns_query *q,
                   struct vns_fixes *fx, struct vns_err *err)
{
    const struct vns_qterm *seq[VNS_MAX_QUERY_TERMS];
    size_t run[VNS_MAX_QUERY_TERMS];
    size_t n = vns_query_loose(q, seq, run, VNS_MAX_QUERY_TERMS);
    const char *words[VNS_MAX_QUERY_TERMS];
    uint64_t ndocs = 0, pdf[VNS_MAX_QUERY_TERMS] = {0},
             df[VNS_MAX_QUERY_TERMS] = {0};
    int rare[VNS_MAX_QUERY_TERMS];
    struct vns_termbatch tb;
    int rc = VNS_OK;

    vns_termbatch_init(&tb, ix->db);
    for (size_t k = 0; k < n; k++)
        words[k] = seq[k]->folded;
    memset(fx->n, 0, sizeof(fx->n));
    memset(fx->common, 0, sizeof(fx->common));
    memset(fx->common_pair, 0, sizeof(fx->common_pair));
    rc = vns_xdb_doccount(ix->db, &ndocs, err);
    /* the lookups below, together; a word's own from the words table
     * when the reader has built one (asking for it here would build it
     * sooner) */
    for (size_t k = 0; k < n && tb.on; k++) {
        if (!vns_words_cover(ix->words, words[k]))
            vns_termbatch_add(&tb, words[k], strlen(words[k]));
        if (k + 1 < n)
            vns_termbatch_add_pair(&tb, VNS_PREFIX_PAIR, words[k],
                                   words[k + 1]);
    }
    if (rc == VNS_OK)
        rc = vns_termbatch_fetch(&tb, ix->db, err);
    vns_termbatch_fini(&tb);
    if (n < COMMON_MIN_WORDS || ndocs < COMMON_MIN_DOCS)
        ndocs = 0; /* nothing is common in a handful */
    for (size_t k = 0; k + 1 < n && rc == VNS_OK; k++) {
        rc = pair_df(ix, VNS_PREFIX_PAIR, seq[k]->folded, seq[k + 1]->folded,
                     &pdf[k], err);
        fx->common_pair[k] =
            (double)pdf[k] > COMMON_SHARE * (double)ndocs && ndocs > 0;
    }
    for (size_t k = 0; k < n && rc == VNS_OK; k++)
        rc = vns_words_termfreq(ix->words, ix->db, seq[k]->folded, &df[k], err);
    for (size_t k = 0; k + 1 < n; k++) /* 1 rare, 0 common, -1 no pair */
        rare[k] =
            run[k] != run[k + 1] ? -1 : rare_pair(pdf[k], df[k], df[k + 1]);
    for (size_t k = 0, known = 0; k < n && rc == VNS_OK; k++) {
        const struct vns_synphrase *alts;
        size_t na;
        int left = k > 0 && run[k - 1] == run[k],
            right = k + 1 < n && run[k + 1] == run[k];
        /* words of a synonym rule ("deadline", "vaccine", "UBND") are
         * meant as typed, whatever stands beside them */
        if (known <= k && ix->syn != NULL)
            known =
                k + vns_synonyms_match(ix->syn, words + k, n - k, &alts, &na);
        fx->common[k] =
            ndocs > 0 && (double)df[k] > COMMON_SHARE * (double)ndocs;
        /* a common word too ("qua khẩn trương" for "quan khẩn trương":
         * "qua" is in 91% of small seed 11's notices, "qua khẩn" in one):
         * its fixes then count only in its pairs (search.c) */
        if (df[k] == 0 || astray(seq[k]))
            rc = pick_fixes(ix, seq, run, n, k, NEED_NONE, 0, fx, err);
        else if (known <= k && rare_written(ix, seq[k])) {
            uint64_t typed = 0;
            rc = written_pairs(ix, seq, run, n, k, &typed, err);
            if (rc == VNS_OK)
                rc = pick_fixes(ix, seq, run, n, k, NEED_ANY, RARE_PAIR * typed,
                                fx, err);
        } else if (known <= k && suspect(rare, k, n))
            rc = pick_fixes(
                ix, seq, run, n, k, NEED_ANY,
                RARE_PAIR * ((left ? pdf[k - 1] : 0) + (right ? pdf[k] : 0)),
                fx, err);
        else if (known <= k) {
            enum need by = NEED_NONE;
            uint64_t floor = 0;
            rc = foretold(ix, seq, run, n, k, pdf, &by, &floor, err);
            if (rc == VNS_OK && by != NEED_NONE)
                rc = pick_fixes(ix, seq, run, n, k, by, floor, fx, err);
        }
    }
    return rc;
}
