/* Error codes and the error record every vnsearch call fills in.
 * Messages name the file or input and the reason; codes stay stable. */
#ifndef VNSEARCH_ERR_H
#define VNSEARCH_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VNS_API __attribute__((visibility("default")))
#define VNS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VNS_API
#define VNS_PRINTF(a, b)
#endif

enum {
    VNS_OK = 0,
    VNS_EINVAL = -1,       /* bad argument from the caller */
    VNS_ENOMEM = -2,       /* allocation failed */
    VNS_EIO = -3,          /* read/write/stat failed */
    VNS_ENOTFOUND = -4,    /* no such file, document or term */
    VNS_EUNSUPPORTED = -5, /* a file type or encoding we do not read */
    VNS_ETOOBIG = -6,      /* over one of the VNS_MAX_* ceilings */
    VNS_EBADDATA = -7,     /* malformed input (broken HTML, bad UTF-8...) */
    VNS_EQUERY = -8,       /* the query cannot be parsed */
    VNS_EINDEX = -9,       /* the index reported an error */
    VNS_EBUSY = -10,       /* the index is locked by another writer */
    VNS_EINTERNAL = -11,   /* a bug of ours or a library's */
    VNS_EREMOTE = -12      /* a remote shard did not answer */
};

/* Ceilings: every growing buffer stops at one of these. */
#define VNS_MAX_FILE (64u * 1024 * 1024) /* bytes read from one file */
#define VNS_MAX_TEXT (16u * 1024 * 1024) /* bytes of text per document */
#define VNS_MAX_QUERY 1024u              /* bytes of query text */
#define VNS_MAX_QUERY_TERMS 64u          /* syllables in one query */

struct vns_err {
    int code;      /* VNS_E*, or VNS_OK */
    char msg[256]; /* "tb-12.pdf: PDF is encrypted" */
};

/* Record code and a printf-style message in err (which may be NULL).
 * Returns code, so a failing check is one line. */
VNS_API int vns_err_set(struct vns_err *err, int code, const char *fmt, ...)
    VNS_PRINTF(3, 4);
#if defined(__clang_analyzer__) && !defined(VNS_ERR_IMPL)
/* For clang's static analyzer (make lint), which does not see into err.c:
 * the value returned is the code given, so an error path never looks like
 * success. */
#define vns_err_set(err, code, ...)                                            \
    (vns_err_set((err), (code), __VA_ARGS__), (code))
#endif

/* Reset err to VNS_OK with an empty message. err may be NULL. */
VNS_API void vns_err_clear(struct vns_err *err);

/* A short English name for a code ("out of memory"); never NULL. */
VNS_API const char *vns_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
