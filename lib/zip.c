/* Zip archives in memory with libzip: central directory lookups, entries
 * inflated under a ceiling. What the entries mean is the caller's concern. */
#include "zip.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

/* Inflated bytes are read this many at a time. */
#define CHUNK 65536

struct vns_zip {
    zip_t *za;
};

/* libzip's error codes that mean "we cannot read this" rather than
 * "this is broken". */
static int code_of(int ze)
{
    switch (ze) {
    case ZIP_ER_MEMORY:
        return VNS_ENOMEM;
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_COMPNOTSUPP:
        return VNS_EUNSUPPORTED;
    default:
        return VNS_EBADDATA;
    }
}

int vns_zip_open(const char *data, size_t len, struct vns_zip **out,
                 struct vns_err *err)
{
    struct vns_zip *z = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    zip_int64_t n;
    int rc = VNS_OK;

    zip_error_init(&ze);
    z = calloc(1, sizeof(*z));
    if (z == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "zip: out of memory");
        goto out;
    }
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (src == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "zip: out of memory");
        goto out;
    }
    /* ZIP_CHECKCONS: local headers must agree with the central directory */
    z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (z->za == NULL) {
        int code = zip_error_code_zip(&ze);

        if (code == ZIP_ER_NOZIP)
            rc = vns_err_set(err, VNS_EBADDATA,
                             "not a zip archive (truncated?)");
        else
            rc = vns_err_set(err, code_of(code), "damaged zip archive: %s",
                             zip_error_strerror(&ze));
        goto out;
    }
    src = NULL; /* the archive owns it now */
    n = zip_get_num_entries(z->za, 0);
    if (n < 0 || (zip_uint64_t)n > VNS_ZIP_MAX_ENTRIES) {
        rc = vns_err_set(err, VNS_ETOOBIG,
                         "zip archive of %lld entries, over %u", (long long)n,
                         VNS_ZIP_MAX_ENTRIES);
        goto out;
    }
    *out = z;
    z = NULL;
out:
    zip_source_free(src);
    zip_error_fini(&ze);
    vns_zip_close(z);
    return rc;
}

void vns_zip_close(struct vns_zip *z)
{
    if (z == NULL)
        return;
    if (z->za != NULL)
        zip_discard(z->za);
    free(z);
}

bool vns_zip_has(struct vns_zip *z, const char *name)
{
    return z != NULL && zip_name_locate(z->za, name, ZIP_FL_ENC_RAW) >= 0;
}

/* "64 MiB" for round sizes, else bytes. */
static void size_text(size_t n, char *buf, size_t bufsz)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(buf, bufsz, "%zu MiB", n / (1024 * 1024));
    else
        snprintf(buf, bufsz, "%zu bytes", n);
}

int vns_zip_read(struct vns_zip *z, const char *name, size_t max, char **out,
                 size_t *outlen, struct vns_err *err)
{
    zip_file_t *f = NULL;
    zip_int64_t idx, got;
    char *buf = NULL, *p, limit[32];
    size_t len = 0, cap = 0;
    int rc = VNS_OK;

    idx = zip_name_locate(z->za, name, ZIP_FL_ENC_RAW);
    if (idx < 0)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: not in the archive", name);
    f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (f == NULL) {
        zip_error_t *ze = zip_get_error(z->za);

        rc = vns_err_set(err, code_of(zip_error_code_zip(ze)), "%s: %s", name,
                         zip_error_strerror(ze));
        goto out;
    }
    for (;;) {
        if (cap - len < CHUNK + 1) {
            /* grow by what was really inflated, never by the header */
            size_t want = cap == 0 ? CHUNK + 1 : cap * 2;

            if (want > max + CHUNK + 1)
                want = max + CHUNK + 1;
            p = realloc(buf, want);
            if (p == NULL) {
                rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
                goto out;
            }
            buf = p;
            cap = want;
        }
        got = zip_fread(f, buf + len, CHUNK);
        if (got < 0) {
            zip_error_t *ze = zip_file_get_error(f);

            rc = vns_err_set(err, code_of(zip_error_code_zip(ze)), "%s: %s",
                             name, zip_error_strerror(ze));
            goto out;
        }
        if (got == 0)
            break;
        len += (size_t)got;
        if (len > max) {
            size_text(max, limit, sizeof(limit));
            rc = vns_err_set(err, VNS_ETOOBIG,
                             "%s: expands past %s (zip bomb?)", name, limit);
            goto out;
        }
    }
    if (buf == NULL) {
        buf = malloc(1);
        if (buf == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
            goto out;
        }
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    buf = NULL;
out:
    if (f != NULL)
        zip_fclose(f);
    free(buf);
    return rc;
}
