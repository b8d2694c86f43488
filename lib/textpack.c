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

/* One compression and one decompression context a thread, freed when
 * the thread ends: a fresh context costs more than compressing a notice
 * with a reused one (82 against 27 us for 3 kB of notice text). */
struct zctx {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
};
static pthread_key_t zctx_key;
static pthread_once_t zctx_once = PTHREAD_ONCE_INIT;
static int zctx_key_ok;

static void free_zctx(void *p)
{
    struct zctx *z = p;

    ZSTD_freeCCtx(z->c);
    ZSTD_freeDCtx(z->d);
    free(z);
}

static void make_key(void)
{
    zctx_key_ok = pthread_key_create(&zctx_key, free_zctx) == 0;
}

/* This thread's contexts, the one asked for made on first use; NULL when
 * out of memory. */
static struct zctx *zctx(int compress)
{
    struct zctx *z;

    pthread_once(&zctx_once, make_key);
    if (!zctx_key_ok)
        return NULL;
    z = pthread_getspecific(zctx_key);
    if (z == NULL) {
        z = calloc(1, sizeof(*z));
        if (z == NULL || pthread_setspecific(zctx_key, z) != 0) {
            free(z);
            return NULL;
        }
    }
    if (compress && z->c == NULL)
        z->c = ZSTD_createCCtx();
    if (!compress && z->d == NULL)
        z->d = ZSTD_createDCtx();
    return (compress ? z->c != NULL : z->d != NULL) ? z : NULL;
}

int vns_text_pack(const char *text, size_t len, char **out, size_t *outlen,
                  struct vns_err *err)
{
    size_t cap = ZSTD_compressBound(len), n;
    struct zctx *z = zctx(1);
    char *z_out = malloc(cap > len ? cap : len + 1);

    *out = NULL;
    *outlen = 0;
    if (z_out == NULL || z == NULL) {
        free(z_out);
        return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
    }
    n = ZSTD_compressCCtx(z->c, z_out, cap, text, len, LEVEL);
    if (ZSTD_isError(n)) {
        free(z_out);
        return vns_err_set(err, VNS_EINTERNAL, "text: zstd: %s",
                           ZSTD_getErrorName(n));
    }
    if (n >= len && !is_frame(text, len)) { /* kept as it is */
        memcpy(z_out, text, len);
        n = len;
    }
    *out = z_out;
    *outlen = n;
    return VNS_OK;
}

int vns_text_unpack(char **buf, size_t *len, struct vns_err *err)
{
    unsigned long long size;
    struct zctx *z;
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
    z = zctx(0);
    t = malloc((size_t)size + 1);
    if (z == NULL || t == NULL) {
        free(t);
        return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
    }
    n = ZSTD_decompressDCtx(z->d, t, (size_t)size, *buf, *len);
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
