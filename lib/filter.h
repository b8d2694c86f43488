/* Search filters (province, issuing body, type, dates, deadlines, OCR) as
 * boolean query nodes; ranking the rest is search.c's. */
#ifndef VNSEARCH_LIB_FILTER_H
#define VNSEARCH_LIB_FILTER_H

#include <stddef.h>

#include "qtree.h"
#include "vnsearch/search.h"

/* Most filter nodes one search can have. */
#define VNS_MAX_FILTERS 8

/* Write the filters of o as nodes into out (VNS_MAX_FILTERS long) and
 * their count into *n. Unknown names and bad dates are VNS_EQUERY with the
 * closest valid value when there is one ("unknown province \"Ninh
 * Thuann\": did you mean Ninh Thuận?"). */
int vns_filters_build(struct vns_index *ix, const struct vns_search_opts *o,
                      struct vns_qtree *t, const struct vns_xq **out, size_t *n,
                      struct vns_err *err);

#endif
