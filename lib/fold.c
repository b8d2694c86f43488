/* Exact and folded forms of a word: case, NFD composition, tone-mark
 * placement and diacritic removal for Vietnamese from one table; other
 * scripts go through ICU. Tokenization is analyze.c's job. */
#include "fold.h"

#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "vnsearch/analyze.h"

/* Vowels 1..12 in this order; 13 is đ. Tones: 0 none, 1 huyền (grave),
 * 2 sắc (acute), 3 hỏi (hook), 4 ngã (tilde), 5 nặng (dot below). */
enum {
    V_A = 1,
    V_AW,
    V_AA,
    V_E,
    V_EE,
    V_I,
    V_O,
    V_OO,
    V_OW,
    V_U,
    V_UW,
    V_Y,
    V_DD,
    NVOWEL
};

static const char *const vowel_forms[NVOWEL] = {
    NULL,     "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
    "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ", "đ"};
static const char vowel_base[NVOWEL] = {0,   'a', 'a', 'a', 'e', 'e', 'i',
                                        'o', 'o', 'o', 'u', 'u', 'y', 'd'};

/* Lower-case code point of (vowel, tone). */
static uint32_t vowel_cp[NVOWEL][6];

/* Code point -> (vowel << 3 | tone), 0 when not a Vietnamese letter.
 * Two dense windows cover every precomposed Vietnamese letter. */
#define LAT_LO 0x00C0
#define LAT_HI 0x01B0
#define EXT_LO 0x1EA0
#define EXT_HI 0x1EF9
static uint8_t lat_map[LAT_HI - LAT_LO + 1];
static uint8_t ext_map[EXT_HI - EXT_LO + 1];

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void put_map(uint32_t cp, uint8_t v)
{
    if (cp >= LAT_LO && cp <= LAT_HI)
        lat_map[cp - LAT_LO] = v;
    else if (cp >= EXT_LO && cp <= EXT_HI)
        ext_map[cp - EXT_LO] = v;
}

static void build_tables(void)
{
    for (int v = 1; v < NVOWEL; v++) {
        const char *s = vowel_forms[v];
        int32_t i = 0, n = (int32_t)strlen(s);
        for (int t = 0; i < n && t < 6; t++) {
            UChar32 c;
            U8_NEXT(s, i, n, c);
            vowel_cp[v][t] = (uint32_t)c;
            /* plain a e i o u y stay on the ASCII path */
            if (c >= 0x80) {
                put_map((uint32_t)c, (uint8_t)(v << 3 | t));
                put_map((uint32_t)u_toupper(c), (uint8_t)(v << 3 | t));
            }
        }
    }
}

static unsigned lookup(uint32_t cp)
{
    if (cp >= LAT_LO && cp <= LAT_HI)
        return lat_map[cp - LAT_LO];
    if (cp >= EXT_LO && cp <= EXT_HI)
        return ext_map[cp - EXT_LO];
    return 0;
}

static int is_mark(uint32_t cp)
{
    return cp >= 0x0300 && cp <= 0x036F;
}

/* Tone of a combining mark, 0 if it is not one. */
static int mark_tone(uint32_t cp)
{
    switch (cp) {
    case 0x0300:
    case 0x0340:
        return 1;
    case 0x0301:
    case 0x0341:
        return 2;
    case 0x0309:
        return 3;
    case 0x0303:
        return 4;
    case 0x0323:
        return 5;
    }
    return 0;
}

/* Vowel after applying a breve, circumflex or horn mark, 0 if it does not
 * apply ("a" + U+0302 = "â"). */
static int mark_shape(int v, uint32_t cp)
{
    switch (cp) {
    case 0x0306:
        return v == V_A ? V_AW : 0;
    case 0x0302:
        return v == V_A ? V_AA : v == V_E ? V_EE : v == V_O ? V_OO : 0;
    case 0x031B:
        return v == V_O ? V_OW : v == V_U ? V_UW : 0;
    }
    return 0;
}

