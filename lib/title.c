/* Title guessing for Vietnamese official notices from extracted text.
 * Extraction and paragraph repair happen before, in extract*.c. */
#include "title.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The document type opens the title within this many lines; before it
 * come the issuer, "Số 135-TB/TU", the national motto, place and date. */
#define TYPE_LINES 40
/* A line longer than this (code points) is body text, not a title. */
#define LONG_LINE 250
/* Lines after the document type that can still belong to the title. */
#define TITLE_LINES 6
/* Without a document type: at most this many heading lines. */
#define PLAIN_LINES 3
#define PLAIN_LINE_MAX 160

/* NFC, capitals: what opens the title block. */
static const char *const doc_types[] = {
    "THÔNG BÁO", "CHỈ THỊ",    "QUYẾT ĐỊNH", "KẾ HOẠCH", "CÔNG ĐIỆN",
    "HƯỚNG DẪN", "NGHỊ QUYẾT", "BÁO CÁO",    "TỜ TRÌNH", "CÔNG VĂN",
    "KẾT LUẬN",  "NGHỊ ĐỊNH",  "THÔNG TƯ",   "QUY ĐỊNH", "CHƯƠNG TRÌNH",
    "ĐỀ ÁN",     "THÔNG CÁO",  "GIẤY MỜI",   "QUY CHẾ",  "LỜI KÊU GỌI",
};

/* The body starts: "Ngày 29/11/2021, Thường trực Tỉnh ủy họp...". */
static const char *const body_starts[] = {
    "Ngày",       "Căn cứ",      "Kính gửi",     "Hôm nay",
    "Thực hiện",  "Sáng ngày",   "Chiều ngày",   "Vào ngày",
    "Trên cơ sở", "Xét đề nghị", "Theo đề nghị", "Nơi nhận",
};

/* Letterhead lines that come before any title. */
static const char *const letterheads[] = {
    "CỘNG HÒA XÃ HỘI",
    "CỘNG HOÀ XÃ HỘI",
    "ĐẢNG CỘNG SẢN",
    "Độc lập",
    "Số:",
    "Số ",
};

struct line {
    const char *p;
    size_t n;
};

struct title {
    char buf[VNS_TITLE_MAX + 1];
    size_t len;
    bool full;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool next_line(const char *s, size_t len, size_t *pos, struct line *ln)
{
    const char *nl;
    size_t end;

    if (*pos >= len)
        return false;
    nl = memchr(s + *pos, '\n', len - *pos);
    end = nl != NULL ? (size_t)(nl - s) : len;
    ln->p = s + *pos;
    ln->n = end - *pos;
    *pos = end + 1;
    while (ln->n > 0 && (is_blank(ln->p[0]) || ln->p[0] == '\r')) {
        ln->p++;
        ln->n--;
    }
    while (ln->n > 0 &&
           (is_blank(ln->p[ln->n - 1]) || ln->p[ln->n - 1] == '\r'))
        ln->n--;
    return true;
}

static size_t code_points(const struct line *ln)
{
    size_t cps = 0;

    for (size_t i = 0; i < ln->n; i++)
        cps += ((unsigned char)ln->p[i] & 0xC0) != 0x80;
    return cps;
}

/* Does the line start with word, followed by something not a letter? */
static bool starts_word(const struct line *ln, const char *word)
{
    size_t n = strlen(word);
    int32_t i = (int32_t)n;
    UChar32 c;

    if (ln->n < n || memcmp(ln->p, word, n) != 0)
        return false;
    if (ln->n == n)
        return true;
    U8_NEXT((const uint8_t *)ln->p, i, (int32_t)ln->n, c);
    return c < 0 || !u_isalpha(c);
}

static bool starts_any(const struct line *ln, const char *const *words,
                       size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (starts_word(ln, words[i]))
            return true;
    return false;
}

static bool has_letter(const struct line *ln)
{
    int32_t i = 0;
    UChar32 c;

    while (i < (int32_t)ln->n) {
        U8_NEXT((const uint8_t *)ln->p, i, (int32_t)ln->n, c);
        if (c >= 0 && u_isalpha(c))
            return true;
    }
    return false;
}

/* "KẾ HOẠCH TIÊM CHỦNG": letters, none of them lower case. */
static bool is_caps(const struct line *ln)
{
    int32_t i = 0;
    size_t letters = 0;
    UChar32 c;

    while (i < (int32_t)ln->n) {
        U8_NEXT((const uint8_t *)ln->p, i, (int32_t)ln->n, c);
        if (c < 0 || !u_isalpha(c))
            continue;
        if (u_islower(c))
            return false;
        letters++;
    }
    return letters >= 2;
}

/* Title lines do not end sentences; the body's first paragraph does. */
static bool ends_sentence(const struct line *ln)
{
    return ln->n > 0 && strchr(".:;", ln->p[ln->n - 1]) != NULL;
}

static bool is_separator(const struct line *ln)
{
    size_t marks = 0;

    for (size_t i = 0; i < ln->n; i++) {
        if (strchr("-_=*", ln->p[i]) != NULL)
            marks++;
        else if (!is_blank(ln->p[i]))
            return false;
    }
    return marks >= 3;
}

/* "1. ...", "a) ...": the body's numbered points, never the title. */
static bool is_numbered(const struct line *ln)
{
    size_t i = 0;

    while (i < ln->n && ln->p[i] >= '0' && ln->p[i] <= '9')
        i++;
    return i > 0 && i < 3 && i + 1 < ln->n &&
           (ln->p[i] == '.' || ln->p[i] == ')') && ln->p[i + 1] == ' ';
}

/* "Phan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021" (or "tháng7": a
 * space lost in conversion) */
static bool is_place_date(const struct line *ln)
{
    static const char *const parts[] = {"ngày ", " tháng", " năm"};
    const char *p = ln->p, *end = ln->p + ln->n;

    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t k = strlen(parts[i]);
        const char *hit = NULL;

        for (const char *q = p; q + k <= end; q++)
            if (memcmp(q, parts[i], k) == 0) {
                hit = q;
                break;
            }
        if (hit == NULL)
            return false;
        p = hit + k;
    }
    return true;
}

