/* The JSON API of vnsearchd without the HTTP: request parameters in,
 * validated options and JSON response text out (the daemon only moves
 * bytes). Every function here takes hostile input. */
#ifndef VNSEARCH_API_H
#define VNSEARCH_API_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "vnsearch/index.h"
#include "vnsearch/search.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One query-string parameter, URL-decoded: bytes, not C strings, so that
 * an encoded NUL (%00) is seen. value is NULL for "?key" without "=". */
struct vns_param {
    const char *key;
    size_t key_len;
    const char *value;
    size_t value_len;
};

#define VNS_API_MAX_SIZE 100     /* hits per page */
#define VNS_API_MAX_DEPTH 10000u /* page * size */
#define VNS_API_MAX_URL 8192u    /* bytes of a request's URL */

/* A search request, parsed: q and the option strings point into the
 * parameters (keep them alive while this is used). */
struct vns_api_search {
    const char *q; /* "" when absent */
    size_t qlen;
    size_t page; /* from 1 */
    size_t size; /* 1..VNS_API_MAX_SIZE, default 10 */
    int facets;  /* default 1; facets=0 skips counting them */
    struct vns_search_opts opts;
};

/* Parse the parameters of GET /api/search: q, province, province_2025,
 * body, type, from, to, deadline_from, deadline_to, has_deadline (1, 0,
 * true, false), sort (relevance or date), page, size, facets.
 * Errors: VNS_EBADDATA (not UTF-8, or a NUL byte), VNS_EINVAL (unknown or
 * repeated parameter, bad number or sort), VNS_ETOOBIG (q over
 * VNS_MAX_QUERY bytes, page * size over VNS_API_MAX_DEPTH). Names and
 * dates are checked by vns_search itself (VNS_EQUERY). */
VNS_API int vns_api_parse_search(const struct vns_param *p, size_t n,
                                 struct vns_api_search *out,
                                 struct vns_err *err);

/* GET /api/search: parse, search (time_limit seconds, 0 for none) and
 * answer {"total", "total_exact", "page", "size", "took_ms", "hits":
 * [vns_hit_json...], "facets": {province, issuing_body, doc_type, month}}.
 * *out is malloc'd (free it). Errors: those of vns_api_parse_search and
 * vns_search. */
VNS_API int vns_api_search(struct vns_index *ix, const struct vns_param *p,
                           size_t n, double time_limit, char **out,
                           struct vns_err *err);

/* GET /api/doc/{id}: {"id", "title", "format", "path", "meta": {...},
 * "text"}; *out is malloc'd (free it). id is checked like a parameter.
 * Errors: VNS_ENOTFOUND, VNS_EBADDATA, VNS_EINDEX, VNS_ENOMEM. */
VNS_API int vns_api_doc(struct vns_index *ix, const char *id, size_t idlen,
                        char **out, struct vns_err *err);

/* The original file of a document, open for reading. */
struct vns_api_file {
    int fd;              /* -1 when none; vns_api_file_fini closes it */
    uint64_t size;       /* bytes */
    char mime[160];      /* "text/plain; charset=utf-8", from its bytes */
    char filename[1200]; /* Content-Disposition value, RFC 6266 */
};

/* GET /api/doc/{id}/raw: open the file whose path the index stored for id
 * (never a path from the request); a regular file only. Errors:
 * VNS_ENOTFOUND (no such document, no path stored, or the file is gone),
 * VNS_EBADDATA (bad id), VNS_EIO, VNS_EINTERNAL (libmagic). */
VNS_API int vns_api_raw(struct vns_index *ix, const char *id, size_t idlen,
                        struct vns_api_file *out, struct vns_err *err);
VNS_API void vns_api_file_fini(struct vns_api_file *f);

/* GET /api/suggest?q=: {"suggestions": [{"text", "word", "count"}...]}
 * (see vns_suggest). *out is malloc'd (free it). Errors: VNS_EBADDATA,
 * VNS_EINVAL (unknown or repeated parameter), VNS_ETOOBIG, VNS_EINDEX. */
VNS_API int vns_api_suggest(struct vns_index *ix, const struct vns_param *p,
                            size_t n, char **out, struct vns_err *err);

/* The HTTP status for a VNS_E* code: 400 (EINVAL, EQUERY, EBADDATA,
 * EUNSUPPORTED), 404 (ENOTFOUND), 413 (ETOOBIG), 503 (EBUSY), else 500. */
VNS_API int vns_api_status(int code);

/* {"error": "bad_request", "message": message} for an HTTP status; the
 * message of a 5xx is replaced by a generic one (no internals leak).
 * malloc'd (free it); NULL when out of memory. */
VNS_API char *vns_api_error_json(int status, const char *message);

/* GET /api: the endpoints and their parameters, as static JSON text. */
VNS_API const char *vns_api_describe(void);

/* Percent-decode s in place ("%C4%91" -> "đ"; a "%" not followed by two
 * hex digits stays as it is; "+" is left alone). A decoded NUL becomes the
 * byte 0xC0, never valid UTF-8, so vns_api_text_ok refuses it later
 * instead of the text being cut short. Returns the new length. */
VNS_API size_t vns_api_unescape(char *s);

/* Is s (len bytes) valid UTF-8 without NUL bytes? */
VNS_API int vns_api_text_ok(const char *s, size_t len);

/* Does an Authorization header value ("Bearer abc", scheme in any case)
 * carry token (tlen bytes)? Compares in time that depends on tlen only.
 * header may be NULL (no header: false). */
VNS_API int vns_api_bearer_ok(const char *header, const char *token,
                              size_t tlen);

#ifdef __cplusplus
}
#endif

#endif
