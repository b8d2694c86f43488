/* An index's files read into the page cache, so that a daemon started on
 * a cold page cache (after a reboot, or once other work pushed the index
 * out) answers its first searches from memory, not from the disk block by
 * block. Medium seed 21: its postings and document data are 253 MB, read
 * in ~0.5 s on this machine. posix_fadvise(WILLNEED) over a whole file
 * would cost no copy, but this machine's kernel then read only its
 * readahead window (the file read after it took as long as a cold one:
 * 0.60 against 0.70 s, 0.03 once cached), so the files are read. */
#ifndef VNSEARCH_LIB_PRELOAD_H
#define VNSEARCH_LIB_PRELOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

struct vns_preload_stats {
    unsigned files;      /* read, whole or up to the budget */
    uint64_t bytes;      /* read */
    unsigned unreadable; /* skipped: could not be opened or read */
};

/* Read the table files a search reads of the index at path (a folder, or
 * a sharded one's stub: its local shards, remote ones skipped) until
 * budget bytes are read, the postings and values of every shard first;
 * the term lists, which only a writer reads, never. Stops between chunks
 * once *stop (may be NULL) is set. Best effort: a file that cannot be
 * read is counted in st->unreadable and skipped; VNS_EIO, said in err,
 * only when the index itself (or its stub) cannot be read. */
int vns_preload_index(const char *path, uint64_t budget, const atomic_int *stop,
                      struct vns_preload_stats *st, struct vns_err *err);

/* The budget when none is set: half the machine's memory. */
uint64_t vns_preload_default_budget(void);

#endif
