/* The body's words in order (VNS_SLOT_WORDS): the word-order re-rank and
 * the snippets find where a hit holds the query's words in one value
 * read, not in a position list read a word (each costs two block reads
 * in Xapian 1.4's Glass, whatever the order they are read in). The value
 * holds the document's distinct folded words, most frequent first, then
 * each token as its word's number: the same positions as the lists, ~3.6
 * KB for a notice of 1,500 syllables. */
#ifndef VNSEARCH_LIB_WORDSEQ_H
#define VNSEARCH_LIB_WORDSEQ_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

/* The value's first byte: its encoding. Then LEB128 numbers and bytes:
 * the count of words D; each word as its length (1..255) and bytes; the
 * count of tokens N; each token as its word's number, 1..D (0: no token
 * at that position). */
#define VNS_WORDSEQ_V1 1
/* Tokens kept: words past this many are not seen by the re-rank (the
 * matching still finds them). */
#define VNS_WORDSEQ_MAX 65536u

/* The value being built. */
struct vns_wordseq_builder {
    char *arena; /* the words, NUL after each */
    size_t narena, carena;
    uint32_t *word_at; /* word_at[i]: where word i starts in arena */
    uint32_t *count;   /* count[i]: its tokens */
    size_t nwords, cwords;
    uint32_t *slots; /* open addressing: word number + 1, 0 empty */
    size_t cslots;
    uint32_t *tokens; /* word number + 1 a position, 0 none */
    size_t ntokens, ctokens;
};

/* Note the token at position pos (the analyzer's, from 0, ascending)
 * with its folded form; positions skipped hold no token, those from
 * VNS_WORDSEQ_MAX on are dropped. */
int vns_wordseq_add(struct vns_wordseq_builder *b, uint32_t pos,
                    const char *folded, struct vns_err *err);
/* The value of what was added (*out malloc'd, *len bytes; NULL and 0
 * when no token was). */
int vns_wordseq_value(struct vns_wordseq_builder *b, char **out, size_t *len,
                      struct vns_err *err);
void vns_wordseq_fini(struct vns_wordseq_builder *b);

/* Where value v[0..n) holds words want[0..nw): calls fn(pos, w, ctx)
 * for each token (pos from 0) that is want[w], in token order, at most
 * cap times a word. Returns VNS_OK; VNS_EINDEX when the value is damaged
 * (err says so); fn's nonzero value when it stopped early. */
typedef int (*vns_wordseq_fn)(uint32_t pos, uint32_t w, void *ctx);
int vns_wordseq_find(const char *v, size_t n, const char *const *want,
                     size_t nw, size_t cap, vns_wordseq_fn fn, void *ctx,
                     struct vns_err *err);

#endif
