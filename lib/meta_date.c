/* Dates of a notice: the signing date (date line, Nghị quyết's closing
 * article, opening sentence) and the deadlines of its body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta_impl.h"

/* How far a sentence is looked for on either side of its date. */
#define SENTENCE_REACH 2000u

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int vns_meta_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 29;
    return days[m - 1];
}

bool vns_meta_valid_date(int y, int m, int d)
{
    /* y == 0: no year given, so 29/2 may still be right */
    if (y != 0 && (y < 1945 || y > 2100))
        return false;
    return d >= 1 && d <= vns_meta_days_in_month(y == 0 ? 2000 : y, m);
}

void vns_meta_iso(struct vns_meta_ymd d, char out[11])
{
    /* by hand: the fields are validated, and snprintf's width warnings
     * cannot know it */
    unsigned y = (unsigned)d.y % 10000, m = (unsigned)d.m % 100,
             dd = (unsigned)d.d % 100;

    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

bool vns_meta_from_iso(const char *s, struct vns_meta_ymd *out)
{
    for (int k = 0; k < 10; k++)
        if ((k == 4 || k == 7) ? s[k] != '-' : !is_digit(s[k]))
            return false;
    out->y = atoi(s);
    out->m = atoi(s + 5);
    out->d = atoi(s + 8);
    return vns_meta_valid_date(out->y, out->m, out->d);
}

static int cmp_date(struct vns_meta_ymd a, struct vns_meta_ymd b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d < b.d ? -1 : a.d > b.d;
}

/* 1 or 2 digits at *i (not 3: "2021" is no day); their value or -1. */
static int small(const struct vns_meta_text *t, size_t *i)
{
    size_t j = *i;
    int v = 0;

    while (is_digit(vns_meta_at(t, j)) && j - *i < 3)
        v = v * 10 + (t->f[j++] - '0');
    if (j == *i || j - *i > 2)
        return -1;
    *i = j;
    return v;
}

/* Exactly 4 digits at *i; their value or -1. */
static int year(const struct vns_meta_text *t, size_t *i)
{
    size_t j = *i;
    int v = 0;

    while (is_digit(vns_meta_at(t, j)) && j - *i < 5)
        v = v * 10 + (t->f[j++] - '0');
    if (j - *i != 4)
        return -1;
    *i = j;
    return v;
}

/* Keyword w after blanks at i; with wrap, also within the next two lines
 * when i is at a line end ("Tây Ninh, ngày 03 tháng 8" / "Số: 491-TB/TU
 * năm 2022": the left column comes between). */
static bool keyword(const struct vns_meta_text *t, size_t i, const char *w,
                    bool wrap, size_t *after)
{
    i = vns_meta_skip_spaces(t, i);
    if (vns_meta_word(t, i, w, after))
        return true;
    if (!wrap || vns_meta_at(t, i) != '\n')
        return false;
    for (int k = 0; k < 2; k++) {
        size_t li = vns_meta_line_of(t, i + 1), b, e;
        vns_meta_line(t, li, &b, &e);
        for (size_t j = b; j < e && j < b + 300; j++)
            if (vns_meta_word_start(t, j) && vns_meta_word(t, j, w, after))
                return true;
        i = e;
        if (vns_meta_at(t, i) != '\n')
            return false;
    }
    return false;
}

bool vns_meta_parse_date(const struct vns_meta_text *t, size_t i, bool wrap,
                         struct vns_meta_ymd *out, size_t *end)
{
    struct vns_meta_ymd d = {0, 0, 0};
    size_t j = i, k;

    if (!vns_meta_word_start(t, i) || (d.d = small(t, &j)) < 0)
        return false;
    if (vns_meta_at(t, j) == '/') {
        j++;
        if ((d.m = small(t, &j)) < 0)
            return false;
        if (vns_meta_at(t, j) == '/' && is_digit(vns_meta_at(t, j + 1))) {
            k = j + 1;
            if ((d.y = year(t, &k)) < 0)
                return false;
            j = k;
        }
    } else {
        if (!keyword(t, j, "thang", wrap, &j))
            return false;
        j = vns_meta_skip_spaces(t, j);
        if ((d.m = small(t, &j)) < 0)
            return false;
        if (keyword(t, j, "nam", wrap, &k)) {
            k = vns_meta_skip_spaces(t, k);
            if ((d.y = year(t, &k)) < 0)
                return false;
            j = k;
        }
    }
    /* "5/12/2021" is whole; "5/12/20215" or "5/12a" are not dates */
    if (vns_meta_isalnum(vns_meta_at(t, j)) ||
        !vns_meta_valid_date(d.y, d.m, d.d))
        return false;
    *out = d;
    *end = j;
    return true;
}

static void set_date(const struct vns_meta_text *t, struct vns_meta *m,
                     struct vns_meta_ymd d, size_t li, const char *how)
{
    size_t w;

    vns_meta_iso(d, m->date);
    vns_meta_why(t, li, m->why.date, sizeof(m->why.date));
    w = strlen(m->why.date);
    snprintf(m->why.date + w, sizeof(m->why.date) - w, " (%s)", how);
}

/* Is the word ending just before i capitalised ("Chàm," "Tĩnh")? */
static bool place_before(const struct vns_meta_text *t, size_t i, size_t b)
{
    size_t j = i;

    while (j > b && t->f[j - 1] == ' ')
        j--;
    if (j > b && t->f[j - 1] == ',')
        j--;
    while (j > b && t->f[j - 1] == ' ')
        j--;
    if (j == b || !vns_meta_isalnum(t->f[j - 1]))
        return false;
    while (j > b && vns_meta_isalnum(t->f[j - 1]))
        j--;
    if (is_digit(t->f[j]) && j > b + 1 && t->f[j - 1] == ' ') {
        /* communes since 2025 may end in a digit: "Móng Cái 3, ngày" */
        j--;
        while (j > b && vns_meta_isalnum(t->f[j - 1]))
            j--;
    }
    return t->f[j] >= 'A' && t->f[j] <= 'Z';
}

/* "Phan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021" ending its line. */
static bool date_line(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        for (size_t i = b; i < e && i < b + 600; i++) {
            struct vns_meta_ymd d;
            size_t a, end;
            char c;

            if (t->f[i] != 'n' || !vns_meta_word_start(t, i) ||
                !vns_meta_word(t, i, "ngay", &a) || !place_before(t, i, b))
                continue;
            a = vns_meta_skip_spaces(t, a);
            if (!vns_meta_parse_date(t, a, true, &d, &end) || d.y == 0)
                continue;
            end = vns_meta_skip_spaces(t, end);
            c = vns_meta_at(t, end);
            if (c == '.' || c == ')')
                c = vns_meta_at(t, vns_meta_skip_spaces(t, end + 1));
            if (c != '\n' && c != '\0')
                continue;
            set_date(t, m, d, li, "date line");
            return true;
        }
    }
    return false;
}

