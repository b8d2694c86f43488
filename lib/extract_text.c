/* Plain text extraction helpers: the text buffer every extractor writes
 * into, BOM and UTF-8 sniffing, and telling Markdown from plain text. */
#include "extract_formats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

/* Markdown is recognised from this much of the text. */
#define MD_SNIFF_BYTES (1024u * 1024u)

/* Length of the blank at s[0..n): ASCII white space or NO-BREAK SPACE
 * (HTML's &nbsp;, PDF converters' favourite). */
static size_t blank_len(const char *s, size_t n)
{
    switch (s[0]) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
        return 1;
    }
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

static bool at_line_start(const struct vns_textbuf *tb)
{
    return tb->len == 0 || tb->data[tb->len - 1] == '\n';
}

/* Room for n more bytes and the NUL, within the ceiling. */
static int reserve(struct vns_textbuf *tb, size_t n, struct vns_err *err)
{
    size_t cap;
    char *p;

    if (n > VNS_MAX_TEXT || tb->len > VNS_MAX_TEXT - n)
        return vns_err_set(err, VNS_ETOOBIG, "text over %u bytes",
                           VNS_MAX_TEXT);
    if (tb->len + n + 1 <= tb->cap)
        return VNS_OK;
    cap = tb->cap > 0 ? tb->cap : 4096;
    while (cap < tb->len + n + 1)
        cap *= 2;
    p = realloc(tb->data, cap);
    if (p == NULL)
        return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
    tb->data = p;
    tb->cap = cap;
    return VNS_OK;
}

int vns_textbuf_break(struct vns_textbuf *tb, struct vns_err *err)
{
    int rc;

    tb->space = false;
    if (at_line_start(tb))
        return VNS_OK;
    rc = reserve(tb, 1, err);
    if (rc != VNS_OK)
        return rc;
    tb->data[tb->len++] = '\n';
    tb->data[tb->len] = '\0';
    return VNS_OK;
}

int vns_textbuf_add(struct vns_textbuf *tb, const char *s, size_t n,
                    bool keep_breaks, struct vns_err *err)
{
    size_t i = 0, k, run;
    int rc;

    while (i < n) {
        if (keep_breaks && (s[i] == '\n' || s[i] == '\r')) {
            rc = vns_textbuf_break(tb, err);
            if (rc != VNS_OK)
                return rc;
            i++;
            continue;
        }
        k = blank_len(s + i, n - i);
        if (k > 0) {
            /* a blank at the start of a line is dropped, not delayed */
            tb->space = !at_line_start(tb);
            i += k;
            continue;
        }
        for (run = 1; i + run < n && blank_len(s + i + run, n - i - run) == 0;
             run++)
            ;
        rc = reserve(tb, run + 1, err);
        if (rc != VNS_OK)
            return rc;
        if (tb->space)
            tb->data[tb->len++] = ' ';
        tb->space = false;
        memcpy(tb->data + tb->len, s + i, run);
        tb->len += run;
        tb->data[tb->len] = '\0';
        i += run;
    }
    return VNS_OK;
}

int vns_textbuf_puts(struct vns_textbuf *tb, const char *s, struct vns_err *err)
{
    return vns_textbuf_add(tb, s, strlen(s), false, err);
}

int vns_textbuf_take(struct vns_textbuf *tb, char **out, size_t *outlen,
                     struct vns_err *err)
{
    int rc;

    rc = reserve(tb, 0, err);
    if (rc != VNS_OK)
        return rc;
    /* lines are '\n'-separated: no newline after the last one */
    while (tb->len > 0 && tb->data[tb->len - 1] == '\n')
        tb->len--;
    tb->data[tb->len] = '\0';
    *out = tb->data;
    *outlen = tb->len;
    *tb = (struct vns_textbuf){0};
    return VNS_OK;
}

void vns_textbuf_fini(struct vns_textbuf *tb)
{
    free(tb->data);
    *tb = (struct vns_textbuf){0};
}

size_t vns_text_bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

bool vns_text_mostly_utf8(const char *s, size_t len)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t good = 0, bad = 0, controls = 0;
    int32_t i = 0, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    UChar32 c;

    while (i < n) {
        int32_t start = i;

        U8_NEXT(u, i, n, c);
        if (c < 0)
            bad++;
        else if (i - start > 1)
            good++;
        else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
                  c != '\f') ||
                 c == 0x7F)
            controls++;
    }
    /* Windows-1258 or Latin-1 Vietnamese is nearly all "bad" sequences
     * (a valid pair there is an accident); binary data is full of
     * controls. Stray bytes in real UTF-8 are a small minority. */
    return bad * 4 <= good && controls * 100 <= len;
}

/* One line of the sniffed text, its leading spaces (up to 3) skipped. */
static void md_line_score(const char *p, size_t n, size_t *strong, size_t *weak)
{
    size_t i = 0, hashes = 0, stars = 0, ticks = 0;
    bool bracket = false;

    while (i < n && i < 3 && p[i] == ' ')
        i++;
    p += i;
    n -= i;
    while (hashes < n && p[hashes] == '#')
        hashes++;
    if (hashes >= 1 && hashes <= 6 && hashes < n && p[hashes] == ' ')
        (*strong)++; /* "## THÔNG BÁO" */
    else if (n >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0))
        (*strong)++; /* code fence */
    else if (n >= 3 && p[0] == '|' && strspn(p, "|:- ") == n &&
             memchr(p, '-', n) != NULL)
        (*strong)++; /* table delimiter row "|---|:--|" */
    else if (n >= 2 && (p[0] == '>' || p[0] == '*') && p[1] == ' ')
        (*weak)++; /* quote, or a '*' bullet Vietnamese typists never use */
    for (i = 0; i < n; i++) {
        if (p[i] == '[') {
            bracket = true;
        } else if (bracket && p[i] == ']' && i + 1 < n && p[i + 1] == '(') {
            (*strong)++; /* [text](url) */
            bracket = false;
        } else if (p[i] == '`') {
            ticks++;
        } else if (p[i] == '*' && i + 1 < n && p[i + 1] == '*') {
            stars++;
            i++;
        }
    }
    *weak += stars / 2 + ticks / 2;
}

bool vns_text_is_markdown(const char *s, size_t len)
{
    size_t strong = 0, weak = 0, pos = 0;

    if (len > MD_SNIFF_BYTES)
        len = MD_SNIFF_BYTES;
    while (pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - s) : len;

        md_line_score(s + pos, end - pos, &strong, &weak);
        pos = end + 1;
    }
    /* One heading, fence or link settles it; emphasis alone needs to be
     * frequent, since "**" also shows up in text pasted from Word. */
    return strong >= 1 || weak >= 6;
}
