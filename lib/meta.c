/* Notice metadata: the folded view every field is read from, the type,
 * signer and subject, and the order fields are tried in. */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta_impl.h"

/* Length of the valid UTF-8 sequence at s (n bytes left) and its code
 * point, or 0 when it is invalid or cut short. */
static size_t u8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len;

    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    /* overlong forms, surrogates and past U+10FFFF are not text */
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return len;
}

/* The ASCII letter under a Vietnamese one, case kept; ' ' for blanks,
 * 0 for what is dropped, '~' for anything else. */
static char fold_cp(uint32_t cp)
{
    static const char latin1[] =
        "AAAAAAACEEEEIIIIDNOOOOO~OUUUUY~saaaaaaaceeeeiiiidnooooo~ouuuuy~y";

    if (cp < 0x80) {
        if (cp == '*' || cp == '\\')
            return 0;
        if (cp == '\t' || cp == '|' || cp == '\r' || cp == '\f' || cp == '\v' ||
            cp == 0)
            return ' ';
        if (cp < 0x20 && cp != '\n')
            return ' ';
        return (char)cp;
    }
    if (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A))
        return ' ';
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    switch (cp) {
    case 0x102:
        return 'A';
    case 0x103:
        return 'a';
    case 0x110:
        return 'D';
    case 0x111:
        return 'd';
    case 0x128:
        return 'I';
    case 0x129:
        return 'i';
    case 0x168:
        return 'U';
    case 0x169:
        return 'u';
    case 0x1A0:
        return 'O';
    case 0x1A1:
        return 'o';
    case 0x1AF:
        return 'U';
    case 0x1B0:
        return 'u';
    case 0x2018:
    case 0x2019:
        return '\'';
    case 0x201C:
    case 0x201D:
        return '"';
    case 0x2026:
        return '.';
    case 0x200B:
    case 0xFEFF:
        return 0;
    }
    if (cp >= 0x300 && cp <= 0x36F) /* a tone mark left decomposed */
        return 0;
    if (cp >= 0x2010 && cp <= 0x2015)
        return '-';
    if (cp >= 0x1EA0 && cp <= 0x1EF9) {
        /* Ạ..ặ, Ẹ..ệ, Ỉ..ị, Ọ..ợ, Ụ..ự, Ỳ..ỹ: capital on even code points */
        static const struct {
            unsigned end;
            char base;
        } runs[] = {{24, 'a'}, {40, 'e'}, {44, 'i'},
                    {68, 'o'}, {82, 'u'}, {90, 'y'}};
        unsigned k = cp - 0x1EA0;
        for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++)
            if (k < runs[r].end)
                return (char)(k % 2 == 0 ? runs[r].base - 32 : runs[r].base);
    }
    return '~';
}

int vns_meta_text_init(struct vns_meta_text *t, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t lines = 1, n = 0;

    memset(t, 0, sizeof(*t));
    if (len > VNS_META_MAX_TEXT)
        len = VNS_META_MAX_TEXT;
    /* every '\n' and every border of a flattened grid table ends a line */
    for (size_t i = 0; i < len; i++)
        lines += s[i] == '\n' || s[i] == '+';
    t->orig = text;
    t->olen = len;
    t->f = malloc(len + 1);
    t->pos = malloc((len + 1) * sizeof(*t->pos));
    t->line = malloc(lines * sizeof(*t->line));
    if (t->f == NULL || t->pos == NULL || t->line == NULL) {
        vns_meta_text_fini(t);
        return VNS_ENOMEM;
    }
    t->line[t->nlines++] = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0xFFFD;
        size_t k = u8_next(s + i, len - i, &cp);
        char c = fold_cp(cp);

        if (k == 0)
            k = 1; /* a stray byte stands for itself as '~' */
        if (cp == '+' && i + 1 < len && (s[i + 1] == '-' || s[i + 1] == '=')) {
            /* "+-----+=====+": a Markdown grid table row border, which an
             * extractor may have put on one line with the rows */
            while (k < len - i && (s[i + k] == '+' || s[i + k] == '-' ||
                                   s[i + k] == '=' || s[i + k] == ' '))
                k++;
            c = '\n';
        }
        if (c == ' ' && (n == 0 || t->f[n - 1] == ' ' || t->f[n - 1] == '\n'))
            c = 0; /* leading or repeated blank */
        if (c == '\n' && n > 0 && t->f[n - 1] == ' ')
            n--; /* trailing blank */
        if (c != 0) {
            t->f[n] = c;
            t->pos[n] = (uint32_t)i;
            n++;
            if (c == '\n')
                t->line[t->nlines++] = (uint32_t)n;
        }
        i += k;
    }
    t->f[n] = '\0';
    t->pos[n] = (uint32_t)len;
    t->n = n;
    return VNS_OK;
}

