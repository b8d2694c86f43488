/* Vietnamese text analysis: normalization, case and diacritic folding,
 * tone-mark placement, syllable tokenization and paragraph repair.
 * The same analysis runs at index and at query time. */
#ifndef VNSEARCH_ANALYZE_H
#define VNSEARCH_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest term kept, in bytes with the NUL; longer tokens are not indexed
 * (Xapian's own limit is 245 bytes). */
#define VNS_TERM_MAX 128

/* Token flags. */
#define VNS_TOK_ALPHA 0x1    /* holds a letter */
#define VNS_TOK_DIGIT 0x2    /* holds a digit */
#define VNS_TOK_COMPOUND 0x4 /* overlay of several parts kept whole */
#define VNS_TOK_MARKED 0x8   /* exact form has diacritics (exact != folded) */

/* One token of analyzed text.
 * Parts take positions 0, 1, 2...; a compound ("15/12/2021", "2771/QĐ-UBND",
 * "SARS-CoV-2") is reported after its parts, with VNS_TOK_COMPOUND, the
 * position of its first part and the span of all of them. */
struct vns_token {
    size_t off; /* byte offset in the analyzed text */
    size_t len; /* byte length in the analyzed text */
    uint32_t pos;
    unsigned flags;
    /* NFC, lower case, tone mark on its canonical vowel ("hòa", "thủy") */
    char exact[VNS_TERM_MAX];
    /* exact without any diacritic, đ→d ("hoa", "thuy") */
    char folded[VNS_TERM_MAX];
};

/* Called once per token; return nonzero to stop the analysis early. */
typedef int (*vns_token_fn)(const struct vns_token *tok, void *ctx);

/* Holds ICU's word-break iterator: one per thread. */
struct vns_analyzer;

/* Returns VNS_OK, or VNS_EINTERNAL when ICU cannot start (err says why).
 * Free with vns_analyzer_free. */
VNS_API int vns_analyzer_new(struct vns_analyzer **out, struct vns_err *err);
VNS_API void vns_analyzer_free(struct vns_analyzer *an);

/* Tokenize text (UTF-8, any normalization form) and call fn per token.
 * Invalid UTF-8 never stops it: the bad bytes separate tokens.
 * Returns VNS_OK, fn's nonzero value when it stopped early, or VNS_E*. */
VNS_API int vns_analyze(struct vns_analyzer *an, const char *text, size_t len,
                        vns_token_fn fn, void *ctx, struct vns_err *err);

/* Whole-string helpers for names and filters, no tokenization: each code
 * point mapped, everything else copied.
 * vns_fold:  "Quảng Trị" -> "quang tri", "ĐỒNG NAI" -> "dong nai".
 * vns_exact: "Tỉnh Uỷ" -> "tỉnh ủy" (NFC, lower case, canonical tones).
 * Return VNS_OK, or VNS_ETOOBIG when out (outsz bytes with the NUL) is
 * short; out is always NUL-terminated when outsz > 0. */
VNS_API int vns_fold(const char *in, char *out, size_t outsz);
VNS_API int vns_exact(const char *in, char *out, size_t outsz);

/* Make text safe to store: invalid UTF-8 replaced by U+FFFD, NUL and other
 * control characters but \t and \n dropped, \r\n made \n, then NFC.
 * On VNS_OK *out is malloc'd (free it), NUL-terminated, *outlen its length
 * and *nbad (may be NULL) the number of invalid sequences replaced. */
VNS_API int vns_text_clean(const char *in, size_t len, char **out,
                           size_t *outlen, size_t *nbad, struct vns_err *err);

/* Paragraph repair for hard-wrapped text (PDF extraction): joins wrapped
 * lines into paragraphs, drops the blank line after every line and bare
 * page numbers, rejoins words split after a hyphen; keeps real paragraph
 * breaks, list items ("- ", "+ ", "1.", "2.1.", "a)") and headings.
 * Output has one paragraph per line. On VNS_OK *out is malloc'd (free it). */
VNS_API int vns_paragraphs_repair(const char *in, size_t len, char **out,
                                  size_t *outlen, struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