static int ascii_vowel(char c)
{
    switch (c) {
    case 'a':
        return V_A;
    case 'e':
        return V_E;
    case 'i':
        return V_I;
    case 'o':
        return V_O;
    case 'u':
        return V_U;
    case 'y':
        return V_Y;
    }
    return 0;
}

/* One unit of a word on the fast path: a Vietnamese vowel or đ (vowel > 0,
 * with its tone) or an ASCII byte (lower-cased). */
struct unit {
    uint8_t vowel;
    uint8_t tone;
    char c;
};

#define MAX_UNITS VNS_TERM_MAX

static int is_modified(int v)
{
    return v == V_AW || v == V_AA || v == V_EE || v == V_OO || v == V_OW ||
           v == V_UW;
}

static int is_vowel_unit(const struct unit *u)
{
    return u->vowel > 0 && u->vowel != V_DD;
}

static int valid_final(const struct unit *u, int n)
{
    char f[3];

    if (n < 0 || n > 2)
        return 0;
    for (int i = 0; i < n; i++) {
        if (u[i].vowel != 0)
            return 0;
        f[i] = u[i].c;
    }
    if (n == 0)
        return 1;
    if (n == 1)
        return strchr("cmnpt", f[0]) != NULL;
    return (f[0] == 'c' && f[1] == 'h') || (f[0] == 'n' && f[1] == 'g') ||
           (f[0] == 'n' && f[1] == 'h');
}

/* Move the single tone of a Vietnamese syllable onto its canonical vowel,
 * the traditional placement of official documents: "hòa", "khỏe", "thủy",
 * "ủy" for open oa/oe/uy; "hoàng", "thuyền", "người", "khuỷu" otherwise.
 * Words that are not one syllable with one tone are left as they are. */
static void place_tone(struct unit *u, int n)
{
    int toned = -1, ini = 0, cl, target = -1, nmod = 0, lastmod = -1;

    for (int i = 0; i < n; i++) {
        if (u[i].vowel == 0 && !((u[i].c >= 'a' && u[i].c <= 'z')))
            return; /* digits or punctuation: not a syllable */
        if (u[i].tone) {
            if (toned >= 0)
                return;
            toned = i;
        }
    }
    if (toned < 0)
        return;
    while (ini < n && !is_vowel_unit(&u[ini]))
        ini++;
    if (ini == n)
        return;
    /* "qu" and "gi" before another vowel belong to the initial */
    if (ini > 0 && u[ini - 1].vowel == 0 && u[ini - 1].c == 'q' &&
        u[ini].vowel == V_U)
        ini++;
    else if (ini == 1 && u[0].c == 'g' && u[1].vowel == V_I && n > 2 &&
             is_vowel_unit(&u[2]))
        ini++;
    cl = ini;
    while (cl < n && is_vowel_unit(&u[cl])) {
        if (is_modified(u[cl].vowel)) {
            nmod++;
            lastmod = cl;
        }
        cl++;
    }
    if (cl - ini < 1 || cl - ini > 3 || !valid_final(u + cl, n - cl))
        return;
    if (nmod > 0)
        target = lastmod;
    else if (cl < n)
        target = cl - 1;
    else if (cl - ini == 3)
        target = ini + 1;
    else
        target = ini;
    if (target != toned) {
        u[target].tone = u[toned].tone;
        u[toned].tone = 0;
    }
}

/* Slow path for words outside Latin-Vietnamese: ICU NFC + case folding for
 * the exact form, NFD without marks for the folded one. */