/* Append the words of s[0..n) with single spaces; cut at the last word
 * that fits, or inside a first word too long to fit at all. */
static void title_add(struct title *t, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && !t->full) {
        size_t w, need;

        while (i < n && is_blank(s[i]))
            i++;
        for (w = 0; i + w < n && !is_blank(s[i + w]); w++)
            ;
        if (w == 0)
            break;
        need = (t->len > 0) + w;
        if (t->len + need > VNS_TITLE_MAX) {
            t->full = true;
            if (t->len > 0)
                break;
            /* one huge "word": keep what fits, whole code points only */
            w = VNS_TITLE_MAX;
            while (w > 0 && ((unsigned char)s[i + w] & 0xC0) == 0x80)
                w--;
        }
        if (t->len > 0)
            t->buf[t->len++] = ' ';
        memcpy(t->buf + t->len, s + i, w);
        t->len += w;
        i += w;
    }
    t->buf[t->len] = '\0';
}

/* Where the document type line is, or -1. */
static long find_type_line(const char *text, size_t len)
{
    struct line ln;
    size_t pos = 0;
    long i;

    for (i = 0; i < TYPE_LINES && next_line(text, len, &pos, &ln); i++)
        if (starts_any(&ln, doc_types,
                       sizeof(doc_types) / sizeof(doc_types[0])) &&
            code_points(&ln) <= LONG_LINE)
            return i;
    return -1;
}

/* The document type line and the short lines after it, up to the first
 * separator, empty line, sentence or the body's opening words. */
/* Whether ln ends a title block: an empty line, a separator, a numbered
 * point, the body's opening words, a sentence, a paragraph. */
static bool ends_block(const struct line *ln)
{
    return ln->n == 0 || is_separator(ln) || is_numbered(ln) ||
           starts_any(ln, body_starts,
                      sizeof(body_starts) / sizeof(body_starts[0])) ||
           ends_sentence(ln) || code_points(ln) > LONG_LINE;
}

static void from_type_line(const char *text, size_t len, long at,
                           struct title *t)
{
    struct line ln;
    size_t pos = 0;
    long i;

    for (i = 0; i < at; i++)
        next_line(text, len, &pos, &ln);
    for (i = 0; i <= TITLE_LINES && !t->full && next_line(text, len, &pos, &ln);
         i++) {
        if (i > 0 && ends_block(&ln))
            break;
        title_add(t, ln.p, ln.n);
    }
}

/* Where "V/v" opens a subject in the line: at its start, or after the
 * number beside it ("Số: 12/UBND-VX   V/v triển khai ..."); ln->n when
 * nowhere. */
