/* vnsearch-ocr's work: pages of a PDF (poppler + cairo) or an image file
 * (Leptonica) cleaned up and read by Tesseract. The one place of <capi.h>. */
#ifndef VNSEARCH_OCR_RECOGNIZE_H
#define VNSEARCH_OCR_RECOGNIZE_H

#include <stddef.h>

struct ocr_opts {
    const char *lang;      /* Tesseract languages, "vie+eng" */
    unsigned page_seconds; /* recognition time of one page */
    unsigned max_pages;    /* more pages than this: the file is refused */
    unsigned dpi;          /* PDF pages are rendered at this resolution */
};

/* The text of every page, each followed by a form feed. */
struct ocr_result {
    char *text; /* malloc'd, NUL-terminated */
    size_t len, cap;
    unsigned pages;
    double confidence; /* mean over the pages' characters, 0-100 */
};

/* Recognize data[0..len) (a PDF or an image Leptonica reads: PNG, JPEG,
 * TIFF with all its pages...) into *res (free res->text). Returns 0, or
 * 1 after writing the reason into why (whysz bytes). */
int ocr_recognize(const unsigned char *data, size_t len,
                  const struct ocr_opts *o, struct ocr_result *res, char *why,
                  size_t whysz);

#endif
