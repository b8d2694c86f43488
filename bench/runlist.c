/* bench/compare's anchors: queries, truth-derived allow-lists, latency
 * percentiles (see runlist.h). */
#include "runlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

double runlist_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_allow(const void *a, const void *b)
{
    const struct rl_allow *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);

    return c ? c : strcmp(x->doc, y->doc);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int load_allow(struct runlist *rl, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, acap = 0;
    ssize_t len;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) > 0) {
        char *tab = strchr(line, '\t');
        if (tab == NULL)
            continue;
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        *tab = '\0';
        if (rl->n_allow == acap) {
            acap = acap ? acap * 2 : 4096;
            rl->allow = realloc(rl->allow, acap * sizeof(*rl->allow));
            if (rl->allow == NULL)
                abort();
        }
        rl->allow[rl->n_allow].qid = strdup(line);
        rl->allow[rl->n_allow].doc = strdup(tab + 1);
        rl->n_allow++;
    }
    free(line);
    fclose(f);
    if (rl->n_allow)
        qsort(rl->allow, rl->n_allow, sizeof(*rl->allow), cmp_allow);
    return 0;
}

int runlist_load(struct runlist *rl, const char *queries, const char *allow)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0, qcap = 0, line_no = 0;

    memset(rl, 0, sizeof(*rl));
    if (allow != NULL && load_allow(rl, allow) != 0)
        return -1;
    f = fopen(queries, "r");
    if (f == NULL) {
        perror(queries);
        return -1;
    }
    while (getline(&line, &cap, f) > 0) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        json_t *qid = json_object_get(o, "qid");
        json_t *text = json_object_get(o, "query");
        struct rl_query *q;

        line_no++;
        if (!json_is_string(qid) || !json_is_string(text)) {
            fprintf(stderr, "%s:%zu: needs qid and query\n", queries, line_no);
            json_decref(o);
            free(line);
            fclose(f);
            return -1;
        }
        if (rl->n == qcap) {
            qcap = qcap ? qcap * 2 : 1024;
            rl->q = realloc(rl->q, qcap * sizeof(*rl->q));
            if (rl->q == NULL)
                abort();
        }
        q = &rl->q[rl->n++];
        memset(q, 0, sizeof(*q));
        q->qid = strdup(json_string_value(qid));
        q->text = strdup(json_string_value(text));
        /* the allow range of this qid: lower bound, then forward */
        {
            size_t lo = 0, hi = rl->n_allow;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(rl->allow[mid].qid, q->qid) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            q->allow_lo = q->allow_hi = lo;
            while (q->allow_hi < rl->n_allow &&
                   strcmp(rl->allow[q->allow_hi].qid, q->qid) == 0)
                q->allow_hi++;
            q->filtered = q->allow_hi > q->allow_lo;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    rl->ms = calloc(rl->n ? rl->n : 1, sizeof(*rl->ms));
    return rl->ms ? 0 : -1;
}

bool runlist_allows(const struct runlist *rl, const struct rl_query *q,
                    const char *doc)
{
    size_t lo = q->allow_lo, hi = q->allow_hi;

    if (!q->filtered)
        return true;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(rl->allow[mid].doc, doc);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);

    return n ? v[i < n ? i : n - 1] : 0;
}

void runlist_report(const struct runlist *rl, size_t errors)
{
    size_t n = rl->n;
    double *v, sum = 0;

    if (n == 0)
        return;
    v = malloc(n * sizeof(*v));
    if (v == NULL)
        return;
    memcpy(v, rl->ms, n * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    qsort(v, n, sizeof(*v), cmp_double);
    printf("queries %zu, errors %zu, latency ms: p50 %.2f p95 %.2f p99 "
           "%.2f max %.2f mean %.2f\n",
           n, errors, pct(v, n, 0.50), pct(v, n, 0.95), pct(v, n, 0.99),
           v[n - 1], sum / (double)n);
    free(v);
}

void runlist_fini(struct runlist *rl)
{
    for (size_t i = 0; i < rl->n; i++) {
        free(rl->q[i].qid);
        free(rl->q[i].text);
    }
    for (size_t i = 0; i < rl->n_allow; i++) {
        free(rl->allow[i].qid);
        free(rl->allow[i].doc);
    }
    free(rl->q);
    free(rl->allow);
    free(rl->ms);
    memset(rl, 0, sizeof(*rl));
}
