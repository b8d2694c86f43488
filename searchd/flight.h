/* Requests for the same answer at once: the first computes it, the
 * others wait, suspended, and are then answered from the response cache.
 * After a commit empties the cache, or while it fills from a cold start,
 * a search asked by many clients at once is computed once, not once
 * each. */
#ifndef VNSEARCHD_FLIGHT_H
#define VNSEARCHD_FLIGHT_H

#include <stddef.h>

struct flights;

struct flights *flights_new(void);
void flights_free(struct flights *f);

/* Is the answer of key being computed? If so, call park(waiter) (it
 * suspends the request; under the lock, so no wake can come first),
 * remember waiter and return 1; else note that the caller computes it and
 * return 0. -1: out of memory (the caller computes it, unnoted). */
int flights_join(struct flights *f, const char *key, size_t klen, void *waiter,
                 void (*park)(void *waiter));
/* The answer of key is computed (or given up): wake(waiter) for each
 * request waiting for it, and forget key. */
void flights_land(struct flights *f, const char *key, size_t klen,
                  void (*wake)(void *waiter));

#endif
