/* Deadline intent: "tiêm mũi 2 deadline", "hạn chót cách ly" ask when,
 * not what. Spotting those words and matching deadline sentences here;
 * how that ranks is search.c's. */
#ifndef VNSEARCH_LIB_INTENT_H
#define VNSEARCH_LIB_INTENT_H

#include <stddef.h>

#include "query.h"

/* Whether q asks for a deadline; if so, the loose words that ask
 * ("deadline", "hạn", "thời hạn", "khi nào", "trước ngày"...) are removed
 * from q, unless they are all it holds. */
int vns_intent_deadline(struct vns_query *q);

/* Room for one syllable of a cue phrase, as written. */
#define VNS_INTENT_FORM_MAX 32

/* The cue phrases of two syllables or more ("han chot", "khi nao") among
 * the loose syllables seq[0..n) (run[] as vns_query_loose gives it): each
 * of their syllables gets its written form in forms[i] ("hạn", "chót"),
 * the others "". Returns how many got one. */
size_t vns_intent_cue_forms(const struct vns_qterm *const *seq,
                            const size_t *run, size_t n,
                            char forms[][VNS_INTENT_FORM_MAX]);

/* The share (0..1) of q's distinct loose and quoted syllables that the
 * sentence (text, len) holds, diacritics ignored. */
double vns_intent_cover(const struct vns_query *q, const char *text,
                        size_t len);

#endif
