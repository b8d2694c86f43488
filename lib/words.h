/* The index's folded words of letters a-z alone ("tiem", "covid"), each
 * with the documents holding it, read once a reader. A word no document
 * holds has ~300 strings one edit from it; spelling asks of each whether
 * it is a word (vns_spell_edits, spell.c): a hash lookup each here, a
 * B-tree lookup each in the index. Medium seed 21 holds 52,501 such
 * words (~2 MB here), read in ~25 ms, so a reader builds the table only
 * once it has spelled out a few words (vns_index_words): a one-shot
 * query never pays for it. */
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

/* Whether the table can say of word (NUL-terminated): true for letters
 * a-z alone, 1 to VNS_TERM_MAX - 1 of them; then *df is the documents
 * holding it, 0 for none. False (*df untouched): ask the index. */
int vns_words_df(const struct vns_words *w, const char *word, uint64_t *df);

/* Words held. */
size_t vns_words_count(const struct vns_words *w);

#endif
