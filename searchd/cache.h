/* vnsearchd's response cache: whole 200 answers of the search routes,
 * keyed by the normalized request, LRU within a byte budget. Which
 * requests are cached, and when the index changed, is server.c's call. */
#ifndef VNSEARCHD_CACHE_H
#define VNSEARCHD_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/api.h"

struct cache;

/* The counters for /metrics. */
struct cache_stats {
    uint64_t hits, misses;
    uint64_t bytes;   /* keys, bodies and bookkeeping held now */
    uint64_t entries; /* answers held now */
};

/* A cache of at most max_bytes (keys, bodies and per-entry bookkeeping
 * together); an answer whose entry would take more than max_entry bytes
 * is not kept. max_bytes 0: *out is NULL, and every call below takes a
 * NULL cache as "no cache". Errors: VNS_ENOMEM. Free with cache_free. */
int cache_new(size_t max_bytes, size_t max_entry, struct cache **out,
              struct vns_err *err);
void cache_free(struct cache *c);

/* The key of a request: path, then the parameters sorted by key and then
 * value, each length-prefixed (so "q=a&page=1" and "page=1&q=a" share
 * one; a key without "=" is told from one with an empty value). malloc'd
 * (free it); NULL when out of memory. */
char *cache_key(const char *path, const struct vns_param *p, size_t n,
                size_t *len);

/* The answer kept under key for generation gen (read after the index
 * handle moved to the newest revision): a malloc'd copy in *body (free
 * it) and its length in *len; returns 1, else 0 (a miss, counted). A
 * generation newer than the cache's drops every entry first; an older one
 * only misses. */
int cache_get(struct cache *c, uint64_t gen, const char *key, size_t klen,
              char **body, size_t *len);

/* Keep a copy of body under key, computed by a request that read gen
 * before its index handle moved on: kept only while gen is the newest
 * generation seen (an answer from an older revision is dropped), evicting
 * the least recently used entries to fit. */
void cache_put(struct cache *c, uint64_t gen, const char *key, size_t klen,
               const char *body, size_t len);

/* The counters; zeros for a NULL cache. */
void cache_stats(struct cache *c, struct cache_stats *out);

#endif
