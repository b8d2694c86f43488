/* Stored record parts compressed with zstd, with the index's
 * dictionaries (see textpack.h). */
#include "textpack.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <zdict.h>
#include <zstd.h>

#include "hash.h"

/* Level 3, zstd's default: 3-4x smaller on notices at a few hundred MB/s;
 * reading back runs at about a GB/s. */
#define LEVEL 3
/* A dictionary's size at most: zstd's advice is about 100 KB; the
 * samples' total over DICT_SAMPLE_RATIO when smaller. */
#define DICT_MAX (112 * 1024)
#define DICT_SAMPLE_RATIO 8
#define DICT_MIN 4096
#ifndef DICT_LEVEL
#define DICT_LEVEL 3
#endif

static const unsigned char magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

static int is_frame(const char *s, size_t len)
{
    return len >= sizeof(magic) && memcmp(s, magic, sizeof(magic)) == 0;
}

int vns_is_packed(const char *s, size_t len)
{
    return s != NULL && is_frame(s, len);
}

uint32_t vns_packed_dict(const char *s, size_t len)
{
    return vns_is_packed(s, len) ? ZSTD_getDictID_fromFrame(s, len) : 0;
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

struct vns_packdicts {
    ZSTD_CDict *c[VNS_PACK_KINDS];
    uint32_t id[VNS_PACK_KINDS];
};

static const char *const kind_name[VNS_PACK_KINDS] = {"text", "metadata"};

int vns_pack(const struct vns_packdicts *z, enum vns_pack_kind kind,
             const char *s, size_t len, char **out, size_t *outlen,
             struct vns_err *err)
{
    const ZSTD_CDict *cd = z != NULL ? z->c[kind] : NULL;
    size_t cap = ZSTD_compressBound(len), n = len;
    struct zctx *zc = NULL;
    char *buf = malloc(cap > len ? cap : len + 1);

    *out = NULL;
    *outlen = 0;
    if (buf != NULL && (cd != NULL || kind == VNS_PACK_TEXT))
        zc = zctx(1);
    if (buf == NULL || (zc == NULL && (cd != NULL || kind == VNS_PACK_TEXT))) {
        free(buf);
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory",
                           kind_name[kind]);
    }
    if (zc != NULL) {
        n = cd != NULL ? ZSTD_compress_usingCDict(zc->c, buf, cap, s, len, cd)
                       : ZSTD_compressCCtx(zc->c, buf, cap, s, len, LEVEL);
        if (ZSTD_isError(n)) {
            free(buf);
            return vns_err_set(err, VNS_EINTERNAL, "%s: zstd: %s",
                               kind_name[kind], ZSTD_getErrorName(n));
        }
    }
    if (n >= len && !is_frame(s, len)) { /* kept as it is */
        memcpy(buf, s, len);
        n = len;
    }
    *out = buf;
    *outlen = n;
    return VNS_OK;
}

int vns_text_pack(const char *text, size_t len, char **out, size_t *outlen,
                  struct vns_err *err)
{
    return vns_pack(NULL, VNS_PACK_TEXT, text, len, out, outlen, err);
}

/* ---- the dictionaries a process reads with ---- */

/* Registered dictionaries: written under reg_mu, in order, before
 * reg_n counts them; read without a lock. Kept until the process ends
 * (an index holds a few: three a shard). */
static struct {
    uint32_t id;
    uint64_t hash; /* of the bytes: one id, one dictionary */
    ZSTD_DDict *d;
} reg[VNS_PACK_MAX_DICTS];
static _Atomic size_t reg_n;
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;

static const ZSTD_DDict *registered(uint32_t id)
{
    size_t n = atomic_load_explicit(&reg_n, memory_order_acquire);

    for (size_t i = 0; i < n; i++)
        if (reg[i].id == id)
            return reg[i].d;
    return NULL;
}

uint32_t vns_pack_dict_id(const char *dict, size_t len)
{
    return dict != NULL ? ZDICT_getDictID(dict, len) : 0;
}

int vns_pack_register(const char *dict, size_t len, struct vns_err *err)
{
    uint32_t id = vns_pack_dict_id(dict, len);
    uint64_t h = dict != NULL ? vns_hash64(dict, len, len) : 0;
    size_t n;
    int rc = VNS_OK;

    if (id == 0)
        return vns_err_set(err, VNS_EINDEX,
                           "a stored dictionary is damaged: check the index "
                           "with vnsearch-index --check");
    pthread_mutex_lock(&reg_mu);
    n = atomic_load_explicit(&reg_n, memory_order_relaxed);
    for (size_t i = 0; i < n; i++)
        if (reg[i].id == id) {
            if (reg[i].hash != h)
                rc = vns_err_set(err, VNS_EINDEX,
                                 "two dictionaries share id %u: an index "
                                 "opened in this process holds another one",
                                 (unsigned)id);
            pthread_mutex_unlock(&reg_mu);
            return rc;
        }
    if (n == VNS_PACK_MAX_DICTS)
        rc = vns_err_set(err, VNS_ENOMEM,
                         "more than %d dictionaries in one process",
                         VNS_PACK_MAX_DICTS);
    else if ((reg[n].d = ZSTD_createDDict(dict, len)) == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "dictionary: out of memory");
    if (rc == VNS_OK) {
        reg[n].id = id;
        reg[n].hash = h;
        atomic_store_explicit(&reg_n, n + 1, memory_order_release);
    }
    pthread_mutex_unlock(&reg_mu);
    return rc;
}

