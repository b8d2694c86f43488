/* Facet columns: every document's facet values as small codes by Xapian
 * document id, read once from the facet slots' value streams, so that
 * counting the facets of a match is a few array increments a matching
 * document instead of a value read and a string hashed (gen-notices
 * medium seed 21, every judged query with facets: see facetcols.c).
 * Built on first use per reader for one revision; a reader that moved to
 * another is given a new one (search.c). Local shards searched together
 * have them (by the combined ids); remote shards' documents are counted
 * by Xapian's own spies. */
#ifndef VNSEARCH_LIB_FACETCOLS_H
#define VNSEARCH_LIB_FACETCOLS_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/search.h"
#include "xapian.h"

struct vns_facetcols;

/* Read the values of slots[0..n) (n <= VNS_NFACETS) of every document
 * of db at its revision now. VNS_ETOOBIG when a slot holds more distinct
 * values than a code can name, VNS_EINDEX when the reader moved to another
 * revision meanwhile: the caller counts another way. */
int vns_facetcols_new(struct vns_xdb *db, const unsigned *slots, size_t n,
                      struct vns_facetcols **out, struct vns_err *err);
void vns_facetcols_free(struct vns_facetcols *c);
uint64_t vns_facetcols_revision(const struct vns_facetcols *c);

/* One match's counts. */
struct vns_facettally {
    const struct vns_facetcols *c;
    uint32_t *counts; /* by code, the facets' codes one after another */
    int failed;       /* a document past the columns: count another way */
};

int vns_facettally_init(struct vns_facettally *t, const struct vns_facetcols *c,
                        struct vns_err *err);
void vns_facettally_fini(struct vns_facettally *t);
/* The shim's spy (vns_xspy): a match starts (again), a document matches. */
void vns_facettally_begin(void *tally);
void vns_facettally_add(uint32_t docid, void *tally);
/* Count the documents of a bitmap (document d is bit d % 64 of word
 * d / 64, nwords words; docsets.h) into t, as one match; *n gets their
 * number. */
void vns_facettally_bits(struct vns_facettally *t, const uint64_t *bits,
                         size_t nwords, uint64_t *n);
/* Facet f's counts, most frequent first, then by value, into out
 * (out->counts malloc'd; out->name untouched). */
int vns_facettally_take(const struct vns_facettally *t, size_t f,
                        struct vns_facet *out, struct vns_err *err);

#endif