/* Điều 3 of a council's Nghị quyết: "... thông qua ngày 10 tháng 7 năm
 * 2025 và có hiệu lực từ ngày ...". */
static bool passed_on(const struct vns_meta_text *t, struct vns_meta *m)
{
    bool resolution = strcmp(m->doc_type, "Nghị quyết") == 0;

    for (size_t i = 0; i + 14 < t->n; i++) {
        struct vns_meta_ymd d;
        size_t a, end, li, b, e;

        if ((t->f[i] != 't' && t->f[i] != 'T') || !vns_meta_word_start(t, i) ||
            !vns_meta_word(t, i, "thong qua ngay", &a))
            continue;
        a = vns_meta_skip_spaces(t, a);
        if (!vns_meta_parse_date(t, a, false, &d, &end) || d.y == 0)
            continue;
        li = vns_meta_line_of(t, i);
        if (!resolution) {
            /* elsewhere only "Nghị quyết này ... thông qua ngày" counts */
            bool self = false;
            vns_meta_line(t, li, &b, &e);
            for (size_t j = i > b + 300 ? i - 300 : b; j < i && !self; j++)
                self = vns_meta_word(t, j, "nghi quyet nay", NULL);
            if (!self)
                continue;
        }
        set_date(t, m, d, li, "passed on");
        return true;
    }
    return false;
}

