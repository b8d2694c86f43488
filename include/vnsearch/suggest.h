/* Search-box completion: the last word of a query completed from the
 * index's own terms, with its diacritics restored ("tiem" -> "tiêm"). */
#ifndef VNSEARCH_SUGGEST_H
#define VNSEARCH_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "vnsearch/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most completions vns_suggest gives. */
#define VNS_SUGGEST_MAX 10

struct vns_suggestion {
    char *text; /* the query with its last word completed */
    char *word; /* the completed word alone: "tiêm" */
    /* documents holding the word: in any form when typed bare ("tiem"
     * counts tiêm, tiềm...), in this form when typed with marks */
    uint64_t count;
};

struct vns_suggestions {
    struct vns_suggestion *items; /* most frequent first */
    size_t n;
};

/* Complete the last word of q (qlen bytes): every indexed word that starts
 * with it, without diacritics ("tiem" -> "tiêm", "tiềm", "tiếng"...), or
 * with the diacritics typed ("tiề" -> "tiềm"), each shown in its most
 * frequent written form, at most max (0 or over VNS_SUGGEST_MAX means
 * VNS_SUGGEST_MAX). A query ending in a space, or empty, gets none.
 * On VNS_OK free *out with vns_suggestions_fini. Errors: VNS_ETOOBIG (q
 * over VNS_MAX_QUERY), VNS_EINDEX, VNS_ENOMEM. */
VNS_API int vns_suggest(struct vns_index *ix, const char *q, size_t qlen,
                        size_t max, struct vns_suggestions *out,
                        struct vns_err *err);
VNS_API void vns_suggestions_fini(struct vns_suggestions *s);

#ifdef __cplusplus
}
#endif

#endif
