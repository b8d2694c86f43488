/* What an open index holds, shared by index.c (writing) and search.c
 * (reading). Nothing outside lib/ sees it. */
#ifndef VNSEARCH_LIB_INDEX_IMPL_H
#define VNSEARCH_LIB_INDEX_IMPL_H

#include <jansson.h>

#include "extract.h"
#include "vnsearch/analyze.h"
#include "vnsearch/index.h"
#include "xapian.h"

/* Term prefixes. Folded terms have none ("mui"); the exact forms of words
 * with diacritics take E ("Emũi"); the unique id takes Q. Metadata filters
 * are boolean terms on folded values: XP province, XN province_2025,
 * XB issuing body, XT document type, XL deadline date, XK has a deadline. */
#define VNS_PREFIX_EXACT "E"
#define VNS_PREFIX_ID "Q"
#define VNS_PREFIX_PROVINCE "XP"
#define VNS_PREFIX_PROVINCE_2025 "XN"
#define VNS_PREFIX_BODY "XB"
#define VNS_PREFIX_TYPE "XT"
#define VNS_PREFIX_DEADLINE "XL"
#define VNS_TERM_HAS_DEADLINE "XK"

/* Value slots: sorting, ranges and facets. */
enum {
    VNS_SLOT_DATE = 0,  /* "2021-11-29" */
    VNS_SLOT_MONTH = 1, /* "2021-11" */
    VNS_SLOT_PROVINCE = 2,
    VNS_SLOT_PROVINCE_2025 = 3,
    VNS_SLOT_BODY = 4,
    VNS_SLOT_TYPE = 5
};

struct vns_gaz;
struct vns_bodies;

struct vns_index {
    struct vns_xdb *db;
    struct vns_analyzer *an;
    struct vns_extractor *ex; /* writers only */
    struct vns_gaz *gaz;      /* loaded on first use */
    struct vns_bodies *bodies;
    int mode;
    char dir[4096];
};

/* The gazetteer and the bodies vocabulary, loaded on first use. */
int vns_index_vocab(struct vns_index *ix, struct vns_err *err);

/* Add the metadata of the JSON object meta to doc: filter terms and value
 * slots. */
int vns_index_meta_terms(struct vns_xdoc *doc, json_t *meta,
                         struct vns_err *err);

#endif
