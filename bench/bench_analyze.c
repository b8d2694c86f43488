/* Analysis throughput: vns_analyze (word break + NFC + tone placement +
 * folding + compounds) against ICU's word break alone on the same text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>
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

/* ICU alone: every boundary visited, word segments counted; over the
 * UTF-8 through a UText, or (u16 not NULL, room for len + 1 units)
 * converted to UTF-16 first, as vns_analyze does: the faster of the two
 * is the limit the analysis is measured against. */
static size_t icu_only(UBreakIterator *bi, const char *text, size_t len,
                       UChar *u16)
{
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = NULL;
    int32_t n16 = 0;
    size_t n = 0;

    if (u16 != NULL) {
        u_strFromUTF8(u16, (int32_t)len + 1, &n16, text, (int32_t)len, &st);
        ubrk_setText(bi, u16, n16, &st);
    } else {
        ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
        ubrk_setUText(bi, ut, &st);
    }
    for (int32_t e = ubrk_next(bi); e != UBRK_DONE; e = ubrk_next(bi))
        if (ubrk_getRuleStatus(bi) != UBRK_WORD_NONE)
            n++;
    utext_close(ut);
    return n;
}

#define CHUNK (1u << 20)

/* Where the piece starting at s ends: after the last line break within
 * CHUNK bytes, else at CHUNK (or the end). */
static size_t piece_end(const char *text, size_t len, size_t s)
{
    size_t e = len - s <= CHUNK ? len : s + CHUNK;

    if (e == len)
        return e;
    for (size_t i = e; i > s; i--)
        if (text[i - 1] == '\n')
            return i;
    return e;
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
    /* the whole text, best of rounds, in pieces of at most CHUNK bytes cut
     * after a line (vns_analyze takes at most VNS_MAX_TEXT): both sides
     * see the same pieces */
    double best_an = 1e9, best_icu = 1e9, best_u16 = 1e9;
    UChar *u16 = malloc((CHUNK + 1) * sizeof(*u16));

    if (u16 == NULL) {
        fprintf(stderr, "bench_analyze: out of memory\n");
        return 1;
    }
    size_t toks = 0, words = 0;
    for (size_t r = 0; r < rounds; r++) {
        double t0 = now(), t1, t2, t3;
        toks = 0;
        for (size_t s = 0, e; s < len; s = e) {
            e = piece_end(text, len, s);
            if (vns_analyze(an, text + s, e - s, count_token, &toks, &err) !=
                VNS_OK) {
                fprintf(stderr, "bench_analyze: %s\n", err.msg);
                return 1;
            }
        }
        t1 = now();
        words = 0;
        for (size_t s = 0, e; s < len; s = e) {
            e = piece_end(text, len, s);
            words += icu_only(bi, text + s, e - s, NULL);
        }
        t2 = now();
        for (size_t s = 0, e; s < len; s = e) {
            e = piece_end(text, len, s);
            (void)icu_only(bi, text + s, e - s, u16);
        }
        t3 = now();
        if (t3 - t2 < best_u16)
            best_u16 = t3 - t2;
        if (t1 - t0 < best_an)
            best_an = t1 - t0;
        if (t2 - t1 < best_icu)
            best_icu = t2 - t1;
    }
    printf("analysis: %.1f MB/s (%zu tokens)\n", len / best_an / 1e6, toks);
    printf("icu word break alone: %.1f MB/s on UTF-8 (%zu words), %.1f MB/s "
           "on UTF-16 (conversion included)\n",
           len / best_icu / 1e6, words, len / best_u16 / 1e6);
    if (best_u16 < best_icu)
        best_icu = best_u16;
    printf("ratio: %.0f%% of ICU word break alone, the faster (%zu bytes, "
           "best of %zu)\n",
           100.0 * best_icu / best_an, len, rounds);
    ubrk_close(bi);
    vns_analyzer_free(an);
    free(u16);
    free(text);
    return 0;
}
