/* The index's folded words ("tiem", "covid", "f0": every term starting
 * with a letter a-z) and its exact forms ("Etiêm"), each with the
 * documents holding it, read once a reader, in byte order. A word no
 * document holds has ~300 strings one edit from it; spelling asks of each
 * whether it is a word (vns_spell_edits, spell.c): a hash lookup each
 * here, a B-tree lookup each in the index. The search box completes a
 * word from the words, and their written forms, starting with what was
 * typed (suggest.c): a walk here, not through the index, whose walk
 * steps over every posting of every term on the way (2-6 ms a completion
 * on medium seed 21). That corpus holds 57,192 such words and 14,991
 * exact forms (~3 MB here), read in ~30 ms, so a reader builds the table
 * only once it has been asked for it a few times (vns_index_words): a
 * one-shot query never pays for it. */
#ifndef VNSEARCH_LIB_WORDS_H
#define VNSEARCH_LIB_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "xapian.h"

struct vns_words;

/* Read db's words into *out (free it with vns_words_free). */
int vns_words_new(struct vns_xdb *db, struct vns_words **out,
                  struct vns_err *err);
void vns_words_free(struct vns_words *w);

/* Whether w (may be NULL) holds every term like word: those starting
 * with a letter a-z or with VNS_PREFIX_EXACT. */
int vns_words_cover(const struct vns_words *w, const char *word);

/* When w covers word (NUL-terminated), *df is the documents holding it,
 * 0 for none, and 1 is returned; else 0 (*df untouched): ask the index. */
int vns_words_df(const struct vns_words *w, const char *word, uint64_t *df);

/* Documents holding word (NUL-terminated): from w when it covers word
 * (w may be NULL), else from db (vns_xdb_termfreq). */
int vns_words_termfreq(const struct vns_words *w, struct vns_xdb *db,
                       const char *word, uint64_t *df, struct vns_err *err);

/* As vns_xdb_terms, for a prefix w covers (else nothing is called): fn
 * for each word starting with prefix, in byte order, with its documents,
 * until fn returns nonzero, which is returned. */
int vns_words_prefix(const struct vns_words *w, const char *prefix,
                     vns_xterm_fn fn, void *ctx);

/* Words held. */
size_t vns_words_count(const struct vns_words *w);

#endif
