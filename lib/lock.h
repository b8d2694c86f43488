/* The writer lock of an index folder: one vnsearch-index at a time, and
 * the refusal names the holder's PID. Xapian keeps its own lock too. */
#ifndef VNSEARCH_LIB_LOCK_H
#define VNSEARCH_LIB_LOCK_H

#include "vnsearch/err.h"

/* Create dir if needed and take its writer lock (flock on
 * dir/vnsearch.lock, which then holds our PID). *fd gets the descriptor
 * to pass to vns_lock_release. VNS_EBUSY "index is locked by PID n" when
 * another process holds it; the kernel releases it if we die (kill -9). */
int vns_lock_take(const char *dir, int *fd, struct vns_err *err);
void vns_lock_release(int fd);

#endif
