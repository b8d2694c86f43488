/* The stored record of a document: id, title, format and path as compact
 * JSON in the document data; the metadata JSON, the text's token
 * checkpoints (tokmap.h) and the text (packed, textpack.h) in one value
 * (VNS_SLOT_SHOWN), each part a LEB128 length and its bytes, so a shown
 * hit makes two lookups and a result list reads neither part. A document
 * written before 2026-12 has the three in value slots of their own
 * (VNS_SLOT_META, VNS_SLOT_TOKMAP, VNS_SLOT_TEXT), read as such, document
 * by document. */
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
    char *meta;   /* the metadata object as JSON text (meta_json.h); NULL
                     when not read */
    char *tokmap; /* where every 16th token of the text starts (tokmap.h);
                     NULL when none or not read */
    size_t tokmap_len;
    /* the text as stored, while not unpacked (from the parts) */
    char *packed;
    size_t packed_len;
    int whole; /* the parts were read (VNS_SLOT_SHOWN) */
    int older; /* there are none: the value slots of old hold them */
};

#define VNS_REC_TEXT 0x1 /* read the text too */
#define VNS_REC_META 0x2 /* read the metadata too */

/* Store r in doc: data and the parts. */
int vns_docrec_store(const struct vns_docrec *r, struct vns_xdoc *doc,
                     struct vns_err *err);
/* Read document docid's record with what flags asks for into *out (free
 * with vns_docrec_fini). VNS_EINDEX when the data is not a record of
 * ours. */
int vns_docrec_read(struct vns_xdb *db, uint32_t docid, unsigned flags,
                    struct vns_docrec *out, struct vns_err *err);
/* The record of a search hit run with vns_docrec_fetch as its fetch list:
 * id, title, format, path and metadata; the text is unpacked on demand
 * with vns_docrec_read_text. */
int vns_docrec_from_hit(const struct vns_xhit *h, struct vns_docrec *out,
                        struct vns_err *err);
/* id, title, format and path from document data (data, len) alone. */
int vns_docrec_decode(const char *data, size_t len, struct vns_docrec *out,
                      struct vns_err *err);
/* The parts (a VNS_SLOT_SHOWN value v, len bytes) into r: metadata,
 * checkpoints and the packed text, r->whole set; an empty value (an
 * older document) leaves r as it is. VNS_EINDEX when they are damaged. */
int vns_docrec_parts(const char *v, size_t len, struct vns_docrec *r,
                     struct vns_err *err);
/* The text of r (read by vns_docrec_read): unpacked from the parts, or
 * read from its value slot of old. */
int vns_docrec_read_text(struct vns_xdb *db, uint32_t docid,
                         struct vns_docrec *r, struct vns_err *err);
/* The checkpoints of r: from the parts, or read from their value slot of
 * old (r->tokmap stays NULL when there are none). */
int vns_docrec_read_tokmap(struct vns_xdb *db, uint32_t docid,
                           struct vns_docrec *r, struct vns_err *err);
/* The value slots a search should fetch for vns_docrec_from_hit. */
extern const unsigned vns_docrec_fetch[2];

void vns_docrec_fini(struct vns_docrec *r);

#endif
