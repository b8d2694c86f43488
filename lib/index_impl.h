/* What an open index holds, shared by index.c (writing) and search.c
 * (reading). Nothing outside lib/ sees it. */
#ifndef VNSEARCH_LIB_INDEX_IMPL_H
#define VNSEARCH_LIB_INDEX_IMPL_H

#include "extract.h"
#include "vnsearch/analyze.h"
#include "vnsearch/index.h"
#include "xapian.h"

/* Term prefixes. Folded terms have none ("mui"); the exact forms of words
 * with diacritics take E ("Emũi"); the unique id takes Q. */
#define VNS_PREFIX_EXACT "E"
#define VNS_PREFIX_ID "Q"

struct vns_index {
    struct vns_xdb *db;
    struct vns_analyzer *an;
    struct vns_extractor *ex; /* writers only */
    int mode;
    char dir[4096];
};

#endif
