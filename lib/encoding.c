/* Vietnamese text encodings to UTF-8: UTF-16 and VNI by hand, Windows-1258,
 * VISCII and TCVN3 through iconv, and telling the 8-bit ones apart. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "vnsearch/analyze.h"

/* The 8-bit encodings are told apart on this much of the text. */
#define DETECT_BYTES (64u * 1024u)
/* Fewer Vietnamese syllables than this is too little to go on. */
#define MIN_SYLLABLES 3
/* The winner's share of syllables among its non-ASCII words, at least,
 * and how far ahead of the runner-up it must be. */
#define MIN_SHARE 0.80
#define MIN_MARGIN 0.15
/* No Vietnamese syllable is longer than "nghiêng". */
#define MAX_SYLLABLE 8

/* U+FFFD REPLACEMENT CHARACTER */
#define REPLACEMENT 0xFFFD

/* A decoded buffer sized once for the worst case (4 bytes per input byte),
 * so appends never check room. */
struct obuf {
    char *p;
    size_t len;
};

static void put_cp(struct obuf *ob, UChar32 c)
{
    U8_APPEND_UNSAFE(ob->p, ob->len, c);
}

static void put_str(struct obuf *ob, const char *s)
{
    size_t n = strlen(s);

    memcpy(ob->p + ob->len, s, n);
    ob->len += n;
}

/* UTF-16 -------------------------------------------------------------- */

static unsigned unit16(const unsigned char *s, bool be)
{
    return be ? (unsigned)s[0] << 8 | s[1] : (unsigned)s[1] << 8 | s[0];
}

static void decode_utf16(const unsigned char *s, size_t len, bool be,
                         struct obuf *ob, size_t *bad)
{
    size_t i = 0;

    if (len >= 2 && unit16(s, be) == 0xFEFF)
        i = 2; /* the byte order mark is no text */
    for (; i + 1 < len; i += 2) {
        unsigned u = unit16(s + i, be), lo;

        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            lo = unit16(s + i + 2, be);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                put_cp(ob, (UChar32)(0x10000 + ((u - 0xD800) << 10) +
                                     (lo - 0xDC00)));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            put_cp(ob, REPLACEMENT); /* lone surrogate */
            (*bad)++;
            continue;
        }
        put_cp(ob, (UChar32)u);
    }
    if (i < len) {
        put_cp(ob, REPLACEMENT); /* odd length: half a code unit */
        (*bad)++;
    }
}

/* VNI ----------------------------------------------------------------- */

/* VNI-Windows is Windows-1252 with a font that draws some letters and
 * marks differently. A mark byte follows its base letter ("Vieät" is
 * "Việt", "Thoâng baùo" is "Thông báo"); it becomes combining marks and
 * NFC composes them with the letter, which is reading the pair greedily.
 * Lower-case byte, upper-case byte (0x20 less), what it stands for. */
static const struct {
    unsigned char lower;
    const char *utf8;
} vni_table[] = {
    /* letters of one byte: ơ ư đ, and i and ỵ with their tones */
    {0xF4, "\u01A1"}, /* ô: ơ */
    {0xF6, "\u01B0"}, /* ö: ư */
    {0xF1, "\u0111"}, /* ñ: đ */
    {0xED, "\u00ED"}, /* í: í */
    {0xEC, "\u00EC"}, /* ì: ì */
    {0xE6, "\u1EC9"}, /* æ: ỉ */
    {0xF3, "\u0129"}, /* ó: ĩ */
    {0xF2, "\u1ECB"}, /* ò: ị */
    {0xEE, "\u1EF5"}, /* î: ỵ */
    /* tones: sắc, huyền, hỏi, ngã, nặng */
    {0xF9, "\u0301"}, /* ù */
    {0xF8, "\u0300"}, /* ø */
    {0xFB, "\u0309"}, /* û */
    {0xF5, "\u0303"}, /* õ */
    {0xEF, "\u0323"}, /* ï */
    /* circumflex (â ê ô), alone and with each tone */
    {0xE2, "\u0302"},       /* â */
    {0xE1, "\u0302\u0301"}, /* á */
    {0xE0, "\u0302\u0300"}, /* à */
    {0xE5, "\u0302\u0309"}, /* å */
    {0xE3, "\u0302\u0303"}, /* ã */
    {0xE4, "\u0302\u0323"}, /* ä */
    /* breve (ă), alone and with each tone */
    {0xEA, "\u0306"},       /* ê */
    {0xE9, "\u0306\u0301"}, /* é */
    {0xE8, "\u0306\u0300"}, /* è */
    {0xFA, "\u0306\u0309"}, /* ú */
    {0xFC, "\u0306\u0303"}, /* ü */
    {0xEB, "\u0306\u0323"}, /* ë */
};

