/* Content sniffing with libmagic: type and charset from the bytes alone.
 * What to do with each type is extract.c's decision. */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

#include <magic.h>

/* libmagic reads this much of a buffer; the start tells the type. */
#define SNIFF_BYTES (1024u * 1024u)
/* ...and checks the text encoding over this much of it. */
#define SNIFF_ENCODING (256u * 1024u)
/* A regex test of the magic database scans this many bytes at most.
 * Text files go through dozens of them (scripts, sources, troff), a
 * third of libmagic's time on a notice (perf). 4096 -> 256: 400 files of
 * gen-notices medium seed 21, 1.24 -> 0.92 ms a file (three runs each,
 * interleaved); of 3,710 files (3,000 of that corpus, corpus/, tests/)
 * only three JavaScript sources typed otherwise (text/plain); indexing
 * small seed 701 with --jobs 2, CPU 21.1 -> 20.6 s (median of three),
 * wall clock the same (the writer bounds it), every query's top 100 the
 * same. */
#define SNIFF_REGEX 256u

struct vns_detector {
    magic_t cookie;
};

/* Tighter than libmagic's defaults: we only need a type, and hostile
 * files must not make it chase indirections or run long regexes. */
static int set_limits(magic_t cookie)
{
    static const struct {
        int param;
        size_t value;
    } limits[] = {
        {MAGIC_PARAM_BYTES_MAX, SNIFF_BYTES},
        {MAGIC_PARAM_ENCODING_MAX, SNIFF_ENCODING},
        {MAGIC_PARAM_INDIR_MAX, 15},
        {MAGIC_PARAM_NAME_MAX, 30},
        {MAGIC_PARAM_REGEX_MAX, SNIFF_REGEX},
    };

    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
        if (magic_setparam(cookie, limits[i].param, &limits[i].value) != 0)
            return -1;
    return 0;
}

int vns_detector_new(struct vns_detector **out, struct vns_err *err)
{
    struct vns_detector *d;
    int rc = VNS_OK;

    d = calloc(1, sizeof(*d));
    if (d == NULL)
        return vns_err_set(err, VNS_ENOMEM, "libmagic: out of memory");
    /* MAGIC_NO_CHECK_COMPRESS: a gzip is a gzip, never look inside */
    d->cookie = magic_open(MAGIC_MIME | MAGIC_NO_CHECK_COMPRESS |
                           MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
    if (d->cookie == NULL) {
        rc = vns_err_set(err, VNS_EINTERNAL, "libmagic: cannot start");
        goto out;
    }
    if (magic_load(d->cookie, NULL) != 0) {
        rc = vns_err_set(err, VNS_EINTERNAL, "libmagic: %s",
                         magic_error(d->cookie) ? magic_error(d->cookie)
                                                : "cannot load database");
        goto out;
    }
    if (set_limits(d->cookie) != 0) {
        rc = vns_err_set(err, VNS_EINTERNAL, "libmagic: cannot set limits");
        goto out;
    }
    *out = d;
    d = NULL;
out:
    vns_detector_free(d);
    return rc;
}

void vns_detector_free(struct vns_detector *d)
{
    if (d == NULL)
        return;
    if (d->cookie != NULL)
        magic_close(d->cookie);
    free(d);
}

/* Copy s[0..n) lower case into dst (size dstsz), NUL-terminated. */
static void copy_lower(char *dst, size_t dstsz, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n && i + 1 < dstsz; i++)
        dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    dst[i] = '\0';
}

int vns_detector_sniff(struct vns_detector *d, const char *data, size_t len,
                       struct vns_mime *out, struct vns_err *err)
{
    const char *res, *semi, *cs;
    size_t n;

    /* libmagic stops at its byte limit anyway; say so up front */
    res = magic_buffer(d->cookie, data, len < SNIFF_BYTES ? len : SNIFF_BYTES);
    if (res == NULL)
        return vns_err_set(err, VNS_EINTERNAL, "libmagic: %s",
                           magic_error(d->cookie) ? magic_error(d->cookie)
                                                  : "no answer");
    /* "text/plain; charset=utf-8" */
    semi = strchr(res, ';');
    n = semi != NULL ? (size_t)(semi - res) : strlen(res);
    copy_lower(out->type, sizeof(out->type), res, n);
    out->charset[0] = '\0';
    cs = semi != NULL ? strstr(semi, "charset=") : NULL;
    if (cs != NULL) {
        cs += strlen("charset=");
        copy_lower(out->charset, sizeof(out->charset), cs, strcspn(cs, " ;"));
    }
    return VNS_OK;
}
