/* vns_text_clean: any bytes to storable text (valid UTF-8, no controls,
 * \n line ends, NFC). Tokenizing and folding live in analyze.c, fold.c. */
#include "vnsearch/analyze.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* U+FFFD REPLACEMENT CHARACTER in UTF-8 */
static const char replacement[3] = {'\xEF', '\xBF', '\xBD'};

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when it is
 * ill-formed; *bad then gets the length of its maximal subpart (at least 1),
 * which is replaced by one U+FFFD as Unicode 3.9 recommends ("Best Practice
 * for U+FFFD Substitution", also what ICU and browsers do). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t need, i;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates U+D800..U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        /* continuation byte, C0/C1 (always overlong), F5..FF */
        *bad = 1;
        return 0;
    }
    for (i = 1; i < need; i++) {
        unsigned char min = i == 1 ? lo : 0x80;
        unsigned char max = i == 1 ? hi : 0xBF;

        if (i >= n || s[i] < min || s[i] > max) {
            *bad = i; /* the valid prefix is one maximal subpart */
            return 0;
        }
    }
    return need;
}

/* Code point of a well-formed sequence of length n. */
static uint32_t utf8_decode(const unsigned char *s, size_t n)
{
    switch (n) {
    case 1:
        return s[0];
    case 2:
        return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    case 3:
        return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
               (s[2] & 0x3F);
    default:
        return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
               (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    }
}

/* Controls nobody types on purpose: C0 but \t and \n, DEL, C1. A \r never
 * reaches here (it becomes \n). C1 shows up in mis-decoded Windows-1252. */
static bool is_dropped_control(uint32_t cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n';
    return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* First pass: valid UTF-8, no controls, \n only. dst has room for 3 bytes
 * per input byte (each bad byte may become a 3-byte U+FFFD). Returns the
 * output length; *ascii tells whether NFC can be skipped outright. */
static size_t scrub(const unsigned char *src, size_t len, char *dst,
                    size_t *nbad, bool *ascii)
{
    size_t i = 0, o = 0, bad, n;

    *nbad = 0;
    *ascii = true;
    while (i < len) {
        unsigned char c = src[i];

        if (c >= 0x20 && c < 0x7F) {
            dst[o++] = (char)c;
            i++;
            continue;
        }
        if (c == '\r') {
            /* \r\n and a lone \r (old Mac files) both end one line */
            dst[o++] = '\n';
            i += (i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        n = utf8_seq(src + i, len - i, &bad);
        if (n == 0) {
            memcpy(dst + o, replacement, sizeof(replacement));
            o += sizeof(replacement);
            (*nbad)++;
            *ascii = false;
            i += bad;
            continue;
        }
        if (!is_dropped_control(utf8_decode(src + i, n))) {
            memcpy(dst + o, src + i, n);
            o += n;
            if (n > 1)
                *ascii = false;
        }
        i += n;
    }
    return o;
}

/* NFC of valid UTF-8 s[0..n). Sets *out to a new malloc'd buffer, or
 * leaves it NULL when the text already is NFC. */
static int nfc(const char *s, size_t n, char **out, size_t *outlen,
               struct vns_err *err)
{
    const UNormalizer2 *norm;
    UErrorCode uerr = U_ZERO_ERROR;
    UChar *u16 = NULL, *done = NULL;
    char *utf8 = NULL;
    int32_t ulen = 0, dlen = 0, olen = 0;
    size_t cap;
    int rc = VNS_OK;

    norm = unorm2_getNFCInstance(&uerr);
    if (U_FAILURE(uerr))
        goto out;
    /* UTF-16 never has more units than UTF-8 has bytes */
    u16 = malloc((n + 1) * sizeof(*u16));
    if (u16 == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "NFC: out of memory");
        goto out;
    }
    u_strFromUTF8(u16, (int32_t)n + 1, &ulen, s, (int32_t)n, &uerr);
    if (U_FAILURE(uerr))
        goto out;
    if (unorm2_quickCheck(norm, u16, ulen, &uerr) == UNORM_YES)
        goto out; /* the common case: text typed on a Vietnamese keyboard */
    /* NFC may grow a little (singleton decompositions): retry once at the
     * size ICU asks for. */
    cap = (size_t)ulen + (size_t)ulen / 4 + 16;
    for (int attempt = 0; attempt < 2; attempt++) {
        free(done);
        done = malloc(cap * sizeof(*done));
        if (done == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "NFC: out of memory");
            goto out;
        }
        uerr = U_ZERO_ERROR;
        dlen = unorm2_normalize(norm, u16, ulen, done, (int32_t)cap, &uerr);
        if (uerr != U_BUFFER_OVERFLOW_ERROR)
            break;
        cap = (size_t)dlen + 1;
    }
    if (U_FAILURE(uerr))
        goto out;
    utf8 = malloc((size_t)dlen * 3 + 1);
    if (utf8 == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "NFC: out of memory");
        goto out;
    }
    u_strToUTF8(utf8, dlen * 3 + 1, &olen, done, dlen, &uerr);
    if (U_FAILURE(uerr))
        goto out;
    *out = utf8;
    *outlen = (size_t)olen;
    utf8 = NULL;
out:
    if (rc == VNS_OK && U_FAILURE(uerr))
        rc = vns_err_set(err, VNS_EINTERNAL, "NFC: %s", u_errorName(uerr));
    free(utf8);
    free(done);
    free(u16);
    return rc;
}

int vns_text_clean(const char *in, size_t len, char **out, size_t *outlen,
                   size_t *nbad, struct vns_err *err)
{
    char *buf = NULL, *norm = NULL, *shrunk;
    size_t n, bad = 0, nlen = 0;
    bool ascii = true;
    int rc = VNS_OK;

    if ((in == NULL && len > 0) || out == NULL || outlen == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_text_clean: no buffer");
    if (len > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_ETOOBIG, "text is %zu bytes, over %u", len,
                           VNS_MAX_TEXT);
    buf = malloc(len * 3 + 1);
    if (buf == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "text clean: out of memory");
        goto out;
    }
    n = len > 0 ? scrub((const unsigned char *)in, len, buf, &bad, &ascii) : 0;
    if (len > 0 && !ascii) {
        rc = nfc(buf, n, &norm, &nlen, err);
        if (rc != VNS_OK)
            goto out;
        if (norm != NULL) {
            free(buf);
            buf = norm;
            n = nlen;
        }
    }
    if (n > VNS_MAX_TEXT) {
        rc = vns_err_set(err, VNS_ETOOBIG, "text is %zu bytes, over %u", n,
                         VNS_MAX_TEXT);
        goto out;
    }
    buf[n] = '\0';
    /* give back the room reserved for U+FFFD growth */
    shrunk = realloc(buf, n + 1);
    if (shrunk != NULL)
        buf = shrunk;
    *out = buf;
    *outlen = n;
    if (nbad != NULL)
        *nbad = bad;
    buf = NULL;
out:
    free(buf);
    return rc;
}
