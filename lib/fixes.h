/* What a query's loose syllables may stand for, from the index's own
 * statistics: the fixes of a misspelled one (a word no notice holds, or
 * one its neighbours are almost never written beside) and which ones are
 * so common that they count only beside their neighbours. search.c
 * builds the query from them. */
#ifndef VNSEARCH_LIB_FIXES_H
#define VNSEARCH_LIB_FIXES_H

#include <stddef.h>

#include "index_impl.h"
#include "query.h"
#include "spell.h"

/* Fixes a syllable gets at most. */
#define VNS_FIX_MAX 3

/* Per loose syllable k in query order (vns_query_loose). */
struct vns_fixes {
    struct vns_spell_edit e[VNS_MAX_QUERY_TERMS]
                           [VNS_FIX_MAX]; /* likeliest first */
    size_t n[VNS_MAX_QUERY_TERMS];
    int common[VNS_MAX_QUERY_TERMS];      /* in most notices */
    int common_pair[VNS_MAX_QUERY_TERMS]; /* syllables k and k + 1 */
};

/* Fill fx for q over ix's index. */
int vns_fixes_find(struct vns_index *ix, const struct vns_query *q,
                   struct vns_fixes *fx, struct vns_err *err);

#endif
