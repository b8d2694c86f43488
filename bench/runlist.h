/* bench/compare's anchors: the queries of a gen-notices queries.jsonl, the
 * documents each filtered query may return (bench/truth_filter.py), and the
 * latency line every anchor prints the same way. */
#ifndef VNSEARCH_BENCH_RUNLIST_H
#define VNSEARCH_BENCH_RUNLIST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rl_query {
    char *qid;
    char *text;
    size_t allow_lo, allow_hi; /* range in runlist.allow; lo == hi: none */
    bool filtered;             /* restricted to allow[lo, hi) */
};

struct rl_allow {
    char *qid;
    char *doc;
};

struct runlist {
    struct rl_query *q;
    size_t n;
    struct rl_allow *allow; /* sorted by qid, then doc */
    size_t n_allow;
    double *ms; /* latency per query, filled by the caller */
};

/* Reads QUERIES (jansson) and ALLOW (may be NULL); 0 or -1 with a message
 * on stderr. Free with runlist_fini. */
int runlist_load(struct runlist *rl, const char *queries, const char *allow);
void runlist_fini(struct runlist *rl);

/* May query q return document doc? */
bool runlist_allows(const struct runlist *rl, const struct rl_query *q,
                    const char *doc);

/* Prints "queries N, errors E, latency ms: p50 .. p95 .. p99 .. max ..
 * mean .." as vnsearch --batch does. */
void runlist_report(const struct runlist *rl, size_t errors);

double runlist_now(void);

#ifdef __cplusplus
}
#endif

#endif
