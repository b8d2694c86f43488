/* The stored record of a document: id, title, format and path as compact
 * JSON in the document data; the text and the metadata in value slots, so
 * a result list reads neither unless it needs them. */
#ifndef VNSEARCH_LIB_DOCREC_H
#define VNSEARCH_LIB_DOCREC_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "xapian.h"

struct vns_docrec {
    char *id;
    char *title;  /* "" when none */
    char *format; /* "text", "markdown", "html" */
    char *path;   /* the file as it was indexed (absolute), "" for text */
    char *text;   /* one paragraph per line; NULL when not read */
    size_t text_len;
    char *meta; /* the metadata object as JSON text (meta_json.h); NULL
                   when not read */
};

#define VNS_REC_TEXT 0x1 /* read the text too */
#define VNS_REC_META 0x2 /* read the metadata too */

/* Store r in doc: data, text and metadata. */
int vns_docrec_store(const struct vns_docrec *r, struct vns_xdoc *doc,
                     struct vns_err *err);
/* Read document docid's record with what flags asks for into *out (free
 * with vns_docrec_fini). VNS_EINDEX when the data is not a record of
 * ours. */
int vns_docrec_read(struct vns_xdb *db, uint32_t docid, unsigned flags,
                    struct vns_docrec *out, struct vns_err *err);
/* The record of a search hit run with vns_docrec_fetch as its fetch list:
 * id, title, format, path and metadata; the text is read on demand with
 * vns_docrec_read_text. */
int vns_docrec_from_hit(const struct vns_xhit *h, struct vns_docrec *out,
                        struct vns_err *err);
/* id, title, format and path from document data (data, len) alone. */
int vns_docrec_decode(const char *data, size_t len, struct vns_docrec *out,
                      struct vns_err *err);
int vns_docrec_read_text(struct vns_xdb *db, uint32_t docid,
                         struct vns_docrec *r, struct vns_err *err);
/* The value slots a search should fetch for vns_docrec_from_hit. */
extern const unsigned vns_docrec_fetch[1];

void vns_docrec_fini(struct vns_docrec *r);

#endif
