/* Document sets: the documents a query tree matches, as a bitmap by
 * Xapian document id, worked out from posting lists without running a
 * match, so that a search's facets and exact total come from the facet
 * columns (facetcols.h) instead of Xapian's counting match, which walks
 * and merges every posting of the query's words each time. The posting
 * lists of frequent terms are kept as bitmaps, per reader, for one
 * revision: a frequent word's documents are read once, not once a query.
 * Trees of terms, AND, OR, AND_NOT, FILTER (and SCALE, SYNONYM,
 * AND_MAYBE, which only weigh) are worked out here; phrases, NEAR and
 * value ranges are not (vns_docsets_can). Local databases only. */
#ifndef VNSEARCH_LIB_DOCSETS_H
#define VNSEARCH_LIB_DOCSETS_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "xapian.h"

struct vns_docsets;

/* For db at its revision now: documents 1 .. its last document id. */
int vns_docsets_new(struct vns_xdb *db, struct vns_docsets **out,
                    struct vns_err *err);
void vns_docsets_free(struct vns_docsets *s);
uint64_t vns_docsets_revision(const struct vns_docsets *s);
/* The bitmap's length in 64-bit words; document d is bit d % 64 of word
 * d / 64. */
size_t vns_docsets_words(const struct vns_docsets *s);

/* Let the kept bitmaps take bytes at most (default 8 MiB a reader; one
 * is kept even when it is larger): when full, all but the newest half of
 * what fits are dropped. */
void vns_docsets_keep(struct vns_docsets *s, size_t bytes);
/* How many bitmaps are kept now. */
size_t vns_docsets_kept(const struct vns_docsets *s);

/* Whether q is a tree vns_docsets_match works out. */
int vns_docsets_can(const struct vns_xq *q);

/* The documents q matches into *out (malloc'd, vns_docsets_words words;
 * free it). Posting lists and values are read until time_limit seconds
 * have passed (0: no limit), then VNS_ETOOBIG. VNS_EINDEX when the reader
 * moved to another revision or a document lies past the sets' last id;
 * VNS_EQUERY when q is a tree vns_docsets_can refuses: the caller counts
 * another way. */
int vns_docsets_match(struct vns_docsets *s, struct vns_xdb *db,
                      const struct vns_xq *q, double time_limit, uint64_t **out,
                      struct vns_err *err);

#endif