static int icu_forms(const char *s, size_t len, char *exact, char *folded,
                     size_t cap, unsigned *flags)
{
    UChar src[MAX_UNITS * 2], nfc[MAX_UNITS * 2], low[MAX_UNITS * 2];
    UChar nfd[MAX_UNITS * 4], bare[MAX_UNITS * 4];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n, m, k, b = 0;
    const UNormalizer2 *nfcn, *nfdn;

    if (len > MAX_UNITS * 2)
        return -1;
    u_strFromUTF8WithSub(src, MAX_UNITS * 2, &n, s, (int32_t)len, 0xFFFD, NULL,
                         &st);
    nfcn = unorm2_getNFCInstance(&st);
    nfdn = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
        return -1;
    n = unorm2_normalize(nfcn, src, n, nfc, MAX_UNITS * 2, &st);
    m = u_strFoldCase(low, MAX_UNITS * 2, nfc, n, U_FOLD_CASE_DEFAULT, &st);
    k = unorm2_normalize(nfdn, low, m, nfd, MAX_UNITS * 4, &st);
    if (U_FAILURE(st))
        return -1;
    for (int32_t i = 0; i < k; i++) {
        UChar32 c = nfd[i];
        if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK)
            continue;
        if (c == 0x0111)
            c = 'd';
        if (u_isalpha(c))
            *flags |= VNS_TOK_ALPHA;
        else if (u_isdigit(c))
            *flags |= VNS_TOK_DIGIT;
        bare[b++] = (UChar)c;
    }
    u_strToUTF8(exact, (int32_t)cap, &n, low, m, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;
    u_strToUTF8(folded, (int32_t)cap, &n, bare, b, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;
    if (strcmp(exact, folded) != 0)
        *flags |= VNS_TOK_MARKED;
    return 0;
}

/* Shared by vns_word_forms and the whole-string helpers: 0 on success,
 * -1 when it does not fit in cap. Punctuation is copied through. */
static int forms(const char *s, size_t len, char *exact, char *folded,
                 size_t cap, int tones, unsigned *flags)
{
    struct unit u[MAX_UNITS];
    int n = 0;
    size_t ei = 0, fi = 0;
    int32_t i = 0, slen = (int32_t)len;

    pthread_once(&tables_once, build_tables);
    *flags = 0;
    if (len >= (size_t)INT32_MAX || cap == 0)
        return -1;
    while (i < slen) {
        UChar32 c;
        unsigned m;
        U8_NEXT(s, i, slen, c);
        if (c < 0)
            continue; /* invalid UTF-8: dropped */
        if (n == MAX_UNITS)
            return -1;
        if (c < 0x80) {
            char a = (char)c;
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            u[n++] = (struct unit){(uint8_t)ascii_vowel(a), 0, a};
        } else if ((m = lookup((uint32_t)c)) != 0) {
            u[n++] = (struct unit){(uint8_t)(m >> 3), (uint8_t)(m & 7), 0};
        } else if (c == 0x0110 || c == 0x0111) {
            u[n++] = (struct unit){V_DD, 0, 0};
        } else if (is_mark((uint32_t)c) && n > 0 && is_vowel_unit(&u[n - 1]) &&
                   mark_tone((uint32_t)c) && !u[n - 1].tone) {
            u[n - 1].tone = (uint8_t)mark_tone((uint32_t)c);
        } else if (is_mark((uint32_t)c) && n > 0 &&
                   mark_shape(u[n - 1].vowel, (uint32_t)c)) {
            u[n - 1].vowel = (uint8_t)mark_shape(u[n - 1].vowel, (uint32_t)c);
        } else {
            return icu_forms(s, len, exact, folded, cap, flags);
        }
    }
    if (tones)
        place_tone(u, n);
    for (int k = 0; k < n; k++) {
        if (u[k].vowel) {
            uint32_t cp = vowel_cp[u[k].vowel][u[k].tone];
            *flags |= VNS_TOK_ALPHA;
            if (cp >= 0x80)
                *flags |= VNS_TOK_MARKED;
            if (ei + 4 >= cap || fi + 1 >= cap)
                return -1;
            U8_APPEND_UNSAFE(exact, ei, cp);
            folded[fi++] = vowel_base[u[k].vowel];
        } else {
            char a = u[k].c;
            if (a >= 'a' && a <= 'z')
                *flags |= VNS_TOK_ALPHA;
            else if (a >= '0' && a <= '9')
                *flags |= VNS_TOK_DIGIT;
            if (ei + 1 >= cap || fi + 1 >= cap)
                return -1;
            exact[ei++] = a;
            folded[fi++] = a;
        }
    }
    exact[ei] = '\0';
    folded[fi] = '\0';
    return 0;
}

size_t vns_word_shape(const char *s, size_t len, char *out, size_t cap,
                      int *tone)
{
    int32_t i = 0, slen = (int32_t)len;
    size_t o = 0, last = 0; /* last: where the last letter starts */
    int v = 0;              /* its vowel, 0 when none */

    pthread_once(&tables_once, build_tables);
    *tone = 0;
    if (cap == 0 || len >= (size_t)INT32_MAX)
        return 0;
    while (i < slen) {
        UChar32 c;
        unsigned m;
        U8_NEXT(s, i, slen, c);
        if (c < 0)
            return 0;
        if (is_mark((uint32_t)c)) { /* a tone or a shape on a vowel */
            if (v == 0 || v == V_DD)
                return 0;
            if (mark_tone((uint32_t)c)) {
                *tone = mark_tone((uint32_t)c);
                continue;
            }
            if (!mark_shape(v, (uint32_t)c))
                return 0;
            v = mark_shape(v, (uint32_t)c);
            o = last;
            c = (UChar32)vowel_cp[v][0];
        } else if ((m = lookup((uint32_t)c)) != 0) {
            v = (int)(m >> 3);
            if (m & 7)
                *tone = (int)(m & 7);
            c = (UChar32)vowel_cp[v][0];
        } else if (c < 0x80) {
            c = u_tolower(c);
            v = ascii_vowel((char)c);
        } else {
            return 0; /* no Vietnamese letter: "ŷ", "ĝ" */
        }
        if (o + 4 >= cap)
            return 0;
        last = o;
        U8_APPEND_UNSAFE(out, o, c);
    }
    out[o] = '\0';
    return o;
}

int vns_shape_unfinished(const char *shape)
{
    static const char *const open_end[] = {"ă", "â", "iê", "yê", "uô", "ươ"};
    size_t n = strlen(shape);

    for (size_t i = 0; i < sizeof(open_end) / sizeof(open_end[0]); i++) {
        size_t e = strlen(open_end[i]);
        if (n >= e && memcmp(shape + n - e, open_end[i], e) == 0)
            return 1;
    }
    return 0;
}

/* The vowels a dropped vowel with shape mark `shape` (0 none) may have
 * been, as their base letters. */
static const char *dropped_bases(uint32_t shape)
{
    switch (shape) {
    case 0:
        return "aeiouy";
    case 0x0306:
        return "a";
    case 0x0302:
        return "aeo";
    case 0x031B:
        return "ou";
    }
    return "";
}

size_t vns_word_dropped(const char *s, size_t len, char *out, size_t cap,
                        size_t max, int *tone)
{
    UChar src[MAX_UNITS * 2], nfd[MAX_UNITS * 4], w[MAX_UNITS * 4 + 3];
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfdn = unorm2_getNFDInstance(&st);
    int32_t n = 0, k, kept = 0, site = -1, v = 0, toned = 0, astray = 0;
    uint32_t shape = 0, mark = 0; /* the stray shape and tone marks */
    size_t got = 0;
    const char *bases;

    pthread_once(&tables_once, build_tables);
    *tone = 0;
    if (len > MAX_UNITS * 2 || U_FAILURE(st))
        return 0;
    u_strFromUTF8WithSub(src, MAX_UNITS * 2, &n, s, (int32_t)len, 0xFFFD, NULL,
                         &st);
    k = unorm2_normalize(nfdn, src, n, nfd, MAX_UNITS * 4, &st);
    if (U_FAILURE(st))
        return 0;
    for (int32_t i = 0; i < k; i++) { /* NFD: letters are BMP */
        uint32_t c = nfd[i];
        if (!is_mark(c)) {
            if (c >= 0x80 && c != 0x0110 && c != 0x0111)
                return 0; /* no Vietnamese letter */
            v = c < 0x80 ? ascii_vowel((char)u_tolower((UChar32)c)) : 0;
            toned = astray = 0;
        } else if (!astray && v != 0 && !toned && mark_tone(c) != 0) {
            toned = 1;
        } else if (!astray && v != 0 && mark_shape(v, c) != 0) {
            v = mark_shape(v, c);
        } else { /* on a consonant, or what its vowel cannot take */
            if (site >= 0 && !astray)
                return 0; /* a second place */
            if (site < 0)
                site = kept;
            astray = 1;
            if (mark_tone(c) != 0 && mark == 0)
                mark = c;
            else if (mark_tone(c) == 0 && shape == 0 &&
                     *dropped_bases(c) != '\0')
                shape = c;
            else
                return 0; /* two tones, two shapes, or no Vietnamese mark */
            continue;
        }
        w[kept++] = (UChar)c;
    }
    if (site < 0)
        return 0;
    bases = dropped_bases(shape);
    for (; *bases != '\0' && got < max; bases++) {
        UChar x[MAX_UNITS * 4 + 3];
        char u8[MAX_UNITS * 8];
        int32_t m = 0, ul = 0;
        int t = 0;
        memcpy(x, w, (size_t)site * sizeof(UChar));
        m = site;
        x[m++] = (UChar)*bases;
        if (shape != 0)
            x[m++] = (UChar)shape;
        if (mark != 0)
            x[m++] = (UChar)mark;
        memcpy(x + m, w + site, (size_t)(kept - site) * sizeof(UChar));
        m += kept - site;
        st = U_ZERO_ERROR;
        u_strToUTF8(u8, (int32_t)sizeof(u8), &ul, x, m, &st);
        if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
            return 0;
        if (vns_word_shape(u8, (size_t)ul, out + got * cap, cap, &t) > 0) {
            *tone = t;
            got++;
        }
    }
    return got;
}

unsigned vns_word_forms(const char *s, size_t len, char *exact, char *folded,
                        size_t cap)
{
    unsigned flags;

    if (forms(s, len, exact, folded, cap, 1, &flags) != 0)
        return 0;
    if (!(flags & (VNS_TOK_ALPHA | VNS_TOK_DIGIT)))
        return 0;
    return flags;
}

/* Whole strings: words between ASCII spaces get their forms; the spaces
 * stay. which = 0 for folded, 1 for exact. */
static int whole(const char *in, char *out, size_t outsz, int which)
{
    char ex[VNS_TERM_MAX * 2], fo[VNS_TERM_MAX * 2];
    size_t o = 0, i = 0, n = strlen(in);
    unsigned flags;

    if (outsz == 0)
        return VNS_ETOOBIG;
    out[0] = '\0';
    while (i < n) {
        size_t j = i;
        if (in[i] == ' ' || in[i] == '\t' || in[i] == '\n') {
            if (o + 1 >= outsz)
                return VNS_ETOOBIG;
            out[o++] = in[i++];
            out[o] = '\0';
            continue;
        }
        while (j < n && in[j] != ' ' && in[j] != '\t' && in[j] != '\n')
            j++;
        if (forms(in + i, j - i, ex, fo, sizeof(ex), 1, &flags) != 0)
            return VNS_ETOOBIG;
        const char *w = which ? ex : fo;
        size_t wl = strlen(w);
        if (o + wl >= outsz)
            return VNS_ETOOBIG;
        memcpy(out + o, w, wl);
        o += wl;
        out[o] = '\0';
        i = j;
    }
    return VNS_OK;
}

int vns_fold(const char *in, char *out, size_t outsz)
{
    return whole(in, out, outsz, 0);
}

int vns_exact(const char *in, char *out, size_t outsz)
{
    return whole(in, out, outsz, 1);
}

size_t vns_fold_text(const char *s, size_t len, char *out)
{
    size_t o = 0;
    int32_t i = 0, n = (int32_t)len;

    pthread_once(&tables_once, build_tables);
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            continue; /* invalid bytes: dropped */
        unsigned v = lookup((uint32_t)c);
        if (v != 0)
            out[o++] = vowel_base[v >> 3];
        else if (!is_mark((uint32_t)c)) {
            memcpy(out + o, s + start, (size_t)(i - start));
            o += (size_t)(i - start);
        }
    }
    out[o] = '\0';
    return o;
}