/* Windows-1252 0x80-0x9F (0 where undefined); 0xA0-0xFF are Latin-1. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* What the byte c stands for in VNI: a letter, marks, or NULL. Upper-case
 * marks mean the same as lower-case ones; upper-case letters are the
 * upper case of the lower-case ones, which the caller handles. */
static const char *vni_lookup(unsigned char c, bool *upper)
{
    *upper = c >= 0xC0 && c < 0xE0;
    for (size_t i = 0; i < sizeof(vni_table) / sizeof(vni_table[0]); i++)
        if (vni_table[i].lower == (*upper ? c + 0x20 : c))
            return vni_table[i].utf8;
    return NULL;
}

static void decode_vni(const unsigned char *s, size_t len, struct obuf *ob,
                       size_t *bad)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        const char *m;
        bool upper;
        UChar32 cp;
        int32_t k = 0;

        if (c < 0x80) {
            put_cp(ob, c);
            continue;
        }
        m = vni_lookup(c, &upper);
        if (m == NULL) {
            cp = c >= 0xA0 ? c : cp1252_c1[c - 0x80];
            if (cp == 0) {
                cp = REPLACEMENT;
                (*bad)++;
            }
            put_cp(ob, cp);
            continue;
        }
        U8_NEXT_UNSAFE(m, k, cp);
        if (upper && u_getCombiningClass(cp) == 0) {
            put_cp(ob, u_toupper(cp)); /* Ô is Ơ, Ñ is Đ */
            continue;
        }
        put_str(ob, m);
    }
}

/* iconv ----------------------------------------------------------------- */

static const char *iconv_name(enum vns_encoding e)
{
    switch (e) {
    case VNS_ENC_CP1258:
        return "CP1258";
    case VNS_ENC_VISCII:
        return "VISCII";
    default:
        /* glibc's TCVN5712-1 is VN1, of which VN3 is the part 0xA1-0xFF */
        return "TCVN5712-1";
    }
}

static int decode_iconv(enum vns_encoding e, const char *data, size_t len,
                        size_t cap, struct obuf *ob, size_t *bad,
                        struct vns_err *err)
{
    iconv_t cd = iconv_open("UTF-8", iconv_name(e));
    char *in = (char *)data, *o;
    size_t inleft = len, oleft;
    int rc = VNS_OK;

    if (cd == (iconv_t)-1)
        return vns_err_set(err, VNS_EINTERNAL, "iconv: no converter from %s",
                           iconv_name(e));
    while (inleft > 0) {
        o = ob->p + ob->len;
        oleft = cap - ob->len;
        if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1) {
            ob->len = (size_t)(o - ob->p);
            continue;
        }
        ob->len = (size_t)(o - ob->p);
        if (errno != EILSEQ && errno != EINVAL) {
            rc = vns_err_set(err, VNS_EINTERNAL, "iconv %s: %s", iconv_name(e),
                             strerror(errno));
            goto out;
        }
        /* a byte Windows-1258 leaves undefined (0x81, 0x8A...) */
        put_cp(ob, REPLACEMENT);
        (*bad)++;
        in++;
        inleft--;
    }
    /* Windows-1258 holds back a base letter, waiting for a tone mark */
    o = ob->p + ob->len;
    oleft = cap - ob->len;
    if (iconv(cd, NULL, NULL, &o, &oleft) == (size_t)-1)
        rc = vns_err_set(err, VNS_EINTERNAL, "iconv %s: %s", iconv_name(e),
                         strerror(errno));
    ob->len = (size_t)(o - ob->p);
out:
    iconv_close(cd);
    return rc;
}

/* Names and labels ------------------------------------------------------ */

