/* Internal to extraction: running the OCR helper on one file through the
 * cache, and the repair of its text. The settings are vnsearch/ocr.h's. */
#ifndef VNSEARCH_LIB_OCR_H
#define VNSEARCH_LIB_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"
#include "vnsearch/ocr.h"

/* The mode vns_ocr_setup set (VNS_OCR_OFF until it is called). */
enum vns_ocr_mode vns_ocr_mode(void);

/* A recognized file: repaired text, one paragraph per line, NFC. */
struct vns_ocr_text {
    char *text; /* malloc'd, NUL-terminated */
    size_t len;
    unsigned pages;
    double confidence; /* Tesseract's mean, 0-100 */
    bool cached;       /* from the cache: no recognition ran */
};
void vns_ocr_text_fini(struct vns_ocr_text *t);

/* Recognize data[0..len) (a PDF or an image), from the cache when this
 * content was read before; pages is how many the caller expects (0:
 * unknown), for the time limit. Errors say the reason without the file
 * name: VNS_EUNSUPPORTED "OCR needs vnsearch-ocr, not found ...",
 * VNS_EBADDATA "OCR: <the helper's reason>", VNS_ETOOBIG for a limit,
 * VNS_EIO, VNS_ENOMEM. *out is written only on VNS_OK. */
int vns_ocr_file(const char *data, size_t len, unsigned pages,
                 struct vns_ocr_text *out, struct vns_err *err);

/* The helper's page texts (each ended by a form feed) made into clean
 * text: tone marks that Tesseract split from their letter joined again,
 * NFC, lines that are mostly stamp or signature noise dropped, wrapped
 * lines and hyphenated breaks rejoined. On VNS_OK *out is malloc'd (free
 * it), perhaps empty. VNS_ENOMEM, VNS_ETOOBIG. */
int vns_ocr_repair(const char *in, size_t len, char **out, size_t *outlen,
                   struct vns_err *err);

#endif
