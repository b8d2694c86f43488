/* Snippets: the passages of a document's text that best show why it
 * matched, cut at syllable boundaries, with the matches highlighted. */
#ifndef VNSEARCH_LIB_SNIPPET_H
#define VNSEARCH_LIB_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "vnsearch/search.h"

/* Where a hit holds the query's loose syllables, as the word-order
 * re-rank read them (rerank.c): v[0..n) by position (the analyzer's, from
 * 0); word is the syllable's index in the query's loose sequence. */
struct vns_wordpos {
    uint32_t pos, word;
};
struct vns_hitwords {
    struct vns_wordpos *v;
    size_t n;
};
void vns_hitwords_fini(struct vns_hitwords *w);

/* A stretch of a text, in bytes. */
struct vns_span {
    size_t off, len;
};

/* Most stretches a hit shows besides its snippets. */
#define VNS_SNIP_MAX_SHOWN 8

/* What leads a hit's snippets to its matches without reading its whole
 * text: the words' positions and the text's token checkpoints (the
 * VNS_SLOT_TOKMAP value, tokmap.h); and what the hit shows already (a
 * deadline question's answering sentences, at most VNS_SNIP_MAX_SHOWN),
 * which no snippet's matches are taken from. */
struct vns_snipguide {
    const struct vns_hitwords *words;
    const char *tokmap;
    size_t tokmap_len;
    const struct vns_span *shown;
    size_t nshown;
};

/* Up to want snippets of at most width bytes from text, in text order.
 * With a guide (or NULL), only the passages around its best runs of
 * words are analyzed; a damaged or empty guide is ignored. When the guide
 * says what is shown, the matches inside it make no snippet: a hit whose
 * matches are all shown gets none. On VNS_OK *out
 * is a malloc'd array of *nout snippets (free each with vns_snippet_fini,
 * then the array). */
int vns_snippets_make(struct vns_analyzer *an, const char *text, size_t len,
                      const struct vns_query *q, size_t want, size_t width,
                      const struct vns_snipguide *guide,
                      struct vns_snippet **out, size_t *nout,
                      struct vns_err *err);
void vns_snippet_fini(struct vns_snippet *s);

#endif
