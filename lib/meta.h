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
#define VNS_META_MAX_RECIPIENTS 64u
#define VNS_META_RECIPIENT_MAX 256
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
    char issuing_body[112];
    char province[160];
};

/* Provinces kept as candidates when the evidence is too weak or conflicts
 * ("huyện Châu Thành" alone: ten provinces). */
#define VNS_META_MAX_CANDIDATES 8

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
    /* the "Nơi nhận" list, one entry per recipient: malloc'd */
    char (*recipients)[VNS_META_RECIPIENT_MAX];
    size_t n_recipients;
    /* canonical, without the place: "Thường trực Tỉnh ủy", "Sở Y tế",
     * "Ủy ban nhân dân tỉnh" (vocabulary in data/bodies.tsv) */
    char issuing_body[96];
    /* short gazetteer names: "Ninh Thuận"; "" when unknown. province is
     * one of the 63 for notices before 1 July 2025, one of the 34 after;
     * province_2025 is always one of the 34. */
    char province[48];
    char province_2025[48];
    char candidates[VNS_META_MAX_CANDIDATES][48]; /* when province is "" */
    size_t n_candidates;
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

struct vns_gaz;
struct vns_bodies;

/* Fill m->province, province_2025, candidates and why.province from
 * text, using the gazetteer: header lines ("TỈNH ỦY NINH THUẬN", "ỦY BAN
 * NHÂN DÂN / TỈNH THANH HÓA"), the place-and-date line, "tỉnh X" mentions,
 * and district and commune names, weighed so that a name shared by
 * several provinces, a cited province or a "(cũ)" one never gives a
 * confident wrong answer: unknown with candidates instead. m->date (set
 * by vns_meta_extract, called first) decides between the 63 and the 34.
 * Errors: VNS_EINVAL, VNS_ENOMEM. */
int vns_meta_place(const struct vns_gaz *gz, const char *text, size_t len,
                   struct vns_meta *m, struct vns_err *err);

/* The controlled vocabulary of issuing bodies (data/bodies.tsv).
 * path NULL: found with vns_datadir_find. Errors name the file and line. */
int vns_bodies_open(const char *path, struct vns_bodies **out,
                    struct vns_err *err);
void vns_bodies_free(struct vns_bodies *b);
/* The canonical name for any spelling ("UBND tỉnh", "ủy ban nhân dân
 * tinh", "TU" no), or NULL; suggestions for "did you mean". */
const char *vns_bodies_find(const struct vns_bodies *b, const char *name);
size_t vns_bodies_suggest(const struct vns_bodies *b, const char *name,
                          const char **out, size_t cap);

/* Fill m->issuing_body and why.issuing_body from the header block, the
 * opening sentence, the closing ("Văn phòng Tỉnh ủy thông báo ...") and
 * the signature block ("T/M BAN THƯỜNG VỤ", "TL. CHỦ TỊCH / KT. CHÁNH VĂN
 * PHÒNG"). Call after vns_meta_place: the province tells "tỉnh" from
 * "thành phố" when the text does not. Errors: VNS_EINVAL. */
int vns_meta_body(const struct vns_bodies *b, const char *text, size_t len,
                  struct vns_meta *m, struct vns_err *err);

/* Free the arrays of m and reset it to empty; m may be NULL. */
void vns_meta_fini(struct vns_meta *m);

#endif