/* "Ngày 29/11/2021, Thường trực Tỉnh ủy họp ...", also "Chiều ngày". */
static bool opening(const struct vns_meta_text *t, struct vns_meta *m)
{
    static const char *const when[] = {"chieu ", "sang ", "toi ", "trua "};
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        struct vns_meta_ymd d;
        size_t b, e, a, end;

        vns_meta_line(t, li, &b, &e);
        for (size_t k = 0; k < sizeof(when) / sizeof(when[0]); k++)
            if (vns_meta_word(t, b, when[k], &a)) {
                b = a;
                break;
            }
        if (!vns_meta_word(t, b, "ngay", &a))
            continue;
        a = vns_meta_skip_spaces(t, a);
        if (!vns_meta_parse_date(t, a, false, &d, &end) || d.y == 0)
            continue;
        set_date(t, m, d, li, "opening sentence");
        return true;
    }
    return false;
}

void vns_meta_find_date(const struct vns_meta_text *t, struct vns_meta *m)
{
    if (date_line(t, m) || passed_on(t, m))
        return;
    if (m->date[0] != '\0') /* the annex of a letter dated it */
        return;
    opening(t, m);
}

/* Is the word before i "tính" ("tính đến ngày 15/11": a count so far)?
 * Read in the original: "toàn tỉnh đến ngày" folds the same. */
static bool after_tinh(const struct vns_meta_text *t, size_t i)
{
    size_t j = i, o;

    while (j > 0 && t->f[j - 1] == ' ')
        j--;
    if (j < 4 || !vns_meta_word_start(t, j - 4) ||
        !vns_meta_word(t, j - 4, "tinh", NULL))
        return false;
    o = t->pos[j - 4];
    return t->olen - o >= 5 && (t->orig[o] == 't' || t->orig[o] == 'T') &&
           memcmp(t->orig + o + 1, "\xC3\xADnh", 4) == 0;
}

/* The sentence around [i, j): from after the last ". " before i (or the
 * line start) to the first ". " after j (or the line end). */
static void sentence(const struct vns_meta_text *t, size_t i, size_t j,
                     size_t *sb, size_t *se)
{
    size_t b = i, e = j;

    while (b > 0 && i - b < SENTENCE_REACH && t->f[b - 1] != '\n') {
        char c = t->f[b - 1];
        if (t->f[b] == ' ' && (c == '.' || c == '!' || c == '?'))
            break;
        b--;
    }
    b = vns_meta_skip_spaces(t, b);
    while (e < t->n && e - j < SENTENCE_REACH && t->f[e] != '\n') {
        char c = t->f[e++];
        if ((c == '.' || c == '!' || c == '?') &&
            (vns_meta_at(t, e) == ' ' || vns_meta_at(t, e) == '\n' ||
             vns_meta_at(t, e) == '\0'))
            break;
    }
    *sb = b;
    *se = e;
}

static int add_deadline(const struct vns_meta_text *t, struct vns_meta *m,
                        size_t *cap, struct vns_meta_ymd d, size_t i, size_t j)
{
    struct vns_meta_deadline x = {0};
    size_t sb, se;

    sentence(t, i, j, &sb, &se);
    vns_meta_iso(d, x.date);
    x.off = t->pos[sb];
    x.len = t->pos[se] - t->pos[sb];
    for (size_t k = 0; k < m->n_deadlines; k++)
        if (m->deadlines[k].off == x.off &&
            strcmp(m->deadlines[k].date, x.date) == 0)
            return VNS_OK;
    if (m->n_deadlines >= VNS_META_MAX_DEADLINES)
        return VNS_OK;
    if (m->n_deadlines == *cap) {
        size_t nc = *cap == 0 ? 8 : *cap * 2;
        struct vns_meta_deadline *p = realloc(m->deadlines, nc * sizeof(*p));
        if (p == NULL)
            return VNS_ENOMEM;
        m->deadlines = p;
        *cap = nc;
    }
    m->deadlines[m->n_deadlines++] = x;
    return VNS_OK;
}

/* A date without year takes the notice's year, or the next one when that
 * would fall before the notice: deadlines lie ahead. */
static bool complete(struct vns_meta_ymd *d, const struct vns_meta_ymd *doc)
{
    if (d->y != 0)
        return true;
    if (doc == NULL)
        return false;
    d->y = doc->y;
    if (cmp_date(*d, *doc) < 0)
        d->y++;
    return vns_meta_valid_date(d->y, d->m, d->d);
}

