/* The stored record of a document (Xapian document data): id, title,
 * format, text and metadata, serialized as compact JSON. */
#ifndef VNSEARCH_LIB_DOCREC_H
#define VNSEARCH_LIB_DOCREC_H

#include <stddef.h>

#include "vnsearch/err.h"

struct vns_docrec {
    char *id;
    char *title;  /* "" when none */
    char *format; /* "text", "markdown", "html" */
    char *path;   /* the file as it was indexed (absolute), "" for text */
    char *text;   /* one paragraph per line */
    size_t text_len;
    char *meta; /* the metadata object as JSON text (meta_json.h), or
                   NULL for none */
};

/* Serialize r; *out is malloc'd (free it). */
int vns_docrec_encode(const struct vns_docrec *r, char **out, size_t *len,
                      struct vns_err *err);
/* Parse data into *out (free with vns_docrec_fini). VNS_EINDEX when the
 * data is not a record of ours. */
int vns_docrec_decode(const char *data, size_t len, struct vns_docrec *out,
                      struct vns_err *err);
void vns_docrec_fini(struct vns_docrec *r);

#endif