void vns_meta_text_fini(struct vns_meta_text *t)
{
    free(t->f);
    free(t->pos);
    free(t->line);
    memset(t, 0, sizeof(*t));
}

void vns_meta_line(const struct vns_meta_text *t, size_t li, size_t *b,
                   size_t *e)
{
    size_t s = li < t->nlines ? t->line[li] : t->n;
    size_t x = li + 1 < t->nlines ? t->line[li + 1] - 1 : t->n;

    while (s < x && (t->f[s] == ' ' || t->f[s] == '#' || t->f[s] == '>'))
        s++;
    while (x > s && t->f[x - 1] == ' ')
        x--;
    *b = s;
    *e = x;
}

size_t vns_meta_line_of(const struct vns_meta_text *t, size_t i)
{
    size_t lo = 0, hi = t->nlines;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->line[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static char lower(char c)
{
    return is_upper(c) ? (char)(c + 32) : c;
}

bool vns_meta_isalnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

bool vns_meta_word(const struct vns_meta_text *t, size_t i, const char *w,
                   size_t *after)
{
    size_t k = 0;
    char last;

    for (; w[k] != '\0'; k++)
        if (lower(vns_meta_at(t, i + k)) != w[k])
            return false;
    if (k == 0)
        return false;
    /* "tháng12" is one word to us: a letter may touch a digit */
    last = w[k - 1];
    if ((is_alpha(last) && is_alpha(vns_meta_at(t, i + k))) ||
        (is_digit(last) && is_digit(vns_meta_at(t, i + k))))
        return false;
    if (after != NULL)
        *after = i + k;
    return true;
}

bool vns_meta_word_start(const struct vns_meta_text *t, size_t i)
{
    return i == 0 || i > t->n || !vns_meta_isalnum(t->f[i - 1]);
}

size_t vns_meta_skip_spaces(const struct vns_meta_text *t, size_t i)
{
    while (vns_meta_at(t, i) == ' ')
        i++;
    return i;
}

void vns_meta_copy(const struct vns_meta_text *t, size_t b, size_t e,
                   bool nospace, char *dst, size_t cap)
{
    const unsigned char *s = (const unsigned char *)t->orig;
    size_t ob, oe, o = 0;

    if (cap == 0)
        return;
    dst[0] = '\0';
    if (b > t->n || e > t->n || b >= e)
        return;
    ob = t->pos[b];
    oe = t->pos[e];
    for (size_t i = ob; i < oe;) {
        uint32_t cp = 0;
        size_t k = u8_next(s + i, oe - i, &cp);
        bool blank;

        if (k == 0) {
            i++; /* invalid bytes never reach a field */
            continue;
        }
        blank = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
                cp == 0xA0 || cp == '|';
        if (cp == '*' || cp == '\\' || cp < 0x20 || (blank && nospace) ||
            (blank && (o == 0 || dst[o - 1] == ' '))) {
            i += k;
            continue;
        }
        if (blank) {
            if (o + 1 >= cap)
                break;
            dst[o++] = ' ';
        } else {
            if (o + k >= cap)
                break;
            memcpy(dst + o, s + i, k);
            o += k;
        }
        i += k;
    }
    while (o > 0 && dst[o - 1] == ' ')
        o--;
    dst[o] = '\0';
}

void vns_meta_why(const struct vns_meta_text *t, size_t li, char *dst,
                  size_t cap)
{
    size_t b, e;
    int w;

    vns_meta_line(t, li, &b, &e);
    w = snprintf(dst, cap, "line %zu: ", li + 1);
    if (w < 0 || (size_t)w >= cap)
        return;
    vns_meta_copy(t, b, e, false, dst + w, cap - (size_t)w);
}

/* Document types, folded as they are matched, and their names. */
static const struct {
    const char *folded;
    const char *name;
    const char *code;
} types[] = {
    {"thong bao", "Thông báo", "tb"},
    {"cong dien", "Công điện", "cd"},
    {"chi thi", "Chỉ thị", "ct"},
    {"quyet dinh", "Quyết định", "qd"},
    {"ke hoach", "Kế hoạch", "kh"},
    {"cong van", "Công văn", "cv"},
    {"huong dan", "Hướng dẫn", "hd"},
    {"nghi quyet", "Nghị quyết", "nq"},
    {"bao cao", "Báo cáo", "bc"},
    {"to trinh", "Tờ trình", "ttr"},
    {"ket luan", "Kết luận", "kl"},
    {"thong tri", "Thông tri", "ttri"},
    {"chuong trinh", "Chương trình", "ctr"},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

const char *vns_meta_type_of_code(const char *code, size_t len)
{
    for (size_t k = 0; k < NTYPES; k++) {
        const char *c = types[k].code;
        size_t j = 0;
        while (j < len && c[j] != '\0' && lower(code[j]) == c[j])
            j++;
        if (j == len && c[j] == '\0')
            return types[k].name;
    }
    return NULL;
}

const char *vns_meta_type_at(const struct vns_meta_text *t, size_t i,
                             size_t *after)
{
    for (size_t k = 0; k < NTYPES; k++)
        if (vns_meta_word(t, i, types[k].folded, after))
            return types[k].name;
    return NULL;
}

/* A type word at b; *upper says whether it was in capitals. */
static int type_at(const struct vns_meta_text *t, size_t b, size_t *after,
                   bool *upper)
{
    for (size_t k = 0; k < NTYPES; k++) {
        /* a match ends inside the text (f[n] is its NUL): said for the
         * analyzer, which cannot follow vns_meta_at */
        if (!vns_meta_word(t, b, types[k].folded, after) || *after > t->n)
            continue;
        *upper = true;
        for (size_t i = b; i < *after; i++)
            if (is_lower(t->f[i]))
                *upper = false;
        return (int)k;
    }
    return -1;
}

/* Are the letters of [b, e) all capitals (and at least one there)? */
static bool all_upper(const struct vns_meta_text *t, size_t b, size_t e)
{
    size_t letters = 0;

    for (size_t i = b; i < e; i++) {
        if (is_lower(t->f[i]))
            return false;
        letters += is_upper(t->f[i]);
    }
    return letters > 0;
}

/* The title line: "THÔNG BÁO", "QUYẾT ĐỊNH", "THÔNG BÁO KẾT LUẬN ...", or
 * failing capitals a line that is just "Thông báo". Returns the line. */
static size_t find_title(const struct vns_meta_text *t, int *type)
{
    size_t weak = (size_t)-1;
    int weak_type = -1;
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e, a;
        bool up;
        int k;

        vns_meta_line(t, li, &b, &e);
        if (e - b > 300) /* a title is short; a paragraph is not one */
            continue;
        k = type_at(t, b, &a, &up);
        if (k < 0)
            continue;
        if (up && (a == e || (t->f[a] == ' ' && all_upper(t, a, e)))) {
            *type = k;
            return li;
        }
        if (a == e && weak_type < 0) {
            weak = li;
            weak_type = k;
        }
    }
    *type = weak_type;
    return weak;
}

/* "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:" opens a Công điện. */
static bool find_dien(const struct vns_meta_text *t, size_t *line)
{
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        if (e - b < 6 || e - b > 300 || t->f[e - 1] != ':')
            continue;
        if (vns_meta_word(t, e - 5, "dien:", NULL) &&
            vns_meta_word_start(t, e - 5) && all_upper(t, b, e - 5)) {
            *line = li;
            return true;
        }
    }
    return false;
}

/* A line in the head starting with word w ("v/v", "kinh gui"). */
static bool head_line(const struct vns_meta_text *t, const char *w,
                      size_t *line)
{
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        for (size_t i = b; i < e && i < b + 200; i++) {
            /* "Số: 12/UBND-VX   V/v ..." sits beside the number */
            if ((i == b || t->f[i - 1] == ' ') &&
                vns_meta_word(t, i, w, NULL)) {
                *line = li;
                return true;
            }
        }
    }
    return false;
}

