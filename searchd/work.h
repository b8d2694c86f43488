/* The workers that search: a bounded queue of jobs and a few threads
 * running them, so that libmicrohttpd's own threads only read requests,
 * answer from the response cache and send. A request that misses the
 * cache waits here, not in front of the cached answers of the other
 * connections its MHD thread serves. */
#ifndef VNSEARCHD_WORK_H
#define VNSEARCHD_WORK_H

#include <stddef.h>

#include "vnsearch/err.h"

struct work;
typedef void (*work_fn)(void *job);

/* n threads running fn on each job pushed; at most cap jobs wait. */
int work_new(unsigned n, size_t cap, work_fn fn, struct work **out,
             struct vns_err *err);
/* Queue job: 0, or -1 when cap jobs wait already (the caller answers 503
 * itself; job is not taken). */
int work_push(struct work *w, void *job);
/* Run every job still queued, then stop the threads and free w. */
void work_free(struct work *w);

#endif
