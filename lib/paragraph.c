/* vns_paragraphs_repair: undo the hard wrapping of PDF-extracted text so
 * each paragraph is one line. Cleaning the bytes is normalize.c's job. */
#include "vnsearch/analyze.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Lines are measured in code points; longer ones share the last bucket. */
#define WIDTH_BUCKETS 132
/* Past this width a line is a paragraph, not a wrapped line. */
#define WRAP_MAX 130
#define WRAP_MIN 30

struct line {
    const char *p; /* trimmed */
    size_t n;
    size_t cps;    /* code points */
    bool indented; /* had leading white space before trimming */
};

/* The shape of a line, computed once per line. */
struct shape {
    size_t cps;
    bool heading;  /* all capitals: "THÔNG BÁO", "TL. CHỦ TỊCH" */
    bool sep;      /* "-----" */
    bool terminal; /* ends a sentence: '.', ':', '!', '?' */
    bool open;     /* ends inside a sentence: letter, digit, ',', '-' */
    bool glue;     /* ends "letter-": "16/CT-" + "TTg" */
    bool list;     /* starts "- ", "1.", "2.1.", "a)", "II." ... */
    bool upper;    /* starts with a capital letter */
    bool indented;
    bool pageno; /* only a page number: "12", "- 12 -" */
};

struct stats {
    size_t lines;                /* non-blank */
    size_t width[WIDTH_BUCKETS]; /* lines per width */
    size_t open[WIDTH_BUCKETS];  /* ... of which end inside a sentence */
    size_t gaps, gaps_one;       /* gaps between lines; with one blank */
    size_t indented;
};

/* Trimmable: ASCII blanks and NO-BREAK SPACE, common in PDF output. */
static size_t space_at(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v')
        return 1;
    if (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

static size_t space_before(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\f' ||
        p[n - 1] == '\v')
        return 1;
    if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 &&
        (unsigned char)p[n - 1] == 0xA0)
        return 2;
    return 0;
}

/* Next line of s[*pos..len) ending at \n, \r\n or \r, trimmed. */
static bool next_line(const char *s, size_t len, size_t *pos, struct line *ln)
{
    size_t start = *pos, end = start, k;

    if (start >= len)
        return false;
    while (end < len && s[end] != '\n' && s[end] != '\r')
        end++;
    *pos = end;
    if (end < len)
        *pos += (s[end] == '\r' && end + 1 < len && s[end + 1] == '\n') ? 2 : 1;
    ln->p = s + start;
    ln->n = end - start;
    ln->indented = false;
    while ((k = space_at(ln->p, ln->n)) > 0) {
        ln->p += k;
        ln->n -= k;
        ln->indented = true;
    }
    while ((k = space_before(ln->p, ln->n)) > 0)
        ln->n -= k;
    ln->cps = 0;
    for (size_t i = 0; i < ln->n; i++)
        ln->cps += ((unsigned char)ln->p[i] & 0xC0) != 0x80;
    return true;
}

