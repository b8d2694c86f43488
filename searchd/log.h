/* vnsearchd's log: one line per request (method, path, status, time) and
 * daemon events; never a query. Reopened on SIGHUP for log rotation. */
#ifndef VNSEARCHD_LOG_H
#define VNSEARCHD_LOG_H

#include "vnsearch/err.h"

/* Log to path (appending), or to stderr when path is NULL. */
int log_open(const char *path, struct vns_err *err);
/* Open the file again (after a rotation); stderr stays stderr. */
int log_reopen(struct vns_err *err);
void log_close(void);

/* "2025-07-01T08:00:00Z GET /api/search 200 1.234ms"; path is the URL
 * path only (the query string never reaches here). */
void log_request(const char *method, const char *path, int status, double ms);
void log_msg(const char *fmt, ...) VNS_PRINTF(1, 2);

#endif
