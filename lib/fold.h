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

/* The UTF-8 word s[0..len) lower-cased with its letters' shapes (ă â ê ô
 * ơ ư đ) and without its tone, into out (cap bytes, NUL-terminated), the
 * tone (0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng, wherever it sits)
 * into *tone: "Tiếm" -> "tiêm", 2. Its length; 0 when it does not fit or
 * holds what no Vietnamese letter is ("ŷn", a mark on a consonant).
 * Thread-safe. */
size_t vns_word_shape(const char *s, size_t len, char *out, size_t cap,
                      int *tone);

/* Whether shape (as vns_word_shape writes it) ends where no Vietnamese
 * syllable does: on "ă" or "â", which always take a final letter, or on
 * "iê", "yê", "uô", "ươ", written "ia", "ya", "ua", "ưa" when nothing
 * follows them. "câ" of "cấp", "tiê" of "tiêm", "Lươ" of "Lương": a
 * word cut short. */
int vns_shape_unfinished(const char *shape);

/* The shapes the UTF-8 word s[0..len) had before a vowel was dropped
 * from its NFD, leaving the vowel's marks on the letter before: "h̀nh"
 * (from "hành" or "hình") -> "hanh", "hinh", "henh"... with tone 1;
 * "cĥu" -> "châu", "chêu", "chôu"; "ŷn" -> "yân", "yên", "yôn". Up to
 * max shapes as vns_word_shape writes them, the i-th at out + i * cap
 * (cap bytes each), the tone into *tone. Their number; 0 when no mark
 * stands astray or it does not fit. Thread-safe. */
size_t vns_word_dropped(const char *s, size_t len, char *out, size_t cap,
                        size_t max, int *tone);

/* Fold running text s[0..len) for a quick substring test: ASCII lower
 * case, Vietnamese letters to their base letter (đ→d), combining marks
 * dropped, everything else copied. out needs len + 1 bytes; returns the
 * folded length. No tokenization, no ICU: cheap enough to screen whole
 * documents. Thread-safe. */
size_t vns_fold_text(const char *s, size_t len, char *out);

#endif
