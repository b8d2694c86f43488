/* Terms whose frequencies a step will ask for, gathered first and looked
 * up together (vns_xdb_termfreqs_ahead): over remote shards one exchange
 * a shard instead of one a term; on local ones in term order, a B-tree
 * leaf read once for the terms it holds (the batch on medium seed 61:
 * 205 -> 185 block reads a query). The step's own lookups then hit the
 * reader's cache. */
#ifndef VNSEARCH_LIB_TERMBATCH_H
#define VNSEARCH_LIB_TERMBATCH_H

#include <stddef.h>

#include "strbuf.h"
#include "xapian.h"

struct vns_termbatch {
    int on;                  /* the reader caches: gathering pays */
    struct vns_strbuf terms; /* each followed by a NUL */
    size_t n;
};

/* An empty batch for db; off (adding does nothing) for a writer, which
 * keeps no cache. */
void vns_termbatch_init(struct vns_termbatch *b, struct vns_xdb *db);
void vns_termbatch_add(struct vns_termbatch *b, const char *term, size_t len);
/* prefix + "x y": a pair term (index_doc.c); none when too long. */
void vns_termbatch_add_pair(struct vns_termbatch *b, const char *prefix,
                            const char *x, const char *y);
/* Look them all up ahead; the batch is emptied. */
int vns_termbatch_fetch(struct vns_termbatch *b, struct vns_xdb *db,
                        struct vns_err *err);
void vns_termbatch_fini(struct vns_termbatch *b);

#endif
