/* Request counters for GET /metrics: responses by status, a latency
 * histogram and errors, in the Prometheus text format. */
#ifndef VNSEARCHD_METRICS_H
#define VNSEARCHD_METRICS_H

#include <stdint.h>

#include "cache.h"

/* Count one answered request (any thread). */
void metrics_request(int status, double ms);

/* The Prometheus text, with the gauges, the count of handles moved to a
 * newer revision (or opened) and the response cache's counters given; malloc'd
 * (free it), NULL when out of memory. */
char *metrics_text(uint64_t documents, double last_reopen, uint64_t reopens,
                   unsigned in_flight, const struct cache_stats *cache);

#endif
