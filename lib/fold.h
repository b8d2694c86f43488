/* Per-word forms: the exact form (NFC, lower case, canonical tone mark
 * placement) and the folded form (no diacritics, đ→d) of one token. */
#ifndef VNSEARCH_LIB_FOLD_H
#define VNSEARCH_LIB_FOLD_H

#include <stddef.h>

/* Write the exact and folded forms of the UTF-8 word s[0..len) into exact
 * and folded (cap bytes each, NUL-terminated) and return the VNS_TOK_*
 * flags (ALPHA, DIGIT, MARKED), or 0 when the word does not fit in cap or
 * holds nothing to index. Invalid UTF-8 is skipped. Thread-safe. */
unsigned vns_word_forms(const char *s, size_t len, char *exact, char *folded,
                        size_t cap);

/* Fold running text s[0..len) for a quick substring test: ASCII lower
 * case, Vietnamese letters to their base letter (đ→d), combining marks
 * dropped, everything else copied. out needs len + 1 bytes; returns the
 * folded length. No tokenization, no ICU: cheap enough to screen whole
 * documents. Thread-safe. */
size_t vns_fold_text(const char *s, size_t len, char *out);

#endif
