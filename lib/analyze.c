/* Tokenization: ICU word break over UTF-8 with byte offsets, word forms
 * from fold.c, and numbers, dates and codes kept whole as compounds. */
#include "vnsearch/analyze.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "fold.h"

/* A run of parts joined by '-' or '/' without spaces ("2771/QĐ-UBND") is
 * also indexed whole when one part holds a digit. */
#define MAX_PARTS 12

static const UChar empty[1] = {0};

/* UTF-16 code units kept between texts (8 MB); a longer text's buffer is
 * freed after it. */
#define KEEP_U16 (1u << 22)

struct vns_analyzer {
    UBreakIterator *bi;
    UText *ut;
    /* the text in UTF-16: ICU's word break runs 37-44% faster on it than
     * on a UTF-8 UText, conversion included (a 150 KB notice text) */
    UChar *u16;
    size_t u16_cap;
};

int vns_analyzer_new(struct vns_analyzer **out, struct vns_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    struct vns_analyzer *an = calloc(1, sizeof(*an));

    if (an == NULL)
        return vns_err_set(err, VNS_ENOMEM, "analyzer: out of memory");
    an->bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &st);
    if (U_FAILURE(st)) {
        free(an);
        return vns_err_set(err, VNS_EINTERNAL, "analyzer: ICU word break: %s",
                           u_errorName(st));
    }
    *out = an;
    return VNS_OK;
}

void vns_analyzer_free(struct vns_analyzer *an)
{
    if (an == NULL)
        return;
    ubrk_close(an->bi);
    utext_close(an->ut);
    free(an->u16);
    free(an);
}

struct group {
    struct vns_token parts[MAX_PARTS];
    size_t n;
    int has_digit;
};

/* Emit the compound of a closed group, if it is one. */
static int flush_compound(const char *text, struct group *g, vns_token_fn fn,
                          void *ctx)
{
    struct vns_token t;
    size_t ei = 0, fi = 0;
    int rc = 0;

    if (g->n >= 2 && g->has_digit) {
        memset(&t, 0, sizeof(t));
        t.off = g->parts[0].off;
        t.pos = g->parts[0].pos;
        t.flags = VNS_TOK_COMPOUND;
        for (size_t i = 0; i < g->n; i++) {
            const struct vns_token *p = &g->parts[i];
            size_t el = strlen(p->exact), fl = strlen(p->folded);
            if (ei + el + 2 > sizeof(t.exact) || fi + fl + 2 > sizeof(t.folded))
                goto out; /* too long to be a useful term */
            if (i > 0) {
                /* the connector as written: '-' or '/' */
                t.exact[ei++] = text[p->off - 1];
                t.folded[fi++] = text[p->off - 1];
            }
            memcpy(t.exact + ei, p->exact, el);
            memcpy(t.folded + fi, p->folded, fl);
            ei += el;
            fi += fl;
            t.flags |=
                p->flags & (VNS_TOK_ALPHA | VNS_TOK_DIGIT | VNS_TOK_MARKED);
        }
        t.exact[ei] = '\0';
        t.folded[fi] = '\0';
        t.len = g->parts[g->n - 1].off + g->parts[g->n - 1].len - t.off;
        rc = fn(&t, ctx);
    }
out:
    g->n = 0;
    g->has_digit = 0;
    return rc;
}

/* Where the word break walks: a UTF-16 copy of text (valid UTF-8; its
 * boundaries go back to byte offsets by at()), else the UTF-8 itself
 * through a UText (text that is not valid UTF-8 as it is: ICU reads
 * each bad sequence as U+FFFD). */
struct walk {
    const char *text;
    int utf16;
    int32_t u;   /* a UTF-16 index */
    int32_t off; /* the byte offset of the same place */
};

