/* The index read into the page cache by a thread of its own while the
 * first requests are served (lib/preload.h): its end, or a failure, is
 * one log line. */
#ifndef VNSEARCHD_WARMUP_H
#define VNSEARCHD_WARMUP_H

#include <stdint.h>

#include "vnsearch/err.h"

struct warmup;

/* Start reading up to budget bytes of the index at db; *out is NULL (and
 * nothing runs) when budget is 0. */
int warmup_start(const char *db, uint64_t budget, struct warmup **out,
                 struct vns_err *err);
/* Stop reading (between chunks) and wait for the thread; NULL is fine. */
void warmup_stop(struct warmup *w);

#endif