/* vns_unpack, naming what in its messages. */
static int unpack(char **buf, size_t *len, const char *what,
                  struct vns_err *err)
{
    unsigned long long size;
    const ZSTD_DDict *dd = NULL;
    unsigned id;
    struct zctx *z;
    char *t;
    size_t n;

    if (*buf == NULL || !is_frame(*buf, *len))
        return VNS_OK;
    size = ZSTD_getFrameContentSize(*buf, *len);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > VNS_MAX_TEXT)
        return vns_err_set(err, VNS_EINDEX,
                           "stored %s damaged (bad frame header): check the "
                           "index with vnsearch-index --check",
                           what);
    id = ZSTD_getDictID_fromFrame(*buf, *len);
    if (id != 0 && (dd = registered(id)) == NULL)
        return vns_err_set(err, VNS_EINDEX,
                           "stored %s packed with dictionary %u, which this "
                           "reader has not loaded: search again (the index "
                           "may just have changed), or check the index with "
                           "vnsearch-index --check",
                           what, id);
    z = zctx(0);
    t = malloc((size_t)size + 1);
    if (z == NULL || t == NULL) {
        free(t);
        return vns_err_set(err, VNS_ENOMEM, "stored %s: out of memory", what);
    }
    n = dd != NULL
            ? ZSTD_decompress_usingDDict(z->d, t, (size_t)size, *buf, *len, dd)
            : ZSTD_decompressDCtx(z->d, t, (size_t)size, *buf, *len);
    if (ZSTD_isError(n) || n != size) {
        free(t);
        return vns_err_set(
            err, VNS_EINDEX,
            "stored %s damaged (%s): check the index with "
            "vnsearch-index --check",
            what, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame");
    }
    t[n] = '\0';
    free(*buf);
    *buf = t;
    *len = n;
    return VNS_OK;
}

int vns_unpack(char **buf, size_t *len, struct vns_err *err)
{
    return unpack(buf, len, "record", err);
}

int vns_text_unpack(char **buf, size_t *len, struct vns_err *err)
{
    return unpack(buf, len, "text", err);
}

/* ---- the dictionaries a writer packs with ---- */

int vns_pack_train(enum vns_pack_kind kind, const char *buf,
                   const size_t *sizes, size_t n, char **dict, size_t *len,
                   struct vns_err *err)
{
    size_t total = 0, cap, got;
    char *d;

    *dict = NULL;
    *len = 0;
    for (size_t i = 0; i < n; i++)
        total += sizes[i];
    cap = total / DICT_SAMPLE_RATIO < DICT_MAX ? total / DICT_SAMPLE_RATIO
                                               : DICT_MAX;
    if (cap < DICT_MIN || n > UINT32_MAX)
        return VNS_OK; /* too little to learn from */
    d = malloc(cap);
    if (d == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s dictionary: out of memory",
                           kind_name[kind]);
    got = ZDICT_trainFromBuffer(d, cap, buf, sizes, (unsigned)n);
    if (ZDICT_isError(got) || vns_pack_dict_id(d, got) == 0) {
        free(d); /* zstd found nothing worth a dictionary */
        return VNS_OK;
    }
    *dict = d;
    *len = got;
    return VNS_OK;
}

int vns_packdicts_new(const char *const dict[VNS_PACK_KINDS],
                      const size_t len[VNS_PACK_KINDS],
                      struct vns_packdicts **out, struct vns_err *err)
{
    struct vns_packdicts *z = calloc(1, sizeof(*z));

    *out = NULL;
    if (z == NULL)
        return vns_err_set(err, VNS_ENOMEM, "dictionaries: out of memory");
    for (int k = 0; k < VNS_PACK_KINDS; k++) {
        if (dict[k] == NULL)
            continue;
        z->id[k] = vns_pack_dict_id(dict[k], len[k]);
        z->c[k] =
            z->id[k] ? ZSTD_createCDict(dict[k], len[k], DICT_LEVEL) : NULL;
        if (z->c[k] == NULL) {
            int known = z->id[k] != 0;
            vns_packdicts_free(z);
            return vns_err_set(err, known ? VNS_ENOMEM : VNS_EINDEX,
                               "%s dictionary: %s", kind_name[k],
                               known ? "out of memory" : "damaged");
        }
    }
    *out = z;
    return VNS_OK;
}

void vns_packdicts_free(struct vns_packdicts *z)
{
    if (z == NULL)
        return;
    for (int k = 0; k < VNS_PACK_KINDS; k++)
        ZSTD_freeCDict(z->c[k]);
    free(z);
}

uint32_t vns_packdicts_id(const struct vns_packdicts *z,
                          enum vns_pack_kind kind)
{
    return z != NULL ? z->id[kind] : 0;
}
