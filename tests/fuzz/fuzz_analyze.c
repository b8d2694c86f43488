/* Harness: the Vietnamese analyzer on arbitrary bytes: cleaning (NFC,
 * U+FFFD), folding, tokenizing and the paragraph repair of PDF text. */
#include "fuzz.h"

#include <string.h>

#include "fold.h"
#include "vnsearch/analyze.h"

static struct vns_analyzer *an;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (vns_analyzer_new(&an, NULL) != VNS_OK)
        abort();
    return 0;
}

struct tokctx {
    const char *text;
    size_t len;
    size_t n;
};

static int on_token(const struct vns_token *t, void *arg)
{
    struct tokctx *c = arg;

    FUZZ_CHECK(t->off <= c->len && t->len <= c->len - t->off);
    FUZZ_CHECK(memchr(t->exact, 0, sizeof(t->exact)) != NULL);
    FUZZ_CHECK(memchr(t->folded, 0, sizeof(t->folded)) != NULL);
    FUZZ_CHECK(fuzz_utf8_ok(t->exact, strlen(t->exact)));
    FUZZ_CHECK(fuzz_utf8_ok(t->folded, strlen(t->folded)));
    c->n++;
    return 0;
}

static void analyze(const char *s, size_t n)
{
    struct tokctx c = {s, n, 0};
    int rc = vns_analyze(an, s, n, on_token, &c, NULL);
    FUZZ_CHECK(rc == VNS_OK || rc < 0);
}

static void fold(const char *s)
{
    /* short buffers too: out must stay NUL-terminated */
    static const size_t sizes[] = {1, 2, 7, 64, 4096};
    char out[4096];

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        int rc = vns_fold(s, out, sizes[i]);
        FUZZ_CHECK(memchr(out, 0, sizes[i]) != NULL);
        FUZZ_CHECK(rc == VNS_OK || rc == VNS_ETOOBIG);
        rc = vns_exact(s, out, sizes[i]);
        FUZZ_CHECK(memchr(out, 0, sizes[i]) != NULL);
        FUZZ_CHECK(rc == VNS_OK || rc == VNS_ETOOBIG);
    }
}

/* the quick fold of running text (snippets, deadlines) and the per-word
 * forms, into buffers of exactly the size the headers ask for */
static void fold_text(const char *s, size_t n)
{
    char *out = malloc(n + 1), ex[VNS_TERM_MAX], fo[VNS_TERM_MAX];
    size_t w = n < 64 ? n : 64;

    if (out == NULL)
        return;
    size_t o = vns_fold_text(s, n, out);
    FUZZ_CHECK(o <= n && out[o] == '\0');
    free(out);
    /* a word fills the buffers or is refused: never cut, never past */
    for (size_t cap = 1; cap <= sizeof(ex); cap *= 4) {
        unsigned f = vns_word_forms(s, w, ex, fo, cap);
        if (f != 0) {
            FUZZ_CHECK(memchr(ex, 0, cap) != NULL);
            FUZZ_CHECK(memchr(fo, 0, cap) != NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *clean = NULL, *para = NULL, *z = NULL;
    size_t clen = 0, plen = 0, nbad = 0;

    /* raw bytes: invalid UTF-8 separates tokens */
    analyze(in, size);
    fold_text(in, size);

    if (vns_text_clean(in, size, &clean, &clen, &nbad, NULL) == VNS_OK) {
        FUZZ_CHECK(clean != NULL && clean[clen] == '\0');
        FUZZ_CHECK(fuzz_utf8_ok(clean, clen));
        FUZZ_CHECK(memchr(clean, 0, clen) == NULL);
        analyze(clean, clen);
        if (vns_paragraphs_repair(clean, clen, &para, &plen, NULL) == VNS_OK) {
            FUZZ_CHECK(para != NULL);
            FUZZ_CHECK(fuzz_utf8_ok(para, plen));
            analyze(para, plen);
            free(para);
            para = NULL;
        }
        if (size <= 4096)
            fold(clean);
    }
    /* repair takes whatever extraction gives, not only clean text */
    if (vns_paragraphs_repair(in, size, &para, &plen, NULL) == VNS_OK)
        FUZZ_CHECK(para != NULL);

    /* the string helpers on raw bytes up to the first NUL */
    if (size <= 4096) {
        z = malloc(size + 1);
        if (z != NULL) {
            memcpy(z, data, size);
            z[size] = '\0';
            fold(z);
        }
    }
    free(z);
    free(para);
    free(clean);
    return 0;
}