static size_t subject_at(const struct line *ln)
{
    for (size_t i = 0; i + 3 <= ln->n; i++)
        if ((i == 0 || is_blank(ln->p[i - 1])) &&
            (ln->p[i] == 'V' || ln->p[i] == 'v') && ln->p[i + 1] == '/' &&
            (ln->p[i + 2] == 'v' || ln->p[i + 2] == 'V') &&
            (i + 3 == ln->n || is_blank(ln->p[i + 3])) &&
            (i == 0 || starts_word(ln, "Số")))
            return i;
    return ln->n;
}

/* Whether p[0..n) is a capitalized word: an upper-case letter, then
 * lower-case letters, apostrophes and hyphens only ("Long", "Hồ",
 * "M’gar"; not "SARS-CoV-2"). */
static bool capitalized(const char *p, size_t n)
{
    int32_t i = 0;
    UChar32 c;
    bool first = true;

    while (i < (int32_t)n) {
        U8_NEXT((const uint8_t *)p, i, (int32_t)n, c);
        if (c < 0 ||
            (first ? !u_isupper(c)
                   : !u_islower(c) && c != '\'' && c != '-' && c != 0x2019))
            return false;
        first = false;
    }
    return !first;
}

/* Where a place and date set beside the line's text on the same line
 * begin ("V/v chuyển đổi số Hải Phòng, ngày 10 tháng 9 năm 2021", the
 * comma may be missing: at "Hải"), going back at most four capitalized
 * words from "ngày"; ln->n when none is there. */
static size_t place_date_at(const struct line *ln)
{
    static const char day[] = " ngày ";
    size_t k = sizeof(day) - 1;

    for (size_t i = 0; i + k < ln->n; i++) {
        struct line rest = {ln->p + i + 1, ln->n - i - 1};
        size_t at = i, words = 0;
        if (memcmp(ln->p + i, day, k) != 0 || ln->p[i + k] < '0' ||
            ln->p[i + k] > '9' || !is_place_date(&rest))
            continue;
        if (at > 0 && ln->p[at - 1] == ',')
            at--;
        while (words < 4 && at > 0) {
            size_t b = at;
            while (b > 0 && !is_blank(ln->p[b - 1]))
                b--;
            if (!capitalized(ln->p + b, at - b))
                break;
            words++;
            at = b;
            while (at > 0 && is_blank(ln->p[at - 1]))
                at--;
        }
        return words > 0 ? at : ln->n;
    }
    return ln->n;
}

/* A letter's subject: the "V/v ..." line in its head and the short lines
 * that carry it on, up to the salutation, the motto, the place and date,
 * a separator or an empty line. */
static void from_subject(const char *text, size_t len, struct title *t)
{
    struct line ln;
    size_t pos = 0, at = 0;
    bool found = false;
    long i;

    for (i = 0; i < TYPE_LINES && !found && next_line(text, len, &pos, &ln);
         i++)
        found = (at = subject_at(&ln)) < ln.n;
    if (!found)
        return;
    ln.p += at;
    ln.n -= at;
    title_add(t, ln.p, place_date_at(&ln));
    for (i = 0; i < TITLE_LINES && !t->full && next_line(text, len, &pos, &ln);
         i++) {
        if (ends_block(&ln) || is_place_date(&ln) ||
            starts_any(&ln, letterheads,
                       sizeof(letterheads) / sizeof(letterheads[0])) ||
            is_caps(&ln) || code_points(&ln) > PLAIN_LINE_MAX)
            break;
        title_add(t, ln.p, ln.n);
    }
}

/* "Cổng thông tin điện tử tỉnh X > Văn bản chỉ đạo > Công văn": a web
 * page's trail, copied with its text, not its title. */
static bool is_breadcrumb(const struct line *ln)
{
    size_t marks = 0;

    for (size_t i = 0; i + 3 <= ln->n; i++)
        marks += memcmp(ln->p + i, " > ", 3) == 0;
    return marks >= 2;
}

/* "- Ủy ban nhân dân các huyện;": one of a letter's addressees. */
static bool is_addressee(const struct line *ln)
{
    return ln->n > 1 && strchr("-+*", ln->p[0]) != NULL &&
           (ln->p[1] == ' ' || ln->p[1] == '\t');
}

/* Where the line's first mark of marks followed by a space or the end
 * stands, or ln->n: ";:" ends a clause ("Thực hiện Thông báo số
 * 84-TB/TU ... về cách ly F0, F1; để triển khai ..."), ".!?" a sentence. */
