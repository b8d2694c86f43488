/* OCR of scanned notices: how vnsearch-index reads image-only PDFs and
 * image files (the vnsearch-ocr helper, once per file, in a sandbox), its
 * cache, and what it did. Set once, before any indexing thread starts. */
#ifndef VNSEARCH_OCR_H
#define VNSEARCH_OCR_H

#include <stdint.h>

#include "vnsearch/err.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vns_ocr_mode {
    VNS_OCR_OFF,  /* scans fail with "no text layer (scanned?)" (default) */
    VNS_OCR_AUTO, /* PDFs without a usable text layer, and images */
    VNS_OCR_FORCE /* every PDF too, even one with a text layer */
};

struct vns_ocr_opts {
    enum vns_ocr_mode mode;
    unsigned jobs;         /* helpers running at once; 0: one per core */
    unsigned page_seconds; /* recognition time of a page; 0: 60 */
    /* Cached texts, by content: NULL for $XDG_CACHE_HOME/vnsearch/ocr,
     * else $HOME/.cache/vnsearch/ocr; "" for no cache. */
    const char *cache_dir;
    /* The helper program: NULL to look for vnsearch-ocr beside the
     * running program, then in the installed libexec folder. */
    const char *helper;
};

/* Apply o for the whole process (strings are copied). Not thread-safe:
 * call before indexing. A missing helper is no error here (each file
 * that needs OCR says so); see vns_ocr_helper. Returns VNS_OK, VNS_EINVAL
 * or VNS_ENOMEM. */
VNS_API int vns_ocr_setup(const struct vns_ocr_opts *o, struct vns_err *err);

/* The helper found by vns_ocr_setup, or NULL; the cache folder, or NULL
 * when there is none. Borrowed until the next vns_ocr_setup. */
VNS_API const char *vns_ocr_helper(void);
VNS_API const char *vns_ocr_cache_dir(void);

/* What OCR did since the process started; safe from any thread. */
struct vns_ocr_stats {
    uint64_t files, pages;               /* recognized by the helper */
    uint64_t cached_files, cached_pages; /* taken from the cache instead */
    uint64_t failed;                     /* files the helper could not read */
    uint64_t cache_errors;               /* entries that could not be saved */
    double seconds;                      /* wall clock inside the helper */
};
VNS_API void vns_ocr_stats(struct vns_ocr_stats *out);

#ifdef __cplusplus
}
#endif

#endif
