/* vnsearchd's log file: one line per request (method, path, status, time)
 * and daemon events (lib/logline.c's vns_log), never a query above debug.
 * Reopened on SIGHUP for log rotation. */
#ifndef VNSEARCHD_LOG_H
#define VNSEARCHD_LOG_H

#include "logline.h"
#include "vnsearch/err.h"

/* Log to path (appending), or to stderr when path is NULL, lines of level
 * and more severe, in format. */
int log_open(const char *path, enum vns_log_level level,
             enum vns_log_format format, struct vns_err *err);
/* Open the file again (after a rotation); stderr stays stderr. */
int log_reopen(struct vns_err *err);
void log_close(void);

/* level=info msg=request method=GET path=/api/search status=200 ms=1.234;
 * path is the URL path only (the query string never reaches here). */
void log_request(const char *method, const char *path, int status, double ms);

#endif
