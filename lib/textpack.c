/* Stored texts compressed with zstd (see textpack.h). */
#include "textpack.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

/* Level 3, zstd's default: 3-4x smaller on notices at a few hundred MB/s;
 * reading back runs at about a GB/s. */
#define LEVEL 3

static const unsigned char magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

static int is_frame(const char *s, size_t len)
{
    return len >= sizeof(magic) && memcmp(s, magic, sizeof(magic)) == 0;
}

int vns_text_pack(const char *text, size_t len, char **out, size_t *outlen,
                  struct vns_err *err)
{
    size_t cap = ZSTD_compressBound(len), n;
    char *z = malloc(cap > len ? cap : len + 1);

    *out = NULL;
    *outlen = 0;
    if (z == NULL)
        return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
    n = ZSTD_compress(z, cap, text, len, LEVEL);
    if (ZSTD_isError(n)) {
        free(z);
        return vns_err_set(err, VNS_EINTERNAL, "text: zstd: %s",
                           ZSTD_getErrorName(n));
    }
    if (n >= len && !is_frame(text, len)) { /* kept as it is */
        memcpy(z, text, len);
        n = len;
    }
    *out = z;
    *outlen = n;
    return VNS_OK;
}

/* One decompression context a thread, freed when the thread ends. */
static pthread_key_t dctx_key;
static pthread_once_t dctx_once = PTHREAD_ONCE_INIT;
static int dctx_key_ok;

static void free_dctx(void *p)
{
    ZSTD_freeDCtx(p);
}

static void make_key(void)
{
    dctx_key_ok = pthread_key_create(&dctx_key, free_dctx) == 0;
}

static ZSTD_DCtx *dctx(void)
{
    ZSTD_DCtx *d;

    pthread_once(&dctx_once, make_key);
    if (!dctx_key_ok)
        return NULL;
    d = pthread_getspecific(dctx_key);
    if (d == NULL) {
        d = ZSTD_createDCtx();
        if (d != NULL && pthread_setspecific(dctx_key, d) != 0) {
            ZSTD_freeDCtx(d);
            d = NULL;
        }
    }
    return d;
}

int vns_text_unpack(char **buf, size_t *len, struct vns_err *err)
{
    unsigned long long size;
    ZSTD_DCtx *d;
    char *t;
    size_t n;

    if (*buf == NULL || !is_frame(*buf, *len))
        return VNS_OK;
    size = ZSTD_getFrameContentSize(*buf, *len);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_EINDEX,
                           "stored text damaged (bad frame header): check "
                           "the index with vnsearch-index --check");
    d = dctx();
    t = malloc((size_t)size + 1);
    if (d == NULL || t == NULL) {
        free(t);
        return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
    }
    n = ZSTD_decompressDCtx(d, t, (size_t)size, *buf, *len);
    if (ZSTD_isError(n) || n != size) {
        free(t);
        return vns_err_set(err, VNS_EINDEX,
                           "stored text damaged (%s): check the index with "
                           "vnsearch-index --check",
                           ZSTD_isError(n) ? ZSTD_getErrorName(n)
                                           : "short frame");
    }
    t[n] = '\0';
    free(*buf);
    *buf = t;
    *len = n;
    return VNS_OK;
}