const char *vns_encoding_name(enum vns_encoding e)
{
    static const char *const names[] = {
        [VNS_ENC_UTF16LE] = "utf-16le", [VNS_ENC_UTF16BE] = "utf-16be",
        [VNS_ENC_CP1258] = "cp1258",    [VNS_ENC_VISCII] = "viscii",
        [VNS_ENC_TCVN3] = "tcvn3",      [VNS_ENC_VNI] = "vni",
    };

    return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

bool vns_encoding_from_label(const char *label, enum vns_encoding *out)
{
    static const struct {
        const char *label;
        enum vns_encoding e;
    } labels[] = {
        {"utf-16le", VNS_ENC_UTF16LE},      {"utf16le", VNS_ENC_UTF16LE},
        {"utf-16be", VNS_ENC_UTF16BE},      {"utf16be", VNS_ENC_UTF16BE},
        {"windows-1258", VNS_ENC_CP1258},   {"cp1258", VNS_ENC_CP1258},
        {"x-cp1258", VNS_ENC_CP1258},       {"viscii", VNS_ENC_VISCII},
        {"csviscii", VNS_ENC_VISCII},       {"tcvn", VNS_ENC_TCVN3},
        {"tcvn3", VNS_ENC_TCVN3},           {"tcvn-5712", VNS_ENC_TCVN3},
        {"tcvn5712-1", VNS_ENC_TCVN3},      {"tcvn5712-1:1993", VNS_ENC_TCVN3},
        {"x-viet-tcvn5712", VNS_ENC_TCVN3}, {"vni", VNS_ENC_VNI},
        {"vni-windows", VNS_ENC_VNI},       {"x-viet-vni", VNS_ENC_VNI},
    };

    if (label == NULL)
        return false;
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcasecmp(label, labels[i].label) == 0) {
            *out = labels[i].e;
            return true;
        }
    }
    return false;
}

/* Decoding -------------------------------------------------------------- */

static void restore_capitals(char *s, size_t len);

int vns_encoding_decode(enum vns_encoding e, const char *data, size_t len,
                        char **out, size_t *outlen, size_t *nbad,
                        struct vns_err *err)
{
    const unsigned char *s = (const unsigned char *)data;
    struct obuf ob = {0};
    size_t bad = 0, cap;
    char *shrunk;
    int rc = VNS_OK;

