/* Searching an index: a query string in, ranked hits out, each with its
 * title, score and highlighted snippets. */
#ifndef VNSEARCH_SEARCH_H
#define VNSEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "vnsearch/index.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vns_search_opts {
    size_t offset;      /* hits to skip */
    size_t limit;       /* hits wanted; 0 means 10 */
    double time_limit;  /* seconds for the match, 0 for none */
    size_t snippets;    /* per hit, 0 means 2 */
    size_t snippet_len; /* bytes per snippet, 0 means 300 (~200 chars) */
};

/* A highlighted span, in bytes from the start of the snippet text. */
struct vns_highlight {
    uint32_t off;
    uint32_t len;
};

struct vns_snippet {
    char *text; /* UTF-8, one line, cut at syllable boundaries */
    size_t len;
    struct vns_highlight *hl;
    size_t nhl;
    int cut_start; /* text goes on before the snippet */
    int cut_end;   /* ... and after it */
};

struct vns_hit {
    uint32_t rank; /* 1-based, counting the offset */
    char *id;
    char *title; /* may be empty, never NULL */
    double score;
    struct vns_snippet *snippets;
    size_t nsnippets;
};

struct vns_results {
    struct vns_hit *hits;
    size_t n;
    uint64_t estimate; /* matching documents, estimated */
};

/* Run the query (q, qlen) on ix. Query syntax: words (with or without
 * diacritics), "quoted phrases", -word and -"phrase" exclusions.
 * Errors: VNS_EQUERY with the reason ("unbalanced quote", "nothing to
 * search for", "more than 64 words"), VNS_EINDEX, VNS_ENOMEM.
 * On VNS_OK free *out with vns_results_fini. */
VNS_API int vns_search(struct vns_index *ix, const char *q, size_t qlen,
                       const struct vns_search_opts *opts,
                       struct vns_results *out, struct vns_err *err);
VNS_API void vns_results_fini(struct vns_results *res);

#ifdef __cplusplus
}
#endif

#endif
