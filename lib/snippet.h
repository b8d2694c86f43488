/* Snippets: the passages of a document's text that best show why it
 * matched, cut at syllable boundaries, with the matches highlighted. */
#ifndef VNSEARCH_LIB_SNIPPET_H
#define VNSEARCH_LIB_SNIPPET_H

#include <stddef.h>

#include "query.h"
#include "vnsearch/search.h"

/* Up to want snippets of at most width bytes from text, in text order.
 * On VNS_OK *out is a malloc'd array of *nout snippets (free each with
 * vns_snippet_fini, then the array). */
int vns_snippets_make(struct vns_analyzer *an, const char *text, size_t len,
                      const struct vns_query *q, size_t want, size_t width,
                      struct vns_snippet **out, size_t *nout,
                      struct vns_err *err);
void vns_snippet_fini(struct vns_snippet *s);

#endif
