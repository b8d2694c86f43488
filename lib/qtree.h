/* Building Xapian query trees (struct vns_xq) in one arena per search:
 * nodes, child lists and term strings, freed together. */
#ifndef VNSEARCH_LIB_QTREE_H
#define VNSEARCH_LIB_QTREE_H

#include <stddef.h>
#include <stdint.h>

#include "xapian.h"

struct vns_qtree;

/* NULL when out of memory. */
struct vns_qtree *vns_qtree_new(void);
void vns_qtree_free(struct vns_qtree *t);

/* Whether an allocation failed since vns_qtree_new: a tree built then is
 * incomplete and must not be run. The builders below return a NOTHING
 * node in that case, so callers check once at the end. */
int vns_qtree_failed(const struct vns_qtree *t);

/* A leaf: op with no children (ALL, NOTHING). */
const struct vns_xq *vns_qtree_leaf(struct vns_qtree *t, enum vns_xop op);
/* A term prefix + s. */
const struct vns_xq *vns_qtree_term(struct vns_qtree *t, const char *prefix,
                                    const char *s);
/* op over list[0..n); a single child stands for itself (but a PHRASE). */
const struct vns_xq *vns_qtree_join(struct vns_qtree *t, enum vns_xop op,
                                    const struct vns_xq *const *list, size_t n,
                                    uint32_t window);
/* q with its weight times scale (>= 0). */
const struct vns_xq *vns_qtree_scale(struct vns_qtree *t,
                                     const struct vns_xq *q, double scale);
/* Documents whose value in slot lies in [lo, hi]; NULL ends are open. */
const struct vns_xq *vns_qtree_range(struct vns_qtree *t, unsigned slot,
                                     const char *lo, const char *hi);

#endif
