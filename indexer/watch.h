/* vnsearch-index --watch: the signals that stop the watch and the lines it
 * prints; the watching itself is lib/watch.c (vns_watch). */
#ifndef VNSEARCH_INDEXER_WATCH_H
#define VNSEARCH_INDEXER_WATCH_H

#include "vnsearch/vnsearch.h"

/* Index o's roots into ix (db: its folder, for the messages), then keep
 * them current until SIGTERM or SIGINT, which end the batch under way,
 * commit and return. Prints the first crawl's summary, then logs one
 * info line per batch. Returns the exit code: 0 after a signal, 2
 * after a fatal error (printed). */
int watch_run(struct vns_index *ix, const struct vns_crawl_opts *o,
              const char *db, int quiet);

#endif