    if ((data == NULL && len > 0) || out == NULL || outlen == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_encoding_decode: no buffer");
    /* every input byte (every two of UTF-16) is at least one output byte */
    if (len / (e == VNS_ENC_UTF16LE || e == VNS_ENC_UTF16BE ? 2 : 1) >
        VNS_MAX_TEXT)
        return vns_err_set(err, VNS_ETOOBIG, "text over %u bytes",
                           VNS_MAX_TEXT);
    cap = len * 4 + 16; /* VNI: a mark byte is two combining marks */
    ob.p = malloc(cap + 1);
    if (ob.p == NULL)
        return vns_err_set(err, VNS_ENOMEM, "decode: out of memory");
    switch (e) {
    case VNS_ENC_UTF16LE:
    case VNS_ENC_UTF16BE:
        decode_utf16(s, len, e == VNS_ENC_UTF16BE, &ob, &bad);
        break;
    case VNS_ENC_VNI:
        decode_vni(s, len, &ob, &bad);
        break;
    default:
        rc = decode_iconv(e, data, len, cap, &ob, &bad, err);
        if (rc != VNS_OK)
            goto out;
        if (e == VNS_ENC_TCVN3)
            restore_capitals(ob.p, ob.len);
    }
    if (ob.len > VNS_MAX_TEXT) {
        rc = vns_err_set(err, VNS_ETOOBIG, "text over %u bytes", VNS_MAX_TEXT);
        goto out;
    }
    ob.p[ob.len] = '\0';
    shrunk = realloc(ob.p, ob.len + 1);
    if (shrunk != NULL)
        ob.p = shrunk;
    *out = ob.p;
    *outlen = ob.len;
    if (nbad != NULL)
        *nbad = bad;
    ob.p = NULL;
out:
    free(ob.p);
    return rc;
}

/* Vietnamese syllables -------------------------------------------------- */

/* The twelve vowels with their five tones: sắc, huyền, hỏi, ngã, nặng. */
static const struct {
    const char *base;
    UChar32 toned[5];
} vowels[] = {
    {"a", {0x00E1, 0x00E0, 0x1EA3, 0x00E3, 0x1EA1}},
    {"\u0103", {0x1EAF, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EB7}}, /* ă */
    {"\u00E2", {0x1EA5, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EAD}}, /* â */
    {"e", {0x00E9, 0x00E8, 0x1EBB, 0x1EBD, 0x1EB9}},
    {"\u00EA", {0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7}}, /* ê */
    {"i", {0x00ED, 0x00EC, 0x1EC9, 0x0129, 0x1ECB}},
    {"o", {0x00F3, 0x00F2, 0x1ECF, 0x00F5, 0x1ECD}},
    {"\u00F4", {0x1ED1, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED9}}, /* ô */
    {"\u01A1", {0x1EDB, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EE3}}, /* ơ */
    {"u", {0x00FA, 0x00F9, 0x1EE7, 0x0169, 0x1EE5}},
    {"\u01B0", {0x1EE9, 0x1EEB, 0x1EED, 0x1EEF, 0x1EF1}}, /* ư */
    {"y", {0x00FD, 0x1EF3, 0x1EF7, 0x1EF9, 0x1EF5}},
};
enum {
    TONE_NONE,
    TONE_SAC,
    TONE_HUYEN,
    TONE_HOI,
    TONE_NGA,
    TONE_NANG
};

static const char *const initials[] = {
    "",   "b",  "c", "ch", "d",  "\u0111", "g",   "gh", "gi", "h",
    "k",  "kh", "l", "m",  "n",  "ng",     "ngh", "nh", "p",  "ph",
    "qu", "r",  "s", "t",  "th", "tr",     "v",   "x"};
static const char *const finals[] = {"",   "c",  "ch", "m", "n",
                                     "ng", "nh", "p",  "t"};
/* Vowel groups that may take a final consonant ("tiếng", "thuyết")... */
static const char *const open_nuclei[] = {
    "a",       "\u0103",  "\u00E2",  "e",
    "\u00EA",  "i",       "o",       "\u00F4",
    "\u01A1",  "u",       "\u01B0",  "y",
    "i\u00EA", "y\u00EA", "u\u00F4", "\u01B0\u01A1",
    "oa",      "o\u0103", "oe",      "oo",
    "u\u00E2", "u\u00EA", "uy",      "uy\u00EA"};
/* ...and those that end the syllable ("hai", "người", "khuya"). */
static const char *const closed_nuclei[] = {"ai",
                                            "ao",
                                            "au",
                                            "ay",
                                            "\u00E2u",
                                            "\u00E2y",
                                            "eo",
                                            "\u00EAu",
                                            "ia",
                                            "iu",
                                            "oi",
                                            "\u00F4i",
                                            "\u01A1i",
                                            "ua",
                                            "ui",
                                            "\u01B0a",
                                            "\u01B0i",
                                            "\u01B0u",
                                            "u\u01A1",
                                            "i\u00EAu",
                                            "y\u00EAu",
                                            "oai",
                                            "oay",
                                            "oao",
                                            "oeo",
                                            "u\u00E2y",
                                            "u\u00F4i",
                                            "\u01B0\u01A1i",
                                            "\u01B0\u01A1u",
                                            "uya",
                                            "uyu"};

static bool in_list(const char *s, size_t n, const char *const *list,
                    size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* rime = nucleus + final; c, ch, p, t end only sắc and nặng syllables */
static bool is_rime(const char *s, size_t n, int tone)
{
    for (size_t f = 0; f < sizeof(finals) / sizeof(finals[0]); f++) {
        size_t k = strlen(finals[f]);
        bool stop = k > 0 && strchr("cpt", finals[f][0]) != NULL;

        if (k >= n || memcmp(s + n - k, finals[f], k) != 0)
            continue;
        if (stop && tone != TONE_SAC && tone != TONE_NANG)
            continue;
        if (in_list(s, n - k, open_nuclei,
                    sizeof(open_nuclei) / sizeof(open_nuclei[0])))
            return true;
        if (k == 0 && in_list(s, n, closed_nuclei,
                              sizeof(closed_nuclei) / sizeof(closed_nuclei[0])))
            return true;
    }
    return false;
}

/* Is w[0..n) (NFC code points) one Vietnamese syllable, in any case? */
static bool is_syllable(const UChar32 *w, size_t n)
{
    char skel[MAX_SYLLABLE * 2 + 1]; /* toneless, lower case, UTF-8 */
    size_t k = 0;
    int tone = TONE_NONE;

    if (n == 0 || n > MAX_SYLLABLE)
        return false;
    for (size_t i = 0; i < n; i++) {
        UChar32 c = u_tolower(w[i]);
        const char *base = NULL;

        if (c <= 0)
            return false;
        if (c < 0x80) {
            if (strchr("aeiouybcdghklmnpqrstvx", (int)c) == NULL)
                return false; /* f, j, w, z */
            skel[k++] = (char)c;
            continue;
        }
        if (c == 0x0111) {
            base = "\u0111"; /* đ */
        } else {
            for (size_t v = 0;
                 v < sizeof(vowels) / sizeof(vowels[0]) && base == NULL; v++) {
                int32_t j = 0;
                UChar32 plain;

                U8_NEXT_UNSAFE(vowels[v].base, j, plain);
                if (c == plain)
                    base = vowels[v].base;
                for (int t = 0; t < 5 && base == NULL; t++) {
                    if (c != vowels[v].toned[t])
                        continue;
                    if (tone != TONE_NONE)
                        return false; /* two tones */
                    tone = t + 1;
                    base = vowels[v].base;
                }
            }
        }
        if (base == NULL)
            return false;
        memcpy(skel + k, base, strlen(base));
        k += strlen(base);
    }
    for (size_t i = 0; i < sizeof(initials) / sizeof(initials[0]); i++) {
        size_t m = strlen(initials[i]);

        if (m < k && memcmp(skel, initials[i], m) == 0 &&
            is_rime(skel + m, k - m, tone))
            return true;
    }
    return false;
}

/* Letters of a word: ASCII letters and anything non-ASCII but the
 * blanks and punctuation of U+00A0 and U+2000-U+206F ("“", "–"), so that
 * a misread byte ("£", "¸") spoils the word it sits in. */
static bool is_word_char(UChar32 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return c != 0xA0 && !(c >= 0x2000 && c <= 0x206F);
}

struct score {
    size_t good, bad; /* words with a non-ASCII letter: syllables or not */
};

static double share(const struct score *sc)
{
    return sc->good + sc->bad > 0
               ? (double)sc->good / (double)(sc->good + sc->bad)
               : 0.0;
}

static void score_word(const UChar32 *w, size_t n, bool foreign,
                       struct score *sc)
{
    if (!foreign)
        return; /* ASCII words read the same in every encoding */
    if (is_syllable(w, n))
        sc->good++;
    else
        sc->bad++;
}

static void score_text(const char *s, size_t len, struct score *sc)
{
    UChar32 w[MAX_SYLLABLE + 1], c;
    size_t n = 0;
    bool foreign = false;
    int32_t i = 0, end = len > INT32_MAX ? INT32_MAX : (int32_t)len;

    while (i < end) {
        U8_NEXT((const uint8_t *)s, i, end, c);
        if (c < 0 || is_word_char(c)) {
            if (n <= MAX_SYLLABLE)
                w[n++] = c; /* one past the limit marks it too long */
            foreign = foreign || c < 0 || c >= 0x80;
            continue;
        }
        score_word(w, n, foreign, sc);
        n = 0;
        foreign = false;
    }
    score_word(w, n, foreign, sc);
}

/* TCVN3 capitals -------------------------------------------------------- */

/* TCVN3 has no capital letters with a tone: .VnTime typists wrote the
 * small one, so "CHỦ TỊCH ỦY BAN" reads "CHủ TịCH ủY BAN". A small toned
 * vowel is made a capital again inside a word of capitals ("TịCH", "ủY"),
 * and everywhere on a line of capitals without a true small letter ("Sở
 * Y Tế THáI NGUYÊN"); "Sở Y tế" and "Số: 12/SYT" stay as they are. */
enum letter_kind {
    L_NONE,  /* not a letter */
    L_UPPER, /* a capital */
    L_TONED, /* a small toned vowel: a capital in disguise, perhaps */
    L_LOWER  /* a small letter TCVN3 also has as a capital */
};

static enum letter_kind letter_kind(UChar32 c)
{
    if (!u_isalpha(c))
        return L_NONE;
    if (u_isupper(c))
        return L_UPPER;
    for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++)
        for (int t = 0; t < 5; t++)
            if (c == vowels[v].toned[t])
                return L_TONED;
    return L_LOWER;
}

struct word_caps {
    size_t upper, toned, lower;
    bool upper_after_toned, foreign;
};

/* Scan the word at s[*i..end) (a letter starts it), leaving *i past it. */
static void scan_word(const char *s, int32_t *i, int32_t end,
                      struct word_caps *w)
{
    UChar32 c;
    enum letter_kind k;

