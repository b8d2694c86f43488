/* What Tesseract prints made into text like any other: split tone marks
 * joined, NFC, stamp and signature noise dropped, paragraphs rejoined. */
#include "ocr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "strbuf.h"
#include "vnsearch/analyze.h"

/* Append to b, which stays under VNS_MAX_TEXT bytes. */
static int put(struct vns_strbuf *b, const char *s, size_t n,
               struct vns_err *err)
{
    if (b->len + n + 1 > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_ETOOBIG, "OCR text over %u bytes",
                           VNS_MAX_TEXT);
    vns_strbuf_put(b, s, n);
    return b->failed ? vns_err_set(err, VNS_ENOMEM, "OCR: out of memory")
                     : VNS_OK;
}

/* U+0300-U+036F, in UTF-8 CC 80 .. CD AF: the marks Tesseract sometimes
 * prints as a word of their own ("Quye ̂ t đi ̣ nh"). */
static bool mark_at(const char *s, size_t i, size_t len)
{
    unsigned char a, b;

    /* i may be len: blanks that end the page */
    if (i + 1 >= len)
        return false;
    a = (unsigned char)s[i];
    b = (unsigned char)s[i + 1];
    return (a == 0xCC && b >= 0x80 && b <= 0xBF) ||
           (a == 0xCD && b >= 0x80 && b <= 0xAF);
}

/* Drop the blanks between a letter and a combining mark that follows
 * them on the same line: NFC then composes "ê" + "̣" into "ệ". */
static int join_marks(const char *s, size_t len, struct vns_strbuf *out,
                      struct vns_err *err)
{
    size_t i = 0;
    int rc = VNS_OK;

    while (i < len && rc == VNS_OK) {
        if ((s[i] == ' ' || s[i] == '\t') && out->len > 0 &&
            out->p[out->len - 1] != ' ' && out->p[out->len - 1] != '\n') {
            size_t j = i;

            while (j < len && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (mark_at(s, j, len)) {
                i = j; /* the blanks go */
                continue;
            }
        }
        rc = put(out, s + i, 1, err);
        i++;
    }
    return rc;
}

/* True when a line is stamp, signature or scanner noise rather than
 * words: no letters or digits, more symbols than letters and digits, no
 * two letters in a row and no digit ("| i ."), or mostly one-character
 * tokens ("ặ / Ý . Z ~"). */
static bool noise(const char *s, size_t n)
{
    size_t alnum = 0, other = 0, tokens = 0, singles = 0, run = 0, best = 0;
    size_t tok_cps = 0;
    bool digit = false, first_digit = false;
    int32_t i = 0, len = (int32_t)n;
    UChar32 c;

    while (i < len) {
        U8_NEXT((const uint8_t *)s, i, len, c);
        if (c == ' ' || c == '\t') {
            tokens += tok_cps > 0;
            singles += tok_cps == 1 && !first_digit;
            tok_cps = 0;
            run = 0;
            continue;
        }
        if (tok_cps++ == 0)
            first_digit = c >= 0 && u_isdigit(c);
        if (c >= 0 && u_isalpha(c)) {
            alnum++;
            run++;
            best = run > best ? run : best;
        } else if (c >= 0 && u_isdigit(c)) {
            alnum++;
            digit = true;
            run = 0;
        } else {
            other++;
            run = 0;
        }
    }
    tokens += tok_cps > 0;
    singles += tok_cps == 1 && !first_digit;
    if (alnum == 0 || alnum < other)
        return true;
    if (best < 2 && !digit)
        return true;
    return tokens >= 3 && singles * 10 > tokens * 6;
}

/* The number line's label as Tesseract reads "Số" in small or JPEG
 * scans: its length when s starts with one of them, then maybe ':' and
 * spaces, then a digit; *skip: up to the digit. 0 when not. */
static size_t number_label(const char *s, size_t n, size_t *skip)
{
    static const char *const labels[] = {"Số", "S6", "So", "Sô",
                                         "Só", "Sö", "S0", "Sổ"};
    for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
        size_t l = strlen(labels[k]), i;
        if (n <= l || memcmp(s, labels[k], l) != 0)
            continue;
        for (i = l; i < n && s[i] == ' '; i++)
            ;
        if (i < n && s[i] == ':')
            i++;
        for (; i < n && s[i] == ' '; i++)
            ;
        if (i < n && s[i] >= '0' && s[i] <= '9' && i > l) {
            *skip = i;
            return l;
        }
    }
    return 0;
}

/* Does the token s[0..n) belong to a document number ("579", "-",
 * "TB/TU", "0398/TB", "HĐND")? */