/* Code point before byte end of p; -1 when none or broken. */
static UChar32 last_cp(const char *p, size_t *end)
{
    int32_t i = (int32_t)*end;
    UChar32 c;

    if (i <= 0)
        return -1;
    U8_PREV((const uint8_t *)p, 0, i, c);
    *end = (size_t)i;
    return c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "- ", "+ ", "* ", "• ", "1.", "2.1.", "3)", "a)", "đ)", "I.", "IV." */
static bool starts_list(const char *p, size_t n)
{
    size_t i = 0, parts = 0;

    if (n >= 2 && (p[0] == '-' || p[0] == '+' || p[0] == '*') && p[1] == ' ')
        return true;
    if (n >= 3 && memcmp(p, "\xE2\x80\xA2", 3) == 0) /* U+2022 bullet */
        return true;
    if (n >= 3 && memcmp(p, "\xE2\x80\x93", 3) == 0 && n > 3 && p[3] == ' ')
        return true; /* en dash used as a bullet */
    /* numbered: up to two digits per level, so "2021." does not count */
    while (i < n && is_digit(p[i])) {
        size_t d = 0;

        while (i < n && is_digit(p[i]) && d < 3) {
            i++;
            d++;
        }
        if (d > 2 || i >= n || (p[i] != '.' && p[i] != ')'))
            break;
        i++;
        parts++;
        if (i == n || p[i] == ' ')
            return true;
    }
    if (parts > 0)
        return false;
    /* lettered: "a)", "b)", "đ)" */
    if (n >= 2 && p[0] >= 'a' && p[0] <= 'z' && p[1] == ')')
        return true;
    if (n >= 3 && memcmp(p, "\xC4\x91)", 3) == 0)
        return true;
    /* Roman: "I.", "II.", "IV." then a space */
    for (i = 0; i < n && i < 6 && strchr("IVXLC", p[i]) != NULL; i++)
        ;
    return i > 0 && i + 1 < n && p[i] == '.' && p[i + 1] == ' ';
}

/* "12", "- 12 -": a bare page number left by the PDF extractor. */
static bool is_page_number(const char *p, size_t n)
{
    size_t i = 0, digits = 0;

    if (n >= 2 && p[0] == '-' && p[1] == ' ' && p[n - 1] == '-') {
        p += 2;
        n -= 3;
        while (n > 0 && p[n - 1] == ' ')
            n--;
    }
    for (; i < n; i++) {
        if (!is_digit(p[i]))
            return false;
        digits++;
    }
    return digits >= 1 && digits <= 3;
}

static bool is_separator(const char *p, size_t n)
{
    size_t marks = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] == '-' || p[i] == '_' || p[i] == '=' || p[i] == '*')
            marks++;
        else if (p[i] != ' ')
            return false;
    }
    return marks >= 3;
}

static void shape_of(const struct line *ln, struct shape *sh)
{
    int32_t i = 0, n = (int32_t)ln->n;
    size_t letters = 0, lower = 0, end = ln->n;
    UChar32 c, first = -1, last, before;

    memset(sh, 0, sizeof(*sh));
    sh->cps = ln->cps;
    sh->indented = ln->indented;
    while (i < n) {
        U8_NEXT((const uint8_t *)ln->p, i, n, c);
        if (c < 0 || !u_isalpha(c))
            continue;
        if (first < 0)
            first = c;
        letters++;
        lower += u_islower(c) != 0;
    }
    sh->heading = letters >= 2 && lower == 0;
    i = 0;
    if (n > 0) {
        U8_NEXT((const uint8_t *)ln->p, i, n, c);
        sh->upper = c >= 0 && c == first && u_isupper(c);
    }
    sh->sep = is_separator(ln->p, ln->n);
    sh->list = starts_list(ln->p, ln->n);
    sh->pageno = is_page_number(ln->p, ln->n);
    last = last_cp(ln->p, &end);
    before = last_cp(ln->p, &end);
    /* "TP." and "TS." are abbreviations, not the end of a sentence */
    sh->terminal = (last == '.' && !(before >= 0 && u_isupper(before))) ||
                   last == ':' || last == '!' || last == '?';
    sh->open = last >= 0 && (u_isalnum(last) || last == ',' || last == '-');
    sh->glue = last == '-' && before >= 0 && u_isalnum(before);
}

static void collect(const char *s, size_t len, struct stats *st)
{
    struct line ln;
    struct shape sh;
    size_t pos = 0, blanks = 0;
    bool seen = false;

    memset(st, 0, sizeof(*st));
    while (next_line(s, len, &pos, &ln)) {
        size_t b;

        if (ln.n == 0) {
            blanks++;
            continue;
        }
        shape_of(&ln, &sh);
        b = sh.cps < WIDTH_BUCKETS ? sh.cps : WIDTH_BUCKETS - 1;
        st->lines++;
        st->width[b]++;
        st->open[b] += sh.open;
        st->indented += sh.indented;
        if (seen) {
            st->gaps++;
            st->gaps_one += blanks == 1;
        }
        seen = true;
        blanks = 0;
    }
}

/* The wrap width (95th percentile of line widths), or 0 when the text
 * does not look hard-wrapped: wrapped text has most of its lines in a
 * narrow band under the width, and those lines end mid-sentence. */
