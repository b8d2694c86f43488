/* Metadata of one notice read from its extracted text: type, number,
 * signing date, deadlines, signer, subject. Places and bodies are elsewhere. */
#ifndef VNSEARCH_LIB_META_H
#define VNSEARCH_LIB_META_H

#include <stddef.h>

#include "vnsearch/err.h"

/* Most deadlines and cited documents kept per notice; the rest are
 * dropped (a notice has a handful, a 300 KB report a few dozen). */
#define VNS_META_MAX_DEADLINES 256u
#define VNS_META_MAX_REFS 256u
/* Bytes of text looked at; beyond it a document is not read further. */
#define VNS_META_MAX_TEXT (64u * 1024 * 1024)

/* One dated obligation: "hoàn thành trước ngày 11/10/2021". */
struct vns_meta_deadline {
    char date[11]; /* ISO "2021-10-11" */
    size_t off;    /* the sentence holding it, bytes into the text */
    size_t len;
};

/* A document cited in the body: "theo Quyết định số 2771/QĐ-UBND". */
struct vns_meta_ref {
    char number[64]; /* as printed, spaces removed */
    char date[11];   /* ISO when "ngày ..." follows the number, else "" */
    size_t off;      /* where the number starts, bytes into the text */
};

/* Which line decided each field, for --explain: "line 3: Số: 412/TB-VPUB".
 * Empty when the field is empty. */
struct vns_meta_why {
    char doc_type[112];
    char number[112];
    char date[112];
    char signer[112];
    char subject[112];
};

/* Every scalar is a NUL-terminated string, "" when not found. */
struct vns_meta {
    char doc_type[32]; /* "Thông báo", "Quyết định", "Công văn"... */
    char number[64];   /* "412/TB-UBND", "135-TB/TU" (no "Số:") */
    char date[11];     /* signing date, ISO */
    char signer[96];   /* "Nguyễn Đức Thanh" */
    char subject[256]; /* "về công tác phòng, chống dịch Covid-19" */
    struct vns_meta_deadline *deadlines; /* malloc'd, n_deadlines long */
    size_t n_deadlines;
    struct vns_meta_ref *refs; /* malloc'd, n_refs long */
    size_t n_refs;
    struct vns_meta_why why;
};

/* Read the metadata of text[0..len) (NFC UTF-8, one paragraph per line,
 * as vns_extract_file gives it; any bytes are safe). title is the
 * extractor's title guess or NULL; it only helps when the text has no
 * title line. On VNS_OK *out is filled and owns its arrays (release with
 * vns_meta_fini); on failure *out is untouched. A text with nothing
 * recognisable is VNS_OK with every field empty.
 * Errors: VNS_EINVAL (NULL text with len > 0, or NULL out), VNS_ENOMEM. */
int vns_meta_extract(const char *text, size_t len, const char *title,
                     struct vns_meta *out, struct vns_err *err);

/* Free the arrays of m and reset it to empty; m may be NULL. */
void vns_meta_fini(struct vns_meta *m);

#endif
