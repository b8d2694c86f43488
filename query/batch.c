/* vnsearch --batch: run every query of a gen-notices queries file in one
 * process, write a TREC run for eval-run, print latency percentiles. */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

/* Hits kept per query in the run. */
#define RUN_DEPTH 100

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);

    return n ? v[i < n ? i : n - 1] : 0;
}

static const char *field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

int batch_run(struct vns_index *ix, const char *queries, const char *runpath,
              const struct vns_search_opts *base)
{
    FILE *in = fopen(queries, "r"), *out = NULL;
    double *ms = NULL;
    size_t n = 0, cap = 0, errors = 0, line_no = 0;
    char *line = NULL;
    size_t lcap = 0;
    int status = 0;

    if (in == NULL) {
        perror(queries);
        return 2;
    }
    out = fopen(runpath, "w");
    if (out == NULL) {
        perror(runpath);
        fclose(in);
        return 2;
    }
    while (getline(&line, &lcap, in) > 0) {
        struct vns_search_opts o = *base;
        struct vns_results res = {0};
        struct vns_err err = {0};
        json_error_t je;
        json_t *q = json_loads(line, 0, &je), *f;
        const char *qid, *text;
        double t0;

        line_no++;
        qid = field(q, "qid");
        text = field(q, "query");
        if (qid == NULL || text == NULL) {
            fprintf(stderr, "%s:%zu: needs qid and query\n", queries, line_no);
            json_decref(q);
            status = 2;
            break;
        }
        f = json_object_get(q, "filters");
        o.province = field(f, "province");
        o.province_2025 = field(f, "province_2025");
        o.body = field(f, "issuing_body");
        o.type = field(f, "doc_type");
        o.date_from = field(f, "date_from");
        o.date_to = field(f, "date_to");
        o.limit = RUN_DEPTH;
        o.snippet_hits = 10; /* a search box shows ten, with snippets */
        t0 = now();
        if (vns_search(ix, text, strlen(text), &o, &res, &err) != VNS_OK) {
            fprintf(stderr, "vnsearch: %s: %s\n", qid, err.msg);
            errors++;
        }
        if (n == cap) {
            double *grown;

            cap = cap ? cap * 2 : 1024;
            grown = realloc(ms, cap * sizeof(*ms));
            if (grown == NULL) {
                fprintf(stderr, "vnsearch: --batch: out of memory\n");
                vns_results_fini(&res);
                json_decref(q);
                status = 1;
                break;
            }
            ms = grown;
        }
        ms[n++] = (now() - t0) * 1000.0;
        for (size_t i = 0; i < res.n; i++)
            fprintf(out, "%s Q0 %s %u %.9f vnsearch\n", qid, res.hits[i].id,
                    res.hits[i].rank, res.hits[i].score);
        vns_results_fini(&res);
        json_decref(q);
    }
    free(line);
    fclose(in);
    if (fclose(out) != 0) {
        perror(runpath);
        status = 1;
    }
    if (n > 0) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += ms[i];
        qsort(ms, n, sizeof(*ms), cmp_double);
        printf("queries %zu, errors %zu, latency ms: p50 %.2f p95 %.2f p99 "
               "%.2f max %.2f mean %.2f\n",
               n, errors, pct(ms, n, 0.50), pct(ms, n, 0.95), pct(ms, n, 0.99),
               ms[n - 1], sum / (double)n);
    }
    free(ms);
    return status ? status : errors ? 1 : 0;
}