    *w = (struct word_caps){0};
    while (*i < end) {
        int32_t at = *i;

        U8_NEXT((const uint8_t *)s, *i, end, c);
        k = c >= 0 ? letter_kind(c) : L_NONE;
        if (k == L_NONE) {
            *i = at;
            break;
        }
        w->foreign = w->foreign || c >= 0x80;
        if (k == L_UPPER) {
            w->upper++;
            w->upper_after_toned = w->upper_after_toned || w->toned > 0;
        } else if (k == L_TONED) {
            w->toned++;
        } else {
            w->lower++;
        }
    }
}

static bool word_is_caps(const struct word_caps *w)
{
    return w->lower == 0 && w->toned > 0 &&
           (w->upper >= 2 || w->upper_after_toned);
}

/* Capitalize the small toned vowels of s[from..to). Their capitals have
 * as many UTF-8 bytes, so it is done in place. */
static void upcase_toned(char *s, int32_t from, int32_t to)
{
    int32_t i = from;
    UChar32 c;

    while (i < to) {
        int32_t at = i;

        U8_NEXT((const uint8_t *)s, i, to, c);
        if (c >= 0 && letter_kind(c) == L_TONED) {
            int32_t o = at;

            U8_APPEND_UNSAFE((uint8_t *)s, o, u_toupper(c));
        }
    }
}

static void restore_line(char *s, int32_t start, int32_t end)
{
    struct word_caps w;
    bool small = false, caps = false;
    size_t capitalized = 0;
    int32_t i = start, from;
    UChar32 c;

    while (i < end) {
        int32_t at = i;

        U8_NEXT((const uint8_t *)s, i, end, c);
        if (c < 0 || letter_kind(c) == L_NONE)
            continue;
        i = at;
        scan_word(s, &i, end, &w);
        small = small || w.lower > 0;
        capitalized += w.upper > 0;
        /* "NGUYÊN", "THáI"; not a code like "SGDĐT-VP" */
        caps = caps || (w.foreign && w.lower == 0 && w.upper >= 2 &&
                        (at == start || !strchr("/-", s[at - 1])) &&
                        (i == end || !strchr("/-", s[i])));
    }
    /* "Sở Y Tế" has no small letter to say it is not "SỞ Y TẾ" */
    if ((caps || capitalized >= 3) && !small) {
        upcase_toned(s, start, end);
        return;
    }
    for (i = start; i < end;) {
        from = i;
        U8_NEXT((const uint8_t *)s, i, end, c);
        if (c < 0 || letter_kind(c) == L_NONE)
            continue;
        i = from;
        scan_word(s, &i, end, &w);
        if (word_is_caps(&w))
            upcase_toned(s, from, i);
    }
}

/* Lines, and the columns of a two-column header ("Sở GIáO DụC Và ĐàO
 * TạO      Độc lập - Tự do"): a run of two blanks ends a column. */
static void restore_capitals(char *s, size_t len)
{
    int32_t n = len > INT32_MAX ? INT32_MAX : (int32_t)len, start = 0;

    for (int32_t i = 0; i <= n; i++) {
        bool gap = i + 1 < n && strchr(" \t", s[i]) != NULL &&
                   strchr(" \t", s[i + 1]) != NULL;

        if (i == n || s[i] == '\n' || gap) {
            restore_line(s, start, i);
            start = i + 1;
        }
    }
}

/* Detection ------------------------------------------------------------- */

/* C0 controls that text holds (tab, line ends, form feed) and VISCII's
 * six letters; any other (a NUL above all) means binary data. */
static bool text_controls_only(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 &&
            (s[i] == 0 ||
             strchr("\t\n\v\f\r\x02\x05\x06\x14\x19\x1E", s[i]) == NULL))
            return false;
    return true;
}