static size_t first_stop(const struct line *ln, const char *marks)
{
    for (size_t i = 0; i < ln->n; i++)
        if (strchr(marks, ln->p[i]) != NULL &&
            (i + 1 == ln->n || is_blank(ln->p[i + 1])))
            return i;
    return ln->n;
}

/* A paragraph too long to be a title (a background article's opening):
 * its first sentence when that is short enough, else its words up to
 * PLAIN_LINE_MAX code points and "…". */
static void from_paragraph(const struct line *ln, struct title *t)
{
    struct line part = {ln->p, first_stop(ln, ".!?")};
    size_t cps = 0, cut = 0;

    if (part.n > 0 && part.n < ln->n && code_points(&part) <= PLAIN_LINE_MAX) {
        title_add(t, part.p, part.n);
        return;
    }
    for (size_t i = 0; i < ln->n && cps <= PLAIN_LINE_MAX; i++) {
        if (is_blank(ln->p[i]))
            cut = i;
        cps += ((unsigned char)ln->p[i] & 0xC0) != 0x80;
    }
    if (cut == 0)
        return;
    title_add(t, ln->p, cut);
    if (t->len > 0 && t->len + 3 <= VNS_TITLE_MAX) {
        memcpy(t->buf + t->len, "\xE2\x80\xA6", 4); /* "…" and the NUL */
        t->len += 3;
    }
}

/* No document type: the first line that is not letterhead nor a letter's
 * salutation ("Kính gửi:" and the addressees under it), and the lines
 * after it while they continue a heading in capitals. When that line
 * opens the body ("Thực hiện ...", "Ngày ..."), its first clause alone:
 * a letter with no subject line is named by what it answers; when it is
 * a long paragraph, its opening (from_paragraph). */
static void from_first_lines(const char *text, size_t len, struct title *t)
{
    struct line ln;
    size_t pos = 0, taken = 0;
    bool caps = false, greeting = false;

    while (taken < PLAIN_LINES && !t->full && next_line(text, len, &pos, &ln)) {
        if (taken == 0) {
            if (starts_word(&ln, "Kính gửi")) {
                greeting = true;
                continue;
            }
            if (greeting && is_addressee(&ln))
                continue;
            greeting = false;
            if (ln.n == 0 || is_separator(&ln) || !has_letter(&ln) ||
                starts_any(&ln, letterheads,
                           sizeof(letterheads) / sizeof(letterheads[0])) ||
                is_place_date(&ln) || is_breadcrumb(&ln))
                continue;
            /* a Markdown heading's marks: "# Công văn về ..." */
            while (ln.n > 0 && ln.p[0] == '#') {
                ln.p++;
                ln.n--;
            }
            while (ln.n > 0 && is_blank(ln.p[0])) {
                ln.p++;
                ln.n--;
            }
            if (ln.n == 0)
                continue;
            if (starts_any(&ln, body_starts,
                           sizeof(body_starts) / sizeof(body_starts[0]))) {
                struct line clause = {ln.p, first_stop(&ln, ";:")};
                if (code_points(&clause) <= LONG_LINE)
                    title_add(t, clause.p, clause.n);
                break;
            }
            if (code_points(&ln) > LONG_LINE) {
                from_paragraph(&ln, t);
                break;
            }
        } else if (!caps || !is_caps(&ln) ||
                   code_points(&ln) > PLAIN_LINE_MAX) {
            break;
        }
        caps = is_caps(&ln);
        title_add(t, ln.p, ln.n);
        taken++;
    }
}

int vns_title_guess(const char *text, size_t len, const char *fallback,
                    char **out, struct vns_err *err)
{
    struct title t = {.len = 0};
    char *dup;
    long at;

    if (text == NULL)
        len = 0;
    at = find_type_line(text, len);
    if (at >= 0)
        from_type_line(text, len, at, &t);
    if (t.len == 0 && fallback != NULL)
        title_add(&t, fallback, strlen(fallback));
    if (t.len == 0)
        from_subject(text, len, &t);
    if (t.len == 0)
        from_first_lines(text, len, &t);
    if (t.len == 0) {
        *out = NULL;
        return VNS_OK;
    }
    dup = strdup(t.buf);
    if (dup == NULL)
        return vns_err_set(err, VNS_ENOMEM, "title: out of memory");
    *out = dup;
    return VNS_OK;
}