static void set_type(const struct vns_meta_text *t, struct vns_meta *m,
                     const char *name, size_t li, const char *how)
{
    size_t w;

    snprintf(m->doc_type, sizeof(m->doc_type), "%s", name);
    if (li == (size_t)-1) {
        snprintf(m->why.doc_type, sizeof(m->why.doc_type), "%s", how);
        return;
    }
    vns_meta_why(t, li, m->why.doc_type, sizeof(m->why.doc_type));
    w = strlen(m->why.doc_type);
    snprintf(m->why.doc_type + w, sizeof(m->why.doc_type) - w, " (%s)", how);
}

/* The type from the code of the number: "412/TB-UBND", "135-TB/TU",
 * "52/2025/QĐ-UBND"; "4070/SYT-NVY" names a body, so it is a Công văn. */
static const char *type_of_number(const char *num)
{
    struct vns_meta_text t;
    const char *name = NULL;
    size_t i = 0;
    bool state;

    if (num[0] == '\0' || vns_meta_text_init(&t, num, strlen(num)) != VNS_OK)
        return NULL;
    while (is_digit(vns_meta_at(&t, i)))
        i++;
    state = vns_meta_at(&t, i) == '/';
    while (vns_meta_at(&t, i) != '\0') {
        size_t s;
        while (vns_meta_at(&t, i) == '/' || vns_meta_at(&t, i) == '-')
            i++;
        s = i;
        while (vns_meta_isalnum(vns_meta_at(&t, i)))
            i++;
        if (i == s)
            break;
        if (is_digit(t.f[s])) /* the year of "52/2025/QĐ-UBND" */
            continue;
        name = vns_meta_type_of_code(t.f + s, i - s);
        if (name == NULL && state)
            name = "Công văn";
        break;
    }
    vns_meta_text_fini(&t);
    return name;
}

