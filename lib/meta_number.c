/* Numbers of a notice: its own ("Số: 412/TB-UBND" in the header, or the
 * annex of a letter) and the documents its body cites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta_impl.h"

/* Folded characters a number may span, blanks included. */
#define NUMBER_REACH 60u

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool vns_meta_parse_number(const struct vns_meta_text *t, size_t i, bool wrap,
                           char *dst, size_t cap, size_t *end)
{
    size_t j = i;
    bool coded = false;

    if (!is_digit(vns_meta_at(t, i)) || !vns_meta_word_start(t, i))
        return false;
    while (vns_meta_isalnum(vns_meta_at(t, j)))
        j++;
    for (;;) {
        size_t k = vns_meta_skip_spaces(t, j);
        char c = vns_meta_at(t, k);

        if (c != '/' && c != '-')
            break;
        k = vns_meta_skip_spaces(t, k + 1);
        /* "| Số: 1234/QĐ-" / "UBND |": cut after its hyphen */
        if (wrap && vns_meta_at(t, k) == '\n')
            k = vns_meta_skip_spaces(t, k + 1);
        if (!vns_meta_isalnum(vns_meta_at(t, k)))
            break;
        while (vns_meta_isalnum(vns_meta_at(t, k))) {
            coded |= is_alpha(t->f[k]);
            k++;
        }
        j = k;
        if (j - i > NUMBER_REACH)
            return false;
    }
    /* "2021" or "15/12" are not numbers of documents: a code is */
    if (!coded || j - i > NUMBER_REACH)
        return false;
    vns_meta_copy(t, i, j, true, dst, cap);
    *end = j;
    return dst[0] != '\0';
}

/* "Số: 412", "Số : 412", "Số:412", "Số 221": the number after it, at i. */
static bool after_so(const struct vns_meta_text *t, size_t i, size_t *num)
{
    size_t a;

    if (!vns_meta_word(t, i, "so", &a))
        return false;
    a = vns_meta_skip_spaces(t, a);
    if (vns_meta_at(t, a) == ':')
        a = vns_meta_skip_spaces(t, a + 1);
    *num = a;
    return is_digit(vns_meta_at(t, a));
}

void vns_meta_find_number(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t lim =
        t->nlines < VNS_META_HEAD_LINES ? t->nlines : VNS_META_HEAD_LINES;

    for (size_t li = 0; li < lim; li++) {
        size_t b, e, a, end;
        vns_meta_line(t, li, &b, &e);
        for (size_t i = b; i < e && i < b + 300; i++) {
            /* capital "Số" opening a line or a column; body citations
             * say "số", and "CÔNG BÁO/Số 447" is a gazette header */
            if (t->f[i] != 'S' || (i > b && t->f[i - 1] != ' ') ||
                !after_so(t, i, &a))
                continue;
            if (vns_meta_parse_number(t, a, true, m->number, sizeof(m->number),
                                      &end)) {
                vns_meta_why(t, li, m->why.number, sizeof(m->why.number));
                return;
            }
        }
    }
    m->number[0] = '\0';
}

/* Words that introduce a cited number: "số", "Chỉ thị 15/CT-TTg". */
static bool cites(const struct vns_meta_text *t, size_t i, size_t *num)
{
    size_t a;

    if (after_so(t, i, num))
        return true;
    if (vns_meta_type_at(t, i, &a) == NULL &&
        !vns_meta_word(t, i, "nghi dinh", &a) &&
        !vns_meta_word(t, i, "thong tu", &a))
        return false;
    a = vns_meta_skip_spaces(t, a);
    *num = a;
    return is_digit(vns_meta_at(t, a));
}

int vns_meta_find_refs(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t cap = 0;

    for (size_t i = 0; i < t->n && m->n_refs < VNS_META_MAX_REFS; i++) {
        struct vns_meta_ref r = {0};
        struct vns_meta_ymd d;
        size_t a, end, k;
        bool dup = false;

        if (!is_alpha(t->f[i]) || !vns_meta_word_start(t, i) ||
            !cites(t, i, &a) ||
            !vns_meta_parse_number(t, a, false, r.number, sizeof(r.number),
                                   &end))
            continue;
        i = end - 1;
        if (strcmp(r.number, m->number) == 0)
            continue; /* the notice itself, in its header or annex */
        r.off = t->pos[a];
        k = vns_meta_skip_spaces(t, end);
        if (vns_meta_at(t, k) == ',')
            k = vns_meta_skip_spaces(t, k + 1);
        if (vns_meta_word(t, k, "ngay", &k) &&
            vns_meta_parse_date(t, vns_meta_skip_spaces(t, k), false, &d, &k) &&
            d.y != 0)
            vns_meta_iso(d, r.date);
        for (size_t x = 0; x < m->n_refs && !dup; x++)
            dup = strcmp(m->refs[x].number, r.number) == 0;
        if (dup)
            continue;
        if (m->n_refs == cap) {
            size_t nc = cap == 0 ? 8 : cap * 2;
            struct vns_meta_ref *p = realloc(m->refs, nc * sizeof(*p));
            if (p == NULL)
                return VNS_ENOMEM;
            m->refs = p;
            cap = nc;
        }
        m->refs[m->n_refs++] = r;
    }
    return VNS_OK;
}

/* Does one of the three lines above li start with "Phụ lục"? */
static bool under_annex_title(const struct vns_meta_text *t, size_t li)
{
    for (size_t k = 1; k <= 3 && k <= li; k++) {
        size_t b, e;
        vns_meta_line(t, li - k, &b, &e);
        if (vns_meta_word(t, b, "phu luc", NULL))
            return true;
    }
    return false;
}

void vns_meta_find_annex(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t stop = t->nlines > 400 ? t->nlines - 400 : 0;

    if (m->number[0] != '\0')
        return;
    for (size_t li = stop; li < t->nlines; li++) {
        struct vns_meta_ymd d;
        const char *type;
        size_t b, e, a, end;

        vns_meta_line(t, li, &b, &e);
        if (vns_meta_at(t, b) == '(')
            b++;
        if (!vns_meta_word(t, b, "kem theo", &a) || !under_annex_title(t, li))
            continue;
        type = vns_meta_type_at(t, vns_meta_skip_spaces(t, a), &a);
        if (type == NULL || !after_so(t, vns_meta_skip_spaces(t, a), &a) ||
            !vns_meta_parse_number(t, a, false, m->number, sizeof(m->number),
                                   &end))
            continue;
        vns_meta_why(t, li, m->why.number, sizeof(m->why.number));
        snprintf(m->doc_type, sizeof(m->doc_type), "%s", type);
        vns_meta_why(t, li, m->why.doc_type, sizeof(m->why.doc_type));
        a = vns_meta_skip_spaces(t, end);
        if (vns_meta_word(t, a, "ngay", &a) &&
            vns_meta_parse_date(t, vns_meta_skip_spaces(t, a), false, &d,
                                &end) &&
            d.y != 0) {
            vns_meta_iso(d, m->date);
            vns_meta_why(t, li, m->why.date, sizeof(m->why.date));
        }
        return;
    }
}