static const enum vns_encoding candidates[] = {VNS_ENC_CP1258, VNS_ENC_VISCII,
                                               VNS_ENC_TCVN3, VNS_ENC_VNI};
#define NCAND (sizeof(candidates) / sizeof(candidates[0]))

/* Decode the sample in each candidate, NFC it and score its words. */
static int score_all(const char *data, size_t n, struct score *sc, char **texts,
                     size_t *lens, struct vns_err *err)
{
    for (size_t i = 0; i < NCAND; i++) {
        char *raw = NULL;
        size_t rlen = 0;
        int rc;

        rc =
            vns_encoding_decode(candidates[i], data, n, &raw, &rlen, NULL, err);
        if (rc == VNS_OK)
            rc = vns_text_clean(raw, rlen, &texts[i], &lens[i], NULL, err);
        free(raw);
        if (rc != VNS_OK)
            return rc;
        score_text(texts[i], lens[i], &sc[i]);
    }
    return VNS_OK;
}

/* Is a better than b: more of its words syllables, then more syllables. */
static bool better(const struct score *a, const struct score *b)
{
    double sa = share(a), sb = share(b);

    return sa > sb || (sa == sb && a->good > b->good);
}

static int detect_8bit(const char *data, size_t len, const char *label,
                       enum vns_encoding *out, struct vns_err *err)
{
    struct score sc[NCAND] = {{0}};
    char *texts[NCAND] = {0};
    size_t lens[NCAND] = {0}, n = len < DETECT_BYTES ? len : DETECT_BYTES;
    size_t best = 0, second;
    const char *what = label != NULL && label[0] != '\0' ? label : "(unknown)";
    int rc;

