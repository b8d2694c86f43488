/* Index handles for the worker threads: a vns_index is not thread-safe, so
 * each request borrows one, moved to the newest committed revision. */
#ifndef VNSEARCHD_POOL_H
#define VNSEARCHD_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/vnsearch.h"

struct pool;

/* Open the index in db once (to fail early) and keep up to cap idle
 * handles, opened with mode (VNS_INDEX_READ, maybe VNS_INDEX_PARTIAL).
 * Errors as vns_index_open. Free with pool_free. */
int pool_new(const char *db, int mode, size_t cap, struct pool **out,
             struct vns_err *err);
void pool_free(struct pool *p);

/* Borrow a handle showing the newest revision; give it back with
 * pool_put. When the index on disk can no longer be read (damaged), an
 * idle handle keeps its last good snapshot and is lent as it is (logged
 * once a minute). Errors as vns_index_open. */
int pool_get(struct pool *p, struct vns_index **out, struct vns_err *err);
void pool_put(struct pool *p, struct vns_index *ix);

/* When a newer revision was last picked up (seconds since the epoch). */
double pool_last_reopen(struct pool *p);

/* A counter bumped whenever a handle moved to a newer revision (possibly
 * on another index under the name) or was opened afresh at a revision
 * other than the last one a handle showed: an answer computed after
 * reading generation g, then pool_get, holds while it is still g. Bumped
 * once per handle that catches up, so a commit may bump it a few times. */
uint64_t pool_generation(struct pool *p);

#endif