/* "trong tháng 01/2022", "trong tháng 12 năm 2021": the month's last day. */
static bool month_at(const struct vns_meta_text *t, size_t i,
                     const struct vns_meta_ymd *doc, struct vns_meta_ymd *d,
                     size_t *end)
{
    size_t j = vns_meta_skip_spaces(t, i), k;

    d->y = 0;
    if ((d->m = small(t, &j)) < 1 || d->m > 12)
        return false;
    if (vns_meta_at(t, j) == '/') {
        k = j + 1;
        if ((d->y = year(t, &k)) < 0)
            return false;
        j = k;
    } else if (keyword(t, j, "nam", false, &k)) {
        k = vns_meta_skip_spaces(t, k);
        if ((d->y = year(t, &k)) < 0)
            return false;
        j = k;
    }
    if (vns_meta_isalnum(vns_meta_at(t, j)))
        return false;
    if (d->y == 0) {
        if (doc == NULL)
            return false;
        d->y = doc->y + (d->m < doc->m);
    }
    if (!vns_meta_valid_date(d->y, d->m, 1))
        return false;
    d->d = vns_meta_days_in_month(d->y, d->m);
    *end = j;
    return true;
}

/* Does the sentence around i ask for a report ("báo cáo")? */
static bool asks_report(const struct vns_meta_text *t, size_t i)
{
    size_t sb, se;

    sentence(t, i, i, &sb, &se);
    for (size_t k = sb; k < i; k++)
        if (vns_meta_word_start(t, k) && vns_meta_word(t, k, "bao cao", NULL))
            return true;
    return false;
}

/* One deadline starting at word i, or none: *d and *end on success. */
static bool deadline_at(const struct vns_meta_text *t, size_t i,
                        const struct vns_meta_ymd *doc, struct vns_meta_ymd *d,
                        size_t *end)
{
    static const char *const before[] = {"den het ngay",
                                         "den ngay",
                                         "truoc ngay",
                                         "cham nhat la ngay",
                                         "cham nhat vao ngay",
                                         "cham nhat ngay",
                                         "truoc",
                                         "cham nhat"};
    size_t a;

    if (vns_meta_word(t, i, "trong thang", &a))
        return month_at(t, a, doc, d, end);
    for (size_t k = 0; k < sizeof(before) / sizeof(before[0]); k++) {
        if (!vns_meta_word(t, i, before[k], &a))
            continue;
        /* "tính đến ngày 15/11" reports a count, it asks nothing */
        if (k < 2 && after_tinh(t, i))
            return false;
        a = vns_meta_skip_spaces(t, a);
        if (vns_meta_at(t, a) == '\n') /* hard-wrapped before the date */
            a = vns_meta_skip_spaces(t, a + 1);
        if (!is_digit(vns_meta_at(t, a)) ||
            !vns_meta_parse_date(t, a, false, d, end))
            return false;
        return complete(d, doc);
    }
    return false;
}

int vns_meta_find_deadlines(const struct vns_meta_text *t, struct vns_meta *m)
{
    struct vns_meta_ymd docd, d;
    const struct vns_meta_ymd *doc = NULL;
    size_t cap = 0, end;
    int rc;

    if (vns_meta_from_iso(m->date, &docd))
        doc = &docd;
    for (size_t i = 0; i < t->n; i++) {
        char c = t->f[i];

        if (c == '(' && is_digit(vns_meta_at(t, i + 1))) {
            /* "báo cáo ... vào chiều ngày thứ hai (06/12/2021)" */
            if (doc == NULL ||
                !vns_meta_parse_date(t, i + 1, false, &d, &end) || d.y == 0 ||
                vns_meta_at(t, end) != ')' || cmp_date(d, *doc) < 0 ||
                !asks_report(t, i))
                continue;
        } else if ((c == 'd' || c == 'D' || c == 't' || c == 'T' || c == 'c' ||
                    c == 'C') &&
                   vns_meta_word_start(t, i)) {
            if (!deadline_at(t, i, doc, &d, &end))
                continue;
        } else {
            continue;
        }
        /* "kết quả ... trước ngày 01/7/2025" in a later notice looks
         * back: an obligation lies after the signing */
        if (doc != NULL && cmp_date(d, *doc) < 0)
            continue;
        rc = add_deadline(t, m, &cap, d, i, end);
        if (rc != VNS_OK)
            return rc;
        i = end - 1;
    }
    return VNS_OK;
}
