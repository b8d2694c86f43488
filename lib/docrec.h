/* The stored record of a document: id, title, format and path as compact
 * JSON in the document data, and in one value (VNS_SLOT_SHOWN) what a
 * shown hit reads: the same JSON, the metadata JSON, the text's token
 * checkpoints (tokmap.h), the text (packed, textpack.h) and its words in
 * order (wordseq.h). The re-rank reads that value for the words and
 * hands it to the hit it shows, which then needs no lookup of its own.
 * A document written before 2026-12 has these in value slots of their
 * own (VNS_SLOT_META, VNS_SLOT_TOKMAP, VNS_SLOT_TEXT, VNS_SLOT_WORDS),
 * read as such, document by document. */
#ifndef VNSEARCH_LIB_DOCREC_H
#define VNSEARCH_LIB_DOCREC_H

#include <stddef.h>
#include <stdint.h>

#include "textpack.h"
#include "vnsearch/err.h"
#include "xapian.h"

/* The VNS_SLOT_SHOWN value: VNS_PARTS_V1, then each part as a tag byte,
 * a LEB128 length and its bytes; a tag this vnsearch does not know is
 * skipped, one twice is damage. The record, metadata and text may each
 * be packed (textpack.h): vns_unpack makes them what they were. */
#define VNS_PARTS_V1 1
enum {
    VNS_PART_RECORD, /* 'r': the record's JSON, as in the document data */
    VNS_PART_META,   /* 'm' */
    VNS_PART_TOKMAP, /* 'c': the checkpoints */
    VNS_PART_TEXT,   /* 't': packed */
    VNS_PART_WORDS,  /* 'w': the VNS_SLOT_WORDS value of old */
    VNS_NPARTS
};
/* A value's parts: pointers into it, NULL when absent. */
struct vns_parts {
    const char *p[VNS_NPARTS];
    size_t len[VNS_NPARTS];
};
/* Split value v (len bytes; none at all for an older document: every
 * part absent). VNS_EINDEX, said in err, when it is damaged. */
int vns_parts_split(const char *v, size_t len, struct vns_parts *out,
                    struct vns_err *err);
/* Part k of pt unpacked (textpack.h) into a malloc'd, NUL-terminated
 * copy, *out NULL when absent (the caller frees *out, whatever the
 * result). */
int vns_parts_unpack(const struct vns_parts *pt, int k, char **out, size_t *len,
                     struct vns_err *err);

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
    /* the words in order (wordseq.h): stored, not read back here */
    const char *words;
    size_t words_len;
    int whole; /* the parts were read (VNS_SLOT_SHOWN) */
    int older; /* there are none: the value slots of old hold them */
};

#define VNS_REC_TEXT 0x1 /* read the text too */
#define VNS_REC_META 0x2 /* read the metadata too */

/* Store r in doc: data and the parts, the text and JSON packed with z's
 * dictionaries (z may be NULL: the text packed plain, the JSON as it is;
 * textpack.h). */
int vns_docrec_store(const struct vns_docrec *r, const struct vns_packdicts *z,
                     struct vns_xdoc *doc, struct vns_err *err);
/* A VNS_SLOT_SHOWN value (v, len) packed again with z: *out (malloc'd,
 * NULL for an empty value) and its length. */
int vns_docrec_repack(const char *v, size_t len, const struct vns_packdicts *z,
                      char **out, size_t *outlen, struct vns_err *err);
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
 * checkpoints and the packed text, r->whole set, and the record's fields
 * when r has none yet; an empty value (an older document) sets
 * r->older. VNS_EINDEX when they are damaged. */
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
