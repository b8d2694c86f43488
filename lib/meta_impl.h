/* Shared by meta.c, meta_date.c and meta_number.c: the folded view of a
 * notice (ASCII, case kept) with its map back to the original bytes. */
#ifndef VNSEARCH_LIB_META_IMPL_H
#define VNSEARCH_LIB_META_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/* The text with diacritics removed ("Số" -> "So", "Đ" -> "D"), runs of
 * spaces, tabs and '|' as one space, '*' and '\' dropped (Markdown bold and
 * line breaks inside words: "S****óc Trăng"). Keywords are matched here;
 * values are copied from the original through pos. */
struct vns_meta_text {
    const char *orig;
    size_t olen;
    char *f;       /* n folded chars + NUL; never holds another NUL */
    uint32_t *pos; /* pos[i]: offset in orig of f[i]; pos[n] == olen */
    size_t n;
    uint32_t *line; /* start of each line in f */
    size_t nlines;
};

/* A calendar date; y == 0 when the text gave no year. */
struct vns_meta_ymd {
    int y, m, d;
};

/* Lines looked at for a header (number, date line, title). */
#define VNS_META_HEAD_LINES 60u

int vns_meta_text_init(struct vns_meta_text *t, const char *text, size_t len);
void vns_meta_text_fini(struct vns_meta_text *t);

/* f[i], or '\0' past the end: every read goes through here. */
static inline char vns_meta_at(const struct vns_meta_text *t, size_t i)
{
    return i < t->n ? t->f[i] : '\0';
}

/* Line li trimmed of spaces and Markdown '#'/'>' marks: [*b, *e). */
void vns_meta_line(const struct vns_meta_text *t, size_t li, size_t *b,
                   size_t *e);
/* The line holding folded offset i. */
size_t vns_meta_line_of(const struct vns_meta_text *t, size_t i);

bool vns_meta_isalnum(char c);
/* Does w (lower-case ASCII) start at i, case-insensitively, ending at a
 * word boundary? On a match *after is the offset past it. */
bool vns_meta_word(const struct vns_meta_text *t, size_t i, const char *w,
                   size_t *after);
/* Is i the start of a word (not preceded by a letter or digit)? */
bool vns_meta_word_start(const struct vns_meta_text *t, size_t i);
size_t vns_meta_skip_spaces(const struct vns_meta_text *t, size_t i);

/* Copy orig bytes of folded [b, e) into dst (cap bytes with the NUL),
 * without spaces when nospace, else with runs of blanks as one space and
 * without Markdown marks; cut at a UTF-8 boundary. */
void vns_meta_copy(const struct vns_meta_text *t, size_t b, size_t e,
                   bool nospace, char *dst, size_t cap);
/* "line N: <start of line>" into dst. */
void vns_meta_why(const struct vns_meta_text *t, size_t li, char *dst,
                  size_t cap);

/* Dates: "29/11/2021", "5/12", "ngày 05 tháng 12 năm 2021", "tháng12".
 * Parses at i (which must be a digit); wrap lets "tháng 8" / "năm 2022"
 * continue on the next two lines, as in two-column headers. On success
 * *end is past the date. */
bool vns_meta_parse_date(const struct vns_meta_text *t, size_t i, bool wrap,
                         struct vns_meta_ymd *out, size_t *end);
bool vns_meta_valid_date(int y, int m, int d);
int vns_meta_days_in_month(int y, int m);
void vns_meta_iso(struct vns_meta_ymd d, char out[11]);
/* Parse "2021-11-29"; false unless well formed. */
bool vns_meta_from_iso(const char *s, struct vns_meta_ymd *out);

/* Number of a notice or a cited document at i ("412/TB-UBND",
 * "135 - TB/TU", "01763/QĐ-UBND"); wrap lets a number cut after its
 * hyphen continue on the next line. *end is past it. */
bool vns_meta_parse_number(const struct vns_meta_text *t, size_t i, bool wrap,
                           char *dst, size_t cap, size_t *end);

/* Do folded [b, e) hold capitals and no small letter? */
bool vns_meta_caps(const struct vns_meta_text *t, size_t b, size_t e);
/* The line of the title ("THÔNG BÁO", "KẾ HOẠCH") or of "Kính gửi:" /
 * "Căn cứ": what is above it is the header (issuer, number, place). */
size_t vns_meta_head_end(const struct vns_meta_text *t);

/* The fields, each in its own file. Each reads t and writes only its own
 * fields of m. */
void vns_meta_find_number(const struct vns_meta_text *t, struct vns_meta *m);
int vns_meta_find_refs(const struct vns_meta_text *t, struct vns_meta *m);
void vns_meta_find_date(const struct vns_meta_text *t, struct vns_meta *m);
int vns_meta_find_deadlines(const struct vns_meta_text *t, struct vns_meta *m);
/* The "Nơi nhận:" list (lib/meta_recipients.c). */
int vns_meta_find_recipients(const struct vns_meta_text *t, struct vns_meta *m);
/* The annexed letter: "(Kèm theo Công văn số 923/KSBT-KSDB ngày
 * 14/11/2023 của ...)" gives type, number and date when the head did not. */
void vns_meta_find_annex(const struct vns_meta_text *t, struct vns_meta *m);

/* Type name of the type word at i ("Quyết định"), *after past it; or
 * NULL. */
const char *vns_meta_type_at(const struct vns_meta_text *t, size_t i,
                             size_t *after);
/* Type name for a code of a number ("TB" -> "Thông báo"), or NULL. */
const char *vns_meta_type_of_code(const char *code, size_t len);

#endif
