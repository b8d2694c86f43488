/* Harness: the snippet and highlight builder. Input: one byte for the
 * width, the query up to the first newline, then the document text. Every
 * snippet must lie in the text, and every highlight inside its snippet on
 * UTF-8 code point boundaries (abort() otherwise), on the raw text and on
 * the same text cleaned as the index stores it; each with no guide, with
 * a guide of the text's own checkpoints and words at positions taken from
 * the input, and with a guide whose checkpoint value is the input's first
 * bytes (damaged, as a hostile index could hold). */
#include "fuzz.h"

#include <string.h>

#include "query.h"
#include "snippet.h"
#include "tokmap.h"

static struct vns_analyzer *an;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (vns_analyzer_new(&an, NULL) != VNS_OK)
        abort();
    return 0;
}

static int mark(const struct vns_token *t, void *arg)
{
    if (t->flags & VNS_TOK_COMPOUND)
        return 0;
    return vns_tokmap_add(arg, t->pos, t->off, NULL);
}

static void run_guided(const struct vns_query *q, const char *text, size_t len,
                       size_t width, const struct vns_snipguide *g, int clean);

static void run(const struct vns_query *q, const char *text, size_t len,
                size_t width, int clean)
{
    struct vns_tokmap_builder tm = {0};
    struct vns_wordpos wp[8];
    struct vns_hitwords words = {wp, 0};
    struct vns_snipguide g = {&words, NULL, 0, NULL, 0};

    run_guided(q, text, len, width, NULL, clean);
    for (size_t k = 0; k < 8 && k < len; k++) /* ascending, as read */
        wp[words.n++] = (struct vns_wordpos){
            (words.n ? wp[words.n - 1].pos : 0) + (uint8_t)text[k] % 40,
            (uint32_t)k % 3};
    if (vns_analyze(an, text, len, mark, &tm, NULL) == VNS_OK) {
        /* and a stretch shown already, from the input's first byte */
        struct vns_span shown = {len / 256 * (len ? (uint8_t)text[0] : 0),
                                 len / 3 + 1};
        g.tokmap = tm.buf;
        g.tokmap_len = tm.n;
        run_guided(q, text, len, width, &g, clean);
        g.shown = &shown;
        g.nshown = 1;
        run_guided(q, text, len, width, &g, clean);
        g.shown = NULL;
        g.nshown = 0;
    }
    vns_tokmap_fini(&tm);
    g.tokmap = text;
    g.tokmap_len = len < 16 ? len : 16;
    run_guided(q, text, len, width, &g, clean);
}

static void run_guided(const struct vns_query *q, const char *text, size_t len,
                       size_t width, const struct vns_snipguide *g, int clean)
{
    struct vns_snippet *sn = NULL;
    size_t nsn = 0;

    if (vns_snippets_make(an, text, len, q, 2, width, g, &sn, &nsn, NULL) !=
        VNS_OK)
        return;
    FUZZ_CHECK(nsn <= 2);
    for (size_t i = 0; i < nsn; i++) {
        const struct vns_snippet *s = &sn[i];
        FUZZ_CHECK(s->text != NULL && s->text[s->len] == '\0');
        /* a snippet is a piece of the text, never longer */
        FUZZ_CHECK(s->len <= len);
        if (clean)
            FUZZ_CHECK(fuzz_utf8_ok(s->text, s->len));
        for (size_t h = 0; h < s->nhl; h++) {
            size_t off = s->hl[h].off, hl = s->hl[h].len;
            FUZZ_CHECK(hl > 0);
            FUZZ_CHECK(off <= s->len && hl <= s->len - off);
            /* in order, not overlapping */
            if (h > 0)
                FUZZ_CHECK(s->hl[h - 1].off + s->hl[h - 1].len <= off);
            if (clean) {
                FUZZ_CHECK(fuzz_utf8_boundary(s->text, s->len, off));
                FUZZ_CHECK(fuzz_utf8_boundary(s->text, s->len, off + hl));
            }
        }
    }
    for (size_t i = 0; i < nsn; i++)
        vns_snippet_fini(&sn[i]);
    free(sn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vns_query q;
    const char *s = (const char *)data + 1, *nl, *text;
    char *clean = NULL;
    size_t n, qlen, tlen, clen = 0, width;

    if (size < 2)
        return 0;
    width = 10 + (size_t)data[0] * 2;
    n = size - 1;
    nl = memchr(s, '\n', n);
    if (nl == NULL)
        return 0;
    qlen = (size_t)(nl - s);
    text = nl + 1;
    tlen = n - qlen - 1;
    if (vns_query_parse(an, s, qlen, &q, NULL) != VNS_OK)
        return 0;
    run(&q, text, tlen, width, 0);
    if (vns_text_clean(text, tlen, &clean, &clen, NULL, NULL) == VNS_OK)
        run(&q, clean, clen, width, 1);
    free(clean);
    return 0;
}
