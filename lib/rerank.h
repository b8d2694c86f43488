/* Re-ranking a search's top hits by what BM25 over terms cannot see: the
 * query's words in the order typed (from the text's words in order, or
 * the folded terms' positions on an older index) and,
 * for a deadline question, the deadline sentences that hold them. */
#ifndef VNSEARCH_LIB_RERANK_H
#define VNSEARCH_LIB_RERANK_H

#include <stddef.h>

#include "query.h"
#include "snippet.h"
#include "vnsearch/search.h"
#include "xapian.h"

/* A hit's place after re-ranking: its index in the shim's list. */
struct vns_ranked {
    size_t i;
    double score;
    int answers; /* a deadline sentence holds the question whole: first */
};

/* What the re-rank learnt of a hit it checked: where it holds the words
 * (for its snippets), and the value it read them from (VNS_SLOT_SHOWN,
 * docrec.h; NULL on an older index), which holds the hit's record: shown,
 * the hit reads nothing more. */
struct vns_checked {
    struct vns_hitwords words;
    char *shown;
    size_t shown_len;
};
void vns_checked_fini(struct vns_checked *c);

/* How many of the query's loose syllables seq[0..n) (folded) document
 * docid holds at their places relative to one another: n for the phrase
 * as typed, n - 1 when one word is misspelled, 0 when none is there.
 * With found (or NULL), what it read: where it holds them, and its
 * stored value. */
int vns_rerank_aligned(struct vns_xdb *db, uint32_t docid,
                       const char *const *seq, size_t n, size_t *out,
                       struct vns_checked *found, struct vns_err *err);

/* Order xr's hits into order[0..xr->n): the first VNS_RERANK_ORDER_DEPTH
 * gain for the query's words in order; with intent (a deadline question;
 * xr fetched VNS_SLOT_DEADLINES as its first value) every hit gains for
 * the deadline sentence that holds most of the query's words, and the
 * hits with one that holds them all go before the rest. The keep
 * best (0: all) are ordered by the words' positions; below them, a hit
 * may be ordered by what its pair terms say of them. found (or NULL)
 * holds VNS_RERANK_ORDER_DEPTH entries, by index in xr: what was read of
 * each hit ordered by positions (the caller finis them). A misspelled
 * word's fixes (fx, or NULL) stand in its place in the order ("qua khẩn
 * trương" typed, "quan khẩn trương" written). typed[0..ntyped) (or NULL)
 * is q's words in order as typed, before vns_intent_deadline left the
 * cue words out: they count in the order at half a word. When none of the
 * first holds the query's words whole, the hits of xr below them, down to
 * VNS_RERANK_DEEP, that may hold more words than the best of them are
 * checked, and those that do gain too: fetch that many. */
#define VNS_RERANK_ORDER_DEPTH 20
#define VNS_RERANK_DEEP 40
struct vns_fixes;
int vns_rerank(struct vns_xdb *db, const struct vns_query *q,
               const struct vns_qterm *const *typed, size_t ntyped,
               const struct vns_fixes *fx, int intent,
               const struct vns_xresults *xr, size_t keep,
               struct vns_ranked *order, struct vns_checked *found,
               struct vns_err *err);

/* hit->matching_deadlines: the deadlines of hit->meta whose sentence holds
 * the most of q's words, at least half of them; shown[0..*nshown) (room
 * for VNS_SNIP_MAX_SHOWN) where the first of them stand in the text, as
 * the record says (unchecked: the caller compares the text). */
int vns_rerank_deadlines(const struct vns_query *q, struct vns_hit *hit,
                         struct vns_span *shown, size_t *nshown,
                         struct vns_err *err);

#endif