static void find_type(const struct vns_meta_text *t, const char *title,
                      size_t title_line, int title_type, struct vns_meta *m)
{
    const char *name;
    size_t li;

    if (title_type >= 0) {
        set_type(t, m, types[title_type].name, title_line, "title");
        return;
    }
    if (title != NULL && title[0] != '\0') {
        struct vns_meta_text tt;
        if (vns_meta_text_init(&tt, title, strlen(title)) == VNS_OK) {
            size_t b, e, a;
            bool up;
            int k;
            vns_meta_line(&tt, 0, &b, &e);
            k = type_at(&tt, b, &a, &up);
            vns_meta_text_fini(&tt);
            if (k >= 0 && up) {
                set_type(t, m, types[k].name, (size_t)-1, "extracted title");
                return;
            }
        }
    }
    if (m->doc_type[0] != '\0') /* the annex named it */
        return;
    name = type_of_number(m->number);
    if (name != NULL) {
        snprintf(m->doc_type, sizeof(m->doc_type), "%s", name);
        snprintf(m->why.doc_type, sizeof(m->why.doc_type), "code of number %s",
                 m->number);
        return;
    }
    if (find_dien(t, &li)) {
        set_type(t, m, "Công điện", li, "điện:");
        return;
    }
    if (head_line(t, "v/v", &li) && head_line(t, "kinh gui", &li)) {
        set_type(t, m, "Công văn", li, "V/v and Kính gửi");
        return;
    }
    if (head_line(t, "kinh gui", &li) && li < 3)
        set_type(t, m, "Công văn", li, "opens with Kính gửi");
}

