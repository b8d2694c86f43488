/* One log line of a program (vnsearch-index, vnsearchd): a level, a
 * message and key=value fields, written as logfmt for the journal or as
 * "prog: file: message" for a terminal. Where the lines go is the
 * program's business (an fd); what they may say is the caller's: never
 * document text or query text above VNS_LOG_DEBUG. */
#ifndef VNSEARCH_LIB_LOGLINE_H
#define VNSEARCH_LIB_LOGLINE_H

#include "vnsearch/err.h"

enum vns_log_level {
    VNS_LOG_ERROR, /* something failed: a file, a request, the program */
    VNS_LOG_WARN,  /* done, with a remark */
    VNS_LOG_INFO,  /* what a service does: start, stop, commits, requests */
    VNS_LOG_DEBUG  /* every file; query text may appear here only */
};

enum vns_log_format {
    VNS_LOG_TEXT,  /* "vnsearch-index: a.txt: warning: ..." */
    VNS_LOG_LOGFMT /* ts=... level=warn prog=... file=a.txt msg="..." */
};

/* Set up the process's log: program name (borrowed, kept), the most
 * verbose level shown, the format and the descriptor written to (each line
 * with one write(2), so threads never interleave). Callable again. */
void vns_log_setup(const char *prog, enum vns_log_level level,
                   enum vns_log_format format, int fd);

/* "error", "warn", "info", "debug"; "text", "logfmt". VNS_EINVAL with the
 * accepted words for anything else. */
int vns_log_parse_level(const char *s, enum vns_log_level *out,
                        struct vns_err *err);
int vns_log_parse_format(const char *s, enum vns_log_format *out,
                         struct vns_err *err);

/* Whether a line of this level would be written. */
int vns_log_on(enum vns_log_level level);

/* Write one line: msg, then pairs of (const char *key, const char *value)
 * ending with a NULL key; a pair whose value is NULL is left out. The key
 * "file" leads the text format ("prog: FILE: msg"); other fields follow
 * as " key=value". Values are quoted and escaped as logfmt needs; control
 * bytes are written as \xNN so a hostile file name cannot forge a line. */
void vns_log(enum vns_log_level level, const char *msg, ...);

/* As vns_log with a printf-formatted message and no fields. */
void vns_logf(enum vns_log_level level, const char *fmt, ...) VNS_PRINTF(2, 3);

#endif
