/* Metadata extraction speed (type, number, date, deadlines, place, body)
 * in documents/s, beside the analysis of the same texts for scale. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract.h"
#include "gazetteer.h"
#include "meta.h"
#include "vnsearch/analyze.h"

/* nftw's callback takes no context: the texts gathered live here. */
static struct vns_extractor *ex;
static struct vns_text *texts;
static size_t ntexts, cap, bytes;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int gather(const char *path, const struct stat *st, int kind,
                  struct FTW *ftw)
{
    struct vns_text t = {0};

    (void)st;
    (void)ftw;
    if (kind != FTW_F || vns_extract_file(ex, path, &t, NULL) != VNS_OK)
        return 0;
    if (ntexts == cap) {
        cap = cap ? cap * 2 : 1024;
        texts = realloc(texts, cap * sizeof(*texts));
        if (texts == NULL)
            return 1;
    }
    bytes += t.len;
    texts[ntexts++] = t;
    return 0;
}

static int count(const struct vns_token *t, void *ctx)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    struct vns_gaz *gz = NULL;
    struct vns_bodies *bodies = NULL;
    struct vns_analyzer *an = NULL;
    struct vns_err err = {0};
    double best_meta = 1e9, best_an = 1e9;
    size_t toks = 0, rounds = 3;

    if (argc != 2) {
        fprintf(stderr, "usage: bench_meta DIR\n");
        return 2;
    }
    if (vns_extractor_new(&ex, &err) || vns_gaz_open(NULL, &gz, &err) ||
        vns_bodies_open(NULL, &bodies, &err) || vns_analyzer_new(&an, &err)) {
        fprintf(stderr, "bench_meta: %s\n", err.msg);
        return 1;
    }
    if (nftw(argv[1], gather, 16, FTW_PHYS) != 0 || ntexts == 0) {
        fprintf(stderr, "bench_meta: no text read under %s\n", argv[1]);
        return 1;
    }
    for (size_t r = 0; r < rounds; r++) {
        double t0 = now();
        for (size_t i = 0; i < ntexts; i++) {
            struct vns_meta m = {0};
            const struct vns_text *t = &texts[i];
            if (vns_meta_extract(t->text, t->len, t->title, &m, NULL) ==
                VNS_OK) {
                vns_meta_place(gz, t->text, t->len, &m, NULL);
                vns_meta_body(bodies, t->text, t->len, &m, NULL);
            }
            vns_meta_fini(&m);
        }
        double t1 = now();
        toks = 0;
        for (size_t i = 0; i < ntexts; i++)
            vns_analyze(an, texts[i].text, texts[i].len, count, &toks, NULL);
        double t2 = now();
        if (t1 - t0 < best_meta)
            best_meta = t1 - t0;
        if (t2 - t1 < best_an)
            best_an = t2 - t1;
    }
    printf("metadata: %.0f documents/s, %.1f MB/s (%zu documents, %.1f MB)\n",
           ntexts / best_meta, bytes / best_meta / 1e6, ntexts, bytes / 1e6);
    printf("analysis of the same texts: %.0f documents/s, %.1f MB/s "
           "(%zu tokens)\n",
           ntexts / best_an, bytes / best_an / 1e6, toks);
    for (size_t i = 0; i < ntexts; i++)
        vns_text_fini(&texts[i]);
    free(texts);
    vns_analyzer_free(an);
    vns_bodies_free(bodies);
    vns_gaz_free(gz);
    vns_extractor_free(ex);
    return 0;
}