static size_t wrap_width(const struct stats *st)
{
    size_t want = st->lines - st->lines / 20, sum = 0, w = 0;
    size_t band = 0, open = 0;

    if (st->lines == 0)
        return 0;
    for (w = 0; w < WIDTH_BUCKETS; w++) {
        sum += st->width[w];
        if (sum >= want)
            break;
    }
    if (w < WRAP_MIN || w > WRAP_MAX)
        return 0;
    for (size_t b = w * 3 / 4; b <= WRAP_MAX; b++) {
        band += st->width[b];
        open += st->open[b];
    }
    if (band < 3 || band * 5 < st->lines * 2 || open * 3 < band)
        return 0;
    return w;
}

struct out {
    char *p;
    size_t n;
};

static void put(struct out *o, const char *p, size_t n)
{
    memcpy(o->p + o->n, p, n);
    o->n += n;
}

/* Should the line shaped cur end its paragraph before the line next? */
static bool breaks(const struct shape *cur, const struct shape *next,
                   size_t width, bool rare_indent)
{
    if (next->list || cur->heading || next->heading || cur->sep || next->sep)
        return true;
    /* the last line of a paragraph stops well short of the margin */
    if (cur->cps * 5 < width * 4)
        return true;
    /* "...trên địa bàn tỉnh." + "Cùng tham dự...": a sentence rarely ends
     * right at the margin in the middle of a paragraph, so even a full
     * line ending one is taken as the paragraph's last */
    if (cur->terminal && next->upper)
        return true;
    /* a first-line indent, when only a few lines have one */
    return rare_indent && next->indented && next->upper;
}

static void repair(const char *s, size_t len, const struct stats *st,
                   size_t width, struct out *o)
{
    struct line ln;
    struct shape cur = {0}, sh;
    size_t pos = 0, blanks = 0, page_blanks = 0;
    bool open = false, after_page = false;
    /* "blank line after every line" style: one blank is soft */
    bool spaced = st->gaps >= 4 && st->gaps_one * 5 >= st->gaps * 3;
    bool rare_indent = st->indented * 5 < st->lines;

    while (next_line(s, len, &pos, &ln)) {
        if (ln.n == 0) {
            blanks++;
            continue;
        }
        shape_of(&ln, &sh);
        if (sh.pageno) {
            /* the paragraph may go on across the page break */
            page_blanks =
                after_page && page_blanks < blanks ? page_blanks : blanks;
            after_page = true;
            blanks = 0;
            continue;
        }
        if (after_page && page_blanks < blanks)
            blanks = page_blanks;
        after_page = false;
        if (!open) {
            put(o, ln.p, ln.n);
        } else if (blanks >= (spaced ? 2u : 1u) ||
                   breaks(&cur, &sh, width, rare_indent)) {
            put(o, "\n", 1);
            put(o, ln.p, ln.n);
        } else {
            if (!cur.glue)
                put(o, " ", 1);
            put(o, ln.p, ln.n);
        }
        open = true;
        cur = sh;
        blanks = 0;
    }
}

/* Not wrapped: every non-blank line is a paragraph already. */
static void pass_through(const char *s, size_t len, struct out *o)
{
    struct line ln;
    size_t pos = 0;

    while (next_line(s, len, &pos, &ln)) {
        if (ln.n == 0)
            continue;
        if (o->n > 0)
            put(o, "\n", 1);
        put(o, ln.p, ln.n);
    }
}

int vns_paragraphs_repair(const char *in, size_t len, char **out,
                          size_t *outlen, struct vns_err *err)
{
    struct stats st;
    struct out o = {0};
    size_t width;
    int rc = VNS_OK;

    if ((in == NULL && len > 0) || out == NULL || outlen == NULL)
        return vns_err_set(err, VNS_EINVAL, "paragraphs: no buffer");
    if (len > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_ETOOBIG, "text is %zu bytes, over %u", len,
                           VNS_MAX_TEXT);
    /* joining only ever replaces line breaks, so the output never grows */
    o.p = malloc(len + 1);
    if (o.p == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "paragraphs: out of memory");
        goto out;
    }
    collect(in, len, &st);
    width = wrap_width(&st);
    if (width > 0)
        repair(in, len, &st, width, &o);
    else
        pass_through(in, len, &o);
    o.p[o.n] = '\0';
    *out = o.p;
    *outlen = o.n;
    o.p = NULL;
out:
    free(o.p);
    return rc;
}
