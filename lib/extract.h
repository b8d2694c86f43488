/* From a file's bytes to clean text: detection, decoding, format
 * extraction, paragraph repair and a title guess. Analysis is elsewhere. */
#ifndef VNSEARCH_LIB_EXTRACT_H
#define VNSEARCH_LIB_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"

/* A whole file in memory. */
struct vns_blob {
    char *data; /* malloc'd, NUL-terminated after len bytes */
    size_t len;
};

/* Read path (at most max bytes, else VNS_ETOOBIG) into *out.
 * Errors name the path: VNS_ENOTFOUND, VNS_EIO, VNS_ETOOBIG. */
int vns_blob_read(const char *path, size_t max, struct vns_blob *out,
                  struct vns_err *err);
void vns_blob_fini(struct vns_blob *b);

/* Extracted text of one document. */
struct vns_text {
    char *text; /* NFC UTF-8, one paragraph per line, malloc'd */
    size_t len;
    char *title;        /* heading block on one line, malloc'd, or NULL */
    const char *format; /* static: "text", "markdown", "html", "docx",
                           "odt", "pdf", "png", "jpeg", "tiff" */
    size_t bad_utf8;    /* invalid sequences replaced by U+FFFD */
    bool ocr;           /* the text was recognized from page images */
    bool ocr_cached;    /* ... and taken from the OCR cache */
    unsigned ocr_pages;
    double ocr_confidence; /* Tesseract's mean, 0-100 */
};
void vns_text_fini(struct vns_text *t);

struct vns_extractor; /* holds libmagic: one per thread */
int vns_extractor_new(struct vns_extractor **out, struct vns_err *err);
void vns_extractor_free(struct vns_extractor *ex);

/* Read, detect and extract one file. On failure *out is untouched and err
 * says "<path>: <reason>" (VNS_EUNSUPPORTED for types we do not read,
 * VNS_EBADDATA for broken content, VNS_ETOOBIG, VNS_EIO...). */
int vns_extract_file(struct vns_extractor *ex, const char *path,
                     struct vns_text *out, struct vns_err *err);
/* The same on bytes already in memory; name is only used in messages. */
int vns_extract_blob(struct vns_extractor *ex, const char *name,
                     const char *data, size_t len, struct vns_text *out,
                     struct vns_err *err);

#endif
