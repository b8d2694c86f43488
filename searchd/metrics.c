/* Lock-free counters (C11 atomics) read by /metrics; the text layout is
 * Prometheus' exposition format 0.0.4. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static const int statuses[] = {200, 400, 401, 404, 405, 413,
                               414, 429, 431, 500, 503};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds in seconds; the last bucket is +Inf. */
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,   0.25,   0.5,   1,    2.5,   5};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static atomic_ullong by_status[NSTATUS + 1]; /* the last one: any other */
static atomic_ullong buckets[NBOUNDS + 1];
static atomic_ullong sum_us;
static atomic_ullong errors;

void metrics_request(int status, double ms)
{
    size_t i;

    for (i = 0; i < NSTATUS && statuses[i] != status; i++)
        ;
    atomic_fetch_add(&by_status[i], 1);
    for (i = 0; i < NBOUNDS && ms / 1000.0 > bounds[i]; i++)
        ;
    atomic_fetch_add(&buckets[i], 1);
    atomic_fetch_add(&sum_us, (unsigned long long)(ms * 1000.0));
    if (status >= 500)
        atomic_fetch_add(&errors, 1);
}

char *metrics_text(uint64_t documents, double last_reopen, uint64_t reopens,
                   unsigned in_flight, const struct cache_stats *cache)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned long long total = 0;

    if (f == NULL)
        return NULL;
    fputs("# HELP vnsearchd_requests_total Requests answered, by status.\n"
          "# TYPE vnsearchd_requests_total counter\n",
          f);
    for (size_t i = 0; i <= NSTATUS; i++) {
        unsigned long long n = atomic_load(&by_status[i]);
        if (i < NSTATUS)
            fprintf(f, "vnsearchd_requests_total{status=\"%d\"} %llu\n",
                    statuses[i], n);
        else
            fprintf(f, "vnsearchd_requests_total{status=\"other\"} %llu\n", n);
    }
    fputs("# HELP vnsearchd_request_duration_seconds Time to answer.\n"
          "# TYPE vnsearchd_request_duration_seconds histogram\n",
          f);
    for (size_t i = 0; i <= NBOUNDS; i++) {
        total += atomic_load(&buckets[i]);
        if (i < NBOUNDS)
            fprintf(f,
                    "vnsearchd_request_duration_seconds_bucket{le=\"%g\"} "
                    "%llu\n",
                    bounds[i], total);
        else
            fprintf(f,
                    "vnsearchd_request_duration_seconds_bucket{le=\"+Inf\"} "
                    "%llu\n",
                    total);
    }
    fprintf(f, "vnsearchd_request_duration_seconds_sum %.6f\n",
            (double)atomic_load(&sum_us) / 1e6);
    fprintf(f, "vnsearchd_request_duration_seconds_count %llu\n", total);
    fprintf(f,
            "# HELP vnsearchd_errors_total Answers with a 5xx status.\n"
            "# TYPE vnsearchd_errors_total counter\n"
            "vnsearchd_errors_total %llu\n",
            (unsigned long long)atomic_load(&errors));
    fprintf(f,
            "# HELP vnsearchd_index_documents Documents in the index.\n"
            "# TYPE vnsearchd_index_documents gauge\n"
            "vnsearchd_index_documents %llu\n",
            (unsigned long long)documents);
    fprintf(f,
            "# HELP vnsearchd_index_last_reopen_timestamp_seconds When a "
            "newer index revision was last picked up (or first opened).\n"
            "# TYPE vnsearchd_index_last_reopen_timestamp_seconds gauge\n"
            "vnsearchd_index_last_reopen_timestamp_seconds %.3f\n",
            last_reopen);
    fprintf(f,
            "# HELP vnsearchd_index_reopens_total Index handles moved to "
            "a newer revision or opened afresh (each handle of the pool "
            "counts).\n"
            "# TYPE vnsearchd_index_reopens_total counter\n"
            "vnsearchd_index_reopens_total %llu\n",
            (unsigned long long)reopens);
    fprintf(f,
            "# HELP vnsearchd_in_flight_requests Requests being answered.\n"
            "# TYPE vnsearchd_in_flight_requests gauge\n"
            "vnsearchd_in_flight_requests %u\n",
            in_flight);
    fprintf(f,
            "# HELP vnsearchd_cache_hits_total Answers from the response "
            "cache.\n"
            "# TYPE vnsearchd_cache_hits_total counter\n"
            "vnsearchd_cache_hits_total %llu\n"
            "# HELP vnsearchd_cache_misses_total Cacheable requests the "
            "cache did not hold.\n"
            "# TYPE vnsearchd_cache_misses_total counter\n"
            "vnsearchd_cache_misses_total %llu\n"
            "# HELP vnsearchd_cache_bytes Bytes the response cache holds.\n"
            "# TYPE vnsearchd_cache_bytes gauge\n"
            "vnsearchd_cache_bytes %llu\n"
            "# HELP vnsearchd_cache_entries Answers the response cache "
            "holds.\n"
            "# TYPE vnsearchd_cache_entries gauge\n"
            "vnsearchd_cache_entries %llu\n",
            (unsigned long long)cache->hits, (unsigned long long)cache->misses,
            (unsigned long long)cache->bytes,
            (unsigned long long)cache->entries);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
