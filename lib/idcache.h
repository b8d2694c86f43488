/* Document ids by Xapian document id, read once from the id value stream
 * (VNS_SLOT_ID): a deep result list (a TREC run's 100 hits) names its
 * hits without a lookup each. Built on first use per reader, dropped when
 * the reader moves to a new revision. */
#ifndef VNSEARCH_LIB_IDCACHE_H
#define VNSEARCH_LIB_IDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "xapian.h"

struct vns_idcache;

int vns_idcache_new(struct vns_xdb *db, struct vns_idcache **out,
                    struct vns_err *err);
void vns_idcache_free(struct vns_idcache *c);
/* The id of docid, or NULL when the cache has none. */
const char *vns_idcache_get(const struct vns_idcache *c, uint32_t docid);

#endif