    if (!text_controls_only((const unsigned char *)data, n))
        return vns_err_set(err, VNS_EUNSUPPORTED,
                           "unsupported text encoding %s", what);
    rc = score_all(data, n, sc, texts, lens, err);
    if (rc != VNS_OK)
        goto out;
    for (size_t i = 1; i < NCAND; i++)
        if (better(&sc[i], &sc[best]))
            best = i;
    second = best == 0 ? 1 : 0;
    for (size_t i = 0; i < NCAND; i++)
        if (i != best && better(&sc[i], &sc[second]))
            second = i;
    if (sc[best].good < MIN_SYLLABLES || share(&sc[best]) < MIN_SHARE) {
        rc = vns_err_set(err, VNS_EUNSUPPORTED, "unsupported text encoding %s",
                         what);
        goto out;
    }
    /* two that read the text the same way are both right */
    if (share(&sc[best]) - share(&sc[second]) < MIN_MARGIN &&
        !(lens[best] == lens[second] &&
          memcmp(texts[best], texts[second], lens[best]) == 0)) {
        rc = vns_err_set(err, VNS_EUNSUPPORTED,
                         "unsupported text encoding (looks like %s or %s)",
                         vns_encoding_name(candidates[best]),
                         vns_encoding_name(candidates[second]));
        goto out;
    }
    *out = candidates[best];
out:
    for (size_t i = 0; i < NCAND; i++)
        free(texts[i]);
    return rc;
}

int vns_encoding_detect(const char *data, size_t len, const char *label,
                        enum vns_encoding *out, struct vns_err *err)
{
    const unsigned char *s = (const unsigned char *)data;
    enum vns_encoding e;

    if ((data == NULL && len > 0) || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_encoding_detect: no buffer");
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        e = VNS_ENC_UTF16LE;
    else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        e = VNS_ENC_UTF16BE;
    else if (!vns_encoding_from_label(label, &e))
        return detect_8bit(data, len, label, out, err);
    *out = e;
    return VNS_OK;
}

int vns_encoding_to_utf8(const char *data, size_t len, const char *label,
                         char **out, size_t *outlen, size_t *nbad,
                         struct vns_err *err)
{
    enum vns_encoding e;
    int rc;

    rc = vns_encoding_detect(data, len, label, &e, err);
    if (rc != VNS_OK)
        return rc;
    return vns_encoding_decode(e, data, len, out, outlen, nbad, err);
}
