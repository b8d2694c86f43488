/* Analysis throughput: vns_analyze (word break + NFC + tone placement +
 * folding + compounds) against ICU's word break alone on the same text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "extract.h"
#include "vnsearch/analyze.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_token(const struct vns_token *t, void *ctx)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 0;
}

/* ICU alone: every boundary visited, word segments counted. */
static size_t icu_only(UBreakIterator *bi, const char *text, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    size_t n = 0;

    ubrk_setUText(bi, ut, &st);
    for (int32_t e = ubrk_next(bi); e != UBRK_DONE; e = ubrk_next(bi))
        if (ubrk_getRuleStatus(bi) != UBRK_WORD_NONE)
            n++;
    utext_close(ut);
    return n;
}

int main(int argc, char **argv)
{
    struct vns_analyzer *an = NULL;
    struct vns_err err = {0};
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi;
    char *text = NULL;
    size_t len = 0, cap = 0, rounds = 5;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_analyze FILE... (text, UTF-8)\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct vns_blob b = {0};
        if (vns_blob_read(argv[i], VNS_MAX_FILE, &b, &err) != VNS_OK) {
            fprintf(stderr, "bench_analyze: %s\n", err.msg);
            return 1;
        }
        if (len + b.len + 1 > cap) {
            cap = (len + b.len + 1) * 2;
            text = realloc(text, cap);
        }
        memcpy(text + len, b.data, b.len);
        len += b.len;
        text[len++] = '\n';
        vns_blob_fini(&b);
    }
    if (vns_analyzer_new(&an, &err) != VNS_OK) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        return 1;
    }
    bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &st);
    /* repeat the whole text until each side has run ~1 s, best of rounds */
    double best_an = 1e9, best_icu = 1e9;
    size_t toks = 0, words = 0;
    for (size_t r = 0; r < rounds; r++) {
        double t0 = now();
        toks = 0;
        vns_analyze(an, text, len, count_token, &toks, NULL);
        double t1 = now();
        words = icu_only(bi, text, len);
        double t2 = now();
        if (t1 - t0 < best_an)
            best_an = t1 - t0;
        if (t2 - t1 < best_icu)
            best_icu = t2 - t1;
    }
    printf("analysis: %.1f MB/s (%zu tokens)\n", len / best_an / 1e6, toks);
    printf("icu word break alone: %.1f MB/s (%zu words)\n",
           len / best_icu / 1e6, words);
    printf("ratio: %.0f%% of ICU word break alone (%zu bytes, best of %zu)\n",
           100.0 * best_icu / best_an, len, rounds);
    ubrk_close(bi);
    vns_analyzer_free(an);
    free(text);
    return 0;
}