/* A person's name: two to six capitalised words of letters only. */
static bool is_name(const struct vns_meta_text *t, size_t b, size_t e)
{
    size_t words = 0;

    if (e - b < 5 || e - b > 60)
        return false;
    for (size_t i = b; i < e;) {
        if (!is_upper(t->f[i]))
            return false;
        i++;
        while (i < e && is_lower(t->f[i]))
            i++;
        words++;
        if (i < e && t->f[i] != ' ')
            return false;
        i += i < e;
    }
    return words >= 2 && words <= 6;
}

/* A line of the signature block above the name: "BÍ THƯ", "KT. GIÁM
 * ĐỐC", "T/M BAN THƯỜNG VỤ", "(Đã ký)". */
static bool is_role(const struct vns_meta_text *t, size_t b, size_t e)
{
    if (e - b > 80)
        return false;
    for (size_t i = b; i + 6 <= e; i++)
        if (vns_meta_word(t, i, "da ky", NULL) && vns_meta_word_start(t, i))
            return true;
    return e - b >= 3 && all_upper(t, b, e);
}

static void find_signer(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t stop = t->nlines > 300 ? t->nlines - 300 : 0;

    for (size_t li = t->nlines; li-- > stop;) {
        size_t b, e, pb, pe, back = li;
        bool role = false;

        vns_meta_line(t, li, &b, &e);
        if (!is_name(t, b, e))
            continue;
        for (int k = 0; k < 3 && back > 0; k++) {
            vns_meta_line(t, --back, &pb, &pe);
            if (pb == pe) {
                k--; /* blank lines between do not count */
                if (li - back > 8)
                    break;
                continue;
            }
            if (is_role(t, pb, pe)) {
                role = true;
                break;
            }
        }
        if (role) {
            vns_meta_copy(t, b, e, false, m->signer, sizeof(m->signer));
            vns_meta_why(t, li, m->why.signer, sizeof(m->why.signer));
            return;
        }
    }
}

/* Append the original of folded [b, e) to dst after a space. */
static void append(const struct vns_meta_text *t, size_t b, size_t e, char *dst,
                   size_t cap)
{
    size_t o = strlen(dst);

    if (o > 0 && o + 1 < cap)
        dst[o++] = ' ';
    dst[o] = '\0';
    vns_meta_copy(t, b, e, false, dst + o, cap - o);
}

/* "về công tác ..." under the title, or the "V/v ..." line of a letter. */
static void find_subject(const struct vns_meta_text *t, size_t title_line,
                         struct vns_meta *m)
{
    size_t first = (size_t)-1, li, b, e, a;

