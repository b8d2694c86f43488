/* Keeping an index current: crawl the roots once, then follow them with
 * inotify (Linux) and re-index what changes, in batches. */
#ifndef VNSEARCH_WATCH_H
#define VNSEARCH_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/crawl.h"
#include "vnsearch/err.h"
#include "vnsearch/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called on the calling thread after the first crawl (first = 1) and
 * after each batch's commit, with that run's counters. */
typedef void (*vns_watch_fn)(const struct vns_crawl_stats *stats, int first,
                             void *ctx);

struct vns_watch_opts {
    /* roots, manifest, jobs, on_event...: for the first crawl and every
     * batch (force: the first crawl only) */
    const struct vns_crawl_opts *crawl;
    /* when readable (e.g. a pipe a signal handler writes to): take the
     * events queued, index the files closed so far, commit, return;
     * -1: run until an error */
    int stop_fd;
    unsigned debounce_ms;  /* quiet time that ends a batch (0: 300) */
    unsigned settle_ms;    /* a file written but not closed is read after
                              this quiet time (0: 3000) */
    vns_watch_fn on_batch; /* or NULL */
    void *ctx;
};

/* Crawl opts->crawl's roots into ix (opened for writing) as vns_crawl
 * does, then keep the index current until stop_fd is readable: a file
 * closed after writing, moved, deleted, or whose sidecar changed, goes in
 * (or out) at the next batch, a batch being the events up to a quiet
 * time of debounce_ms (at most about a second), committed once (see
 * vns_crawl_paths). New folders are followed, folders moved out or
 * deleted lose their documents, a .vnsearch-ignore that changes re-walks
 * its folder, and a lost event (the kernel queue overflowed) re-crawls
 * every root. A root that disappears keeps its documents and is crawled
 * again when it is back. Files that fail are reported through on_event
 * and do not stop the watch. Returns VNS_OK after a stop, else an error
 * of the index (VNS_EINDEX, VNS_ENOMEM...) or VNS_EIO when inotify is not
 * available; what was committed stays. */
VNS_API int vns_watch(struct vns_index *ix, const struct vns_watch_opts *opts,
                      struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
