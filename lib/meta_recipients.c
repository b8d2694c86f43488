/* The recipients of a notice: the "Nơi nhận:" list above the signature,
 * one entry per "- " item, wrapped items joined back. */
#include <stdlib.h>
#include <string.h>

#include "meta_impl.h"

/* Lines looked at after "Nơi nhận"; the list is short. */
#define MAX_LIST_LINES 60

/* A signature role line ("T/M BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"): letters
 * all capitals. Ends the list. */
static bool is_caps(const struct vns_meta_text *t, size_t b, size_t e)
{
    size_t letters = 0;

    for (size_t i = b; i < e; i++) {
        char c = vns_meta_at(t, i);
        if (c >= 'a' && c <= 'z')
            return false;
        letters += c >= 'A' && c <= 'Z';
    }
    return letters >= 3;
}

/* Trailing ",", ";", "." and spaces go. */
static void trim_end(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && strchr(",;. ", s[n - 1]) != NULL)
        s[--n] = '\0';
}

static void append_to(char *dst, const char *s)
{
    size_t o = strlen(dst), n = strlen(s);

    if (o + 1 + n + 1 > VNS_META_RECIPIENT_MAX)
        return; /* the entry is long enough to be recognised */
    dst[o++] = ' ';
    memcpy(dst + o, s, n + 1);
}

int vns_meta_find_recipients(const struct vns_meta_text *t, struct vns_meta *m)
{
    size_t li, b, e, after;
    char item[VNS_META_RECIPIENT_MAX];

    for (li = t->nlines; li-- > 0;) {
        vns_meta_line(t, li, &b, &e);
        if (vns_meta_word(t, b, "noi nhan", &after))
            break;
    }
    if (li == (size_t)-1)
        return VNS_OK;
    m->recipients = calloc(VNS_META_MAX_RECIPIENTS, sizeof(*m->recipients));
    if (m->recipients == NULL)
        return VNS_ENOMEM;
    /* "Nơi nhận: - Như trên;" keeps its first item on the same line */
    after = vns_meta_skip_spaces(t, after);
    if (vns_meta_at(t, after) == ':')
        after = vns_meta_skip_spaces(t, after + 1);
    b = after;
    for (size_t n = 0; n < MAX_LIST_LINES; n++) {
        bool bullet;
        if (n > 0) {
            if (++li >= t->nlines)
                break;
            vns_meta_line(t, li, &b, &e);
        }
        if (b >= e)
            continue;
        if (is_caps(t, b, e))
            break;
        bullet = vns_meta_at(t, b) == '-' || vns_meta_at(t, b) == '+';
        if (bullet)
            b = vns_meta_skip_spaces(t, b + 1);
        vns_meta_copy(t, b, e, false, item, sizeof(item));
        if (item[0] == '\0')
            continue;
        if (!bullet && m->n_recipients > 0) {
            /* an item wrapped onto this line */
            append_to(m->recipients[m->n_recipients - 1], item);
            continue;
        }
        if (m->n_recipients == VNS_META_MAX_RECIPIENTS)
            break;
        memcpy(m->recipients[m->n_recipients++], item, sizeof(item));
    }
    /* punctuation ends items, but is kept where a wrapped item joins */
    for (size_t i = 0; i < m->n_recipients; i++)
        trim_end(m->recipients[i]);
    return VNS_OK;
}