    if (title_line != (size_t)-1) {
        for (li = title_line + 1; li < t->nlines && li <= title_line + 4;
             li++) {
            vns_meta_line(t, li, &b, &e);
            if (b == e || all_upper(t, b, e))
                continue;
            if (t->f[b] == '-' || e - b > 400)
                break;
            if (vns_meta_word(t, b, "ve", NULL)) {
                first = li;
                break;
            }
            if (first == (size_t)-1)
                first = li;
        }
        if (first != (size_t)-1) {
            vns_meta_line(t, first, &b, &e);
            append(t, b, e, m->subject, sizeof(m->subject));
            /* a long subject wraps: "... Covid-19" / "trên địa bàn tỉnh" */
            for (li = first + 1; li < t->nlines && li <= first + 2; li++) {
                vns_meta_line(t, li, &b, &e);
                if (b == e || !is_lower(t->f[b]) || e - b > 200)
                    break;
                append(t, b, e, m->subject, sizeof(m->subject));
            }
            vns_meta_why(t, first, m->why.subject, sizeof(m->why.subject));
            return;
        }
    }
    if (!head_line(t, "v/v", &li))
        return;
    vns_meta_line(t, li, &b, &e);
    for (a = b; a + 3 <= e; a++)
        if (vns_meta_word(t, a, "v/v", &a))
            break;
    a = vns_meta_skip_spaces(t, a);
    /* the date line may share it, after a gap of blanks: "V/v ...
     * Cần Thơ, ngày 15 tháng 7 năm 2025" */
    for (size_t i = a; i + 1 < e; i++) {
        bool later = false;
        if (t->f[i] != ' ' || t->pos[i + 1] - t->pos[i] < 2)
            continue;
        for (size_t k = i; k + 4 <= e && !later; k++)
            later = vns_meta_word(t, k, "ngay", NULL);
        if (later) {
            e = i;
            break;
        }
    }
    snprintf(m->subject, sizeof(m->subject), "về");
    append(t, a, e, m->subject, sizeof(m->subject));
    vns_meta_why(t, li, m->why.subject, sizeof(m->why.subject));
}

bool vns_meta_caps(const struct vns_meta_text *t, size_t b, size_t e)
{
    size_t up = 0;

    for (size_t i = b; i < e; i++) {
        if (is_lower(t->f[i]))
            return false;
        up += is_upper(t->f[i]);
    }
    return up > 0;
}

size_t vns_meta_head_end(const struct vns_meta_text *t)
{
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e, a;
        vns_meta_line(t, li, &b, &e);
        if (e - b > 200)
            continue;
        if (vns_meta_word(t, b, "kinh gui", NULL) ||
            vns_meta_word(t, b, "can cu", NULL))
            return li;
        if (vns_meta_type_at(t, b, &a) != NULL &&
            (a == e || vns_meta_caps(t, b, e)) && vns_meta_caps(t, b, a))
            return li;
    }
    return lim;
}

int vns_meta_extract(const char *text, size_t len, const char *title,
                     struct vns_meta *out, struct vns_err *err)
{
    struct vns_meta_text t = {0};
    struct vns_meta m = {0};
    size_t title_line;
    int title_type, rc;

    if (out == NULL || (text == NULL && len > 0))
        return vns_err_set(err, VNS_EINVAL, "meta: no text or no output");
    rc = vns_meta_text_init(&t, text == NULL ? "" : text, len);
    if (rc != VNS_OK) {
        vns_err_set(err, rc, "meta: out of memory");
        goto out;
    }
    title_line = find_title(&t, &title_type);
    vns_meta_find_number(&t, &m);
    /* the annex of a letter without header: its number, type and date */
    vns_meta_find_annex(&t, &m);
    find_type(&t, title, title_line, title_type, &m);
    vns_meta_find_date(&t, &m);
    find_signer(&t, &m);
    find_subject(&t, title_type >= 0 ? title_line : (size_t)-1, &m);
    rc = vns_meta_find_refs(&t, &m);
    if (rc == VNS_OK)
        rc = vns_meta_find_deadlines(&t, &m);
    if (rc == VNS_OK)
        rc = vns_meta_find_recipients(&t, &m);
    if (rc != VNS_OK) {
        vns_err_set(err, rc, "meta: out of memory");
        goto out;
    }
    *out = m; /* moved: the caller owns the arrays now */
    m = (struct vns_meta){0};
out:
    vns_meta_fini(&m);
    vns_meta_text_fini(&t);
    return rc;
}

void vns_meta_fini(struct vns_meta *m)
{
    if (m == NULL)
        return;
    free(m->deadlines);
    free(m->refs);
    free(m->recipients);
    memset(m, 0, sizeof(*m));
}