static bool number_token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC4 && i + 1 < n && (unsigned char)s[i + 1] == 0x90) {
            i++; /* Đ */
            continue;
        }
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '/' ||
              c == '-' || c == '.'))
            return false;
    }
    return n > 0;
}

/* The codes of document numbers spelt with Đ that scans lose it in. */
static const char *code_with_dd(const char *s, size_t n)
{
    static const char *const codes[][2] = {{"QD", "QĐ"},
                                           {"CD", "CĐ"},
                                           {"HDND", "HĐND"},
                                           {"BCD", "BCĐ"},
                                           {"DU", "ĐU"}};
    for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
        if (strlen(codes[k][0]) == n && memcmp(s, codes[k][0], n) == 0)
            return codes[k][1];
    return NULL;
}

/* A line of n bytes: "S6 579 - TB/DU Pleiku, ..." becomes "Số: 579 -
 * TB/ĐU Pleiku, ...", the label read right and the number's codes with
 * their Đ; any other line as it is. */
static int put_line(struct vns_strbuf *out, const char *s, size_t n,
                    struct vns_err *err)
{
    size_t skip = 0, i, end;
    int rc;

    if (number_label(s, n, &skip) == 0)
        return put(out, s, n, err);
    rc = put(out, "Số: ", strlen("Số: "), err);
    /* the number: the tokens from the digit on that look like one, up to
     * the one with the codes ("579 - TB/TU") */
    for (end = skip; end < n && rc == VNS_OK;) {
        size_t t = end;
        bool codes;
        while (t < n && s[t] != ' ')
            t++;
        if (!number_token(s + end, t - end))
            break;
        codes = memchr(s + end, '/', t - end) != NULL;
        for (i = end; i < t && rc == VNS_OK;) { /* its parts, by / and - */
            size_t p = i;
            const char *dd;
            while (p < t && s[p] != '/' && s[p] != '-')
                p++;
            dd = code_with_dd(s + i, p - i);
            rc = dd != NULL && codes ? put(out, dd, strlen(dd), err)
                                     : put(out, s + i, p - i, err);
            if (rc == VNS_OK && p < t)
                rc = put(out, s + p, 1, err);
            i = p + 1;
        }
        end = t;
        if (codes)
            break;
        for (; rc == VNS_OK && end < n && s[end] == ' '; end++)
            rc = put(out, " ", 1, err);
    }
    return rc == VNS_OK ? put(out, s + end, n - end, err) : rc;
}

/* Keep the lines of an NFC page that are words, each ended by '\n'. */
static int keep_lines(const char *s, size_t len, struct vns_strbuf *out,
                      struct vns_err *err)
{
    int rc = VNS_OK;

    for (size_t i = 0; i < len && rc == VNS_OK;) {
        size_t n = strcspn(s + i, "\n"), a = i, z = i + n;

        if (i + n > len)
            n = len - i, z = len;
        while (a < z && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t'))
            z--;
        if (z == a) /* blank: a paragraph break for the repair */
            rc = put(out, "\n", 1, err);
        else if (!noise(s + a, z - a)) {
            rc = put_line(out, s + a, z - a, err);
            if (rc == VNS_OK)
                rc = put(out, "\n", 1, err);
        }
        i += n + 1;
    }
    return rc;
}

int vns_ocr_repair(const char *in, size_t len, char **out, size_t *outlen,
                   struct vns_err *err)
{
    struct vns_strbuf joined = {0}, kept = {0};
    char *clean = NULL;
    size_t clen = 0;
    int rc = VNS_OK;

    for (size_t i = 0; i < len && rc == VNS_OK;) {
        const char *ff = memchr(in + i, '\f', len - i);
        size_t n = ff != NULL ? (size_t)(ff - (in + i)) : len - i;

        joined.len = 0;
        rc = join_marks(in + i, n, &joined, err);
        if (rc == VNS_OK && joined.len > 0)
            rc = vns_text_clean(joined.p, joined.len, &clean, &clen, NULL, err);
        if (rc == VNS_OK && joined.len > 0)
            rc = keep_lines(clean, clen, &kept, err);
        /* a page ends a paragraph */
        if (rc == VNS_OK)
            rc = put(&kept, "\n", 1, err);
        free(clean);
        clean = NULL;
        i += n + 1;
    }
    if (rc == VNS_OK)
        rc = vns_paragraphs_repair(kept.p != NULL ? kept.p : "", kept.len, out,
                                   outlen, err);
    free(joined.p);
    free(kept.p);
    return rc;
}