static int walk_start(struct vns_analyzer *an, const char *text, size_t len,
                      struct walk *w)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;

    *w = (struct walk){text, 0, 0, 0};
    if (len + 1 > an->u16_cap) {
        UChar *u = realloc(an->u16, (len + 1) * sizeof(*u));
        if (u != NULL) {
            an->u16 = u;
            an->u16_cap = len + 1;
        }
    }
    if (len + 1 <= an->u16_cap) {
        u_strFromUTF8(an->u16, (int32_t)an->u16_cap, &n, text, (int32_t)len,
                      &st);
        if (U_SUCCESS(st)) {
            ubrk_setText(an->bi, an->u16, n, &st);
            w->utf16 = U_SUCCESS(st);
        }
    }
    if (!w->utf16) {
        st = U_ZERO_ERROR;
        an->ut = utext_openUTF8(an->ut, text, (int64_t)len, &st);
        ubrk_setUText(an->bi, an->ut, &st);
    }
    return U_SUCCESS(st) ? VNS_OK : VNS_EINTERNAL;
}

/* The byte offset of boundary b (past the last one asked: they come in
 * order). */
static int32_t at(struct walk *w, int32_t b)
{
    if (!w->utf16)
        return b;
    while (w->u < b) { /* one character: valid UTF-8, as ICU checked */
        unsigned char c = (unsigned char)w->text[w->off];
        int bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w->off += bytes;
        w->u += bytes == 4 ? 2 : 1;
    }
    return w->off;
}

int vns_analyze(struct vns_analyzer *an, const char *text, size_t len,
                vns_token_fn fn, void *ctx, struct vns_err *err)
{
    struct walk w;
    UErrorCode st = U_ZERO_ERROR;
    struct group *g = NULL;
    uint32_t pos = 0;
    int32_t start, end;
    int rc = VNS_OK;

    if (len > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_ETOOBIG, "text of %zu bytes is over %u",
                           len, VNS_MAX_TEXT);
    if (len == 0)
        return VNS_OK;
    g = malloc(sizeof(*g));
    if (g == NULL)
        return vns_err_set(err, VNS_ENOMEM, "analyzer: out of memory");
    g->n = 0;
    g->has_digit = 0;
    if (walk_start(an, text, len, &w) != VNS_OK) {
        rc = vns_err_set(err, VNS_EINTERNAL,
                         "analyzer: ICU word break "
                         "failed to start");
        goto out;
    }
    start = at(&w, ubrk_first(an->bi));
    for (end = ubrk_next(an->bi); end != UBRK_DONE;
         start = end, end = ubrk_next(an->bi)) {
        end = at(&w, end);
        struct vns_token *tok;
        if (ubrk_getRuleStatus(an->bi) == UBRK_WORD_NONE)
            continue;
        /* adjacent through exactly one '-' or '/': same compound. Closing
         * the group before the forms are known changes nothing: a token
         * without forms is passed over either way, and the next one is
         * not adjacent to the group's last. */
        if (g->n > 0) {
            const struct vns_token *last = &g->parts[g->n - 1];
            size_t gap_at = last->off + last->len;
            int joined = (size_t)start == gap_at + 1 &&
                         (text[gap_at] == '-' || text[gap_at] == '/');
            if (!joined || g->n == MAX_PARTS) {
                rc = flush_compound(text, g, fn, ctx);
                if (rc != 0)
                    goto out;
            }
        }
        /* built in its place in the group: a token is ~270 bytes, and
         * clearing and copying it was a sixth of the analysis */
        tok = &g->parts[g->n];
        tok->off = (size_t)start;
        tok->len = (size_t)(end - start);
        tok->flags = vns_word_forms(text + start, tok->len, tok->exact,
                                    tok->folded, sizeof(tok->exact));
        if (tok->flags == 0)
            continue;
        tok->pos = pos++;
        rc = fn(tok, ctx);
        if (rc != 0)
            goto out;
        g->n++;
        if (tok->flags & VNS_TOK_DIGIT)
            g->has_digit = 1;
    }
    rc = flush_compound(text, g, fn, ctx);
out:
    /* the UText must not outlive text */
    st = U_ZERO_ERROR;
    ubrk_setText(an->bi, empty, 0, &st);
    if (an->u16_cap > KEEP_U16) { /* a rare long text: not kept */
        free(an->u16);
        an->u16 = NULL;
        an->u16_cap = 0;
    }
    free(g);
    return rc;
}
