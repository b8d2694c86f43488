/* The index's packing dictionaries: trained by a shard's writer, kept in
 * the shard's metadata, registered by every reader (packdict.h). */
#include "packdict.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docrec.h"
#include "index_impl.h"
#include "shard.h"
#include "strbuf.h"

/* A shard's writer's state. */
struct vns_packstate {
    /* set once by the shard's writer, read by workers */
    _Atomic(struct vns_packdicts *) z;
    uint32_t kept[VNS_PACK_TRAIN]; /* written without, to learn from */
    size_t nkept;
    size_t train_at; /* documents kept before learning */
    int gave_up;     /* zstd learnt nothing: pack without from now on */
};

static const char kind_letter[VNS_PACK_KINDS] = {'t', 'j'};

static struct vns_xdb *part_db(const struct vns_index *ix, unsigned i)
{
    return ix->shards != NULL ? ix->shards[i].db : ix->db;
}

static unsigned nparts(const struct vns_index *ix)
{
    return ix->shards != NULL ? (unsigned)ix->nshards : 1;
}

struct found {
    struct vns_xdb *db;
    const char *dict[VNS_PACK_KINDS]; /* a writer's first of each kind */
    size_t len[VNS_PACK_KINDS];
    char *owned[VNS_PACK_KINDS];
    struct vns_err *err;
    int rc;  /* reading the metadata */
    int bad; /* a dictionary would not register (said in err) */
};

/* Metadata key key holds a dictionary: register it. One that will not
 * (damaged, or its id taken by another) is left out, and the documents
 * packed with it say so when read. */
static int one_key(const char *key, size_t len, uint64_t unused, void *ctx)
{
    struct found *f = ctx;
    const char *k =
        memchr(kind_letter, key[strlen(VNS_PACK_KEY)], sizeof(kind_letter));
    struct vns_err e = {0};
    char *v = NULL;
    size_t n = 0;

    (void)len;
    (void)unused;
    f->rc = vns_xdb_get_metadata_bytes(f->db, key, &v, &n, f->err);
    if (f->rc != VNS_OK)
        return 1;
    if (vns_pack_register(v, n, &e) != VNS_OK) {
        if (!f->bad && f->err != NULL)
            vns_err_set(f->err, e.code, "%s: %s", key, e.msg);
        f->bad = 1;
    } else if (k != NULL && f->owned[k - kind_letter] == NULL) {
        f->owned[k - kind_letter] = v;
        f->dict[k - kind_letter] = v;
        f->len[k - kind_letter] = n;
        v = NULL;
    }
    free(v);
    return 0;
}

/* VNS_PACK_TRAIN, or fewer from VNSEARCH_PACK_TRAIN (tests: a few
 * dozen notices, not hundreds, show what packing does). */
static size_t train_at(void)
{
    const char *e = getenv("VNSEARCH_PACK_TRAIN");
    char *end;
    unsigned long n = e != NULL ? strtoul(e, &end, 10) : 0;

    return e != NULL && *end == '\0' && n >= 1 && n <= VNS_PACK_TRAIN
               ? (size_t)n
               : VNS_PACK_TRAIN;
}

/* Register db's dictionaries into f (its owned copies freed by the
 * caller): VNS_OK though some would not register (f->bad). */
static int load_db(struct vns_xdb *db, struct found *f, struct vns_err *err)
{
    int rc;

    f->db = db;
    f->err = err;
    rc = vns_xdb_metadata_keys(db, VNS_PACK_KEY, one_key, f, err);
    return rc > 0 ? f->rc : rc;
}

int vns_packdict_register_db(struct vns_xdb *db, struct vns_err *err)
{
    struct found f = {0};
    int rc = load_db(db, &f, err);

    for (int k = 0; k < VNS_PACK_KINDS; k++)
        free(f.owned[k]);
    return rc == VNS_OK && f.bad ? VNS_EINDEX : rc;
}

int vns_packdict_load(struct vns_index *ix, struct vns_err *err)
{
    int writer = ix->mode == VNS_INDEX_WRITE, rc = VNS_OK;

    if (writer && ix->pack == NULL) {
        ix->pack = calloc(nparts(ix), sizeof(*ix->pack));
        if (ix->pack == NULL)
            return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", ix->dir);
        ix->npack = nparts(ix);
        for (size_t i = 0; i < ix->npack; i++)
            ix->pack[i].train_at = train_at();
    }
    for (unsigned i = 0; i < nparts(ix) && rc == VNS_OK; i++) {
        struct found f = {0};
        struct vns_packdicts *z = NULL;
        struct vns_err e = {0};
        if (part_db(ix, i) == NULL) /* a shard left out */
            continue;
        /* a dictionary that would not register is no error here: its
         * documents say so when read */
        rc = load_db(part_db(ix, i), &f, &e);
        if (rc != VNS_OK && err != NULL)
            *err = e;
        if (rc == VNS_OK && writer && atomic_load(&ix->pack[i].z) == NULL &&
            (f.dict[VNS_PACK_TEXT] || f.dict[VNS_PACK_JSON])) {
            rc = vns_packdicts_new(f.dict, f.len, &z, err);
            atomic_store(&ix->pack[i].z, z);
        }
        for (int k = 0; k < VNS_PACK_KINDS; k++)
            free(f.owned[k]);
    }
    return rc;
}

static int count_key(const char *key, size_t len, uint64_t unused, void *ctx)
{
    (void)key;
    (void)len;
    (void)unused;
    ++*(uint64_t *)ctx;
    return 0;
}

int vns_packdict_count(struct vns_index *ix, uint64_t *out, struct vns_err *err)
{
    int rc = VNS_OK;

    *out = 0;
    for (unsigned i = 0; i < nparts(ix) && rc == VNS_OK; i++)
        if (part_db(ix, i) != NULL)
            rc = vns_xdb_metadata_keys(part_db(ix, i), VNS_PACK_KEY, count_key,
                                       out, err);
    return rc;
}

const struct vns_packdicts *vns_packdict_of(const struct vns_index *ix,
                                            unsigned shard)
{
    if (ix->pack == NULL)
        return NULL;
    return atomic_load(&((struct vns_index *)ix)->pack[shard].z);
}

/* Pack document docid of db again with z. */
static int repack(struct vns_xdb *db, uint32_t docid,
                  const struct vns_packdicts *z, struct vns_err *err)
{
    char *v = NULL, *out = NULL;
    size_t len = 0, outlen = 0;
    int rc = vns_xdb_get_value(db, docid, VNS_SLOT_SHOWN, &v, &len, err);

    if (rc == VNS_OK && len > 0)
        rc = vns_docrec_repack(v, len, z, &out, &outlen, err);
    if (rc == VNS_OK && out != NULL)
        rc = vns_xdb_set_value(db, docid, VNS_SLOT_SHOWN, out, outlen, err);
    free(v);
    free(out);
    return rc;
}

/* The samples of one kind. */
struct samples {
    struct vns_strbuf buf;
    size_t *sizes;
    size_t n;
};

static void sample(struct samples *s, const char *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
    vns_strbuf_put(&s->buf, p, n);
    s->sizes[s->n++] = n;
}

/* Document docid's parts, unpacked, among the samples. */
static int gather(struct vns_xdb *db, uint32_t docid, struct samples *s,
                  struct vns_err *err)
{
    char *v = NULL;
    size_t len = 0;
    struct vns_parts pt;
    int rc = vns_xdb_get_value(db, docid, VNS_SLOT_SHOWN, &v, &len, err);
    static const int kind_of[VNS_NPARTS] = {[VNS_PART_RECORD] = VNS_PACK_JSON,
                                            [VNS_PART_META] = VNS_PACK_JSON,
                                            [VNS_PART_TOKMAP] = -1,
                                            [VNS_PART_TEXT] = VNS_PACK_TEXT,
                                            [VNS_PART_WORDS] = -1};

    if (rc == VNS_OK)
        rc = vns_parts_split(v, len, &pt, err);
    for (int k = 0; rc == VNS_OK && k < VNS_NPARTS; k++) {
        char *p = NULL;
        size_t n = 0;
        if (kind_of[k] < 0)
            continue;
        rc = vns_parts_unpack(&pt, k, &p, &n, err);
        if (rc == VNS_OK)
            sample(&s[kind_of[k]], p, n);
        free(p);
    }
    free(v);
    return rc;
}

/* Learn shard's dictionaries from the documents kept, store them, and
 * pack those documents again. */
static int train(struct vns_index *ix, unsigned shard, struct vns_err *err)
{
    struct vns_packstate *st = &ix->pack[shard];
    struct vns_xdb *db = vns_index_writer(ix, shard);
    struct samples s[VNS_PACK_KINDS];
    char *dict[VNS_PACK_KINDS] = {0};
    size_t dlen[VNS_PACK_KINDS] = {0};
    struct vns_packdicts *z = NULL;
    int rc = VNS_OK, any = 0;

    memset(s, 0, sizeof(s));
    for (int k = 0; k < VNS_PACK_KINDS && rc == VNS_OK; k++)
        if ((s[k].sizes = malloc(2 * st->nkept * sizeof(size_t))) == NULL)
            rc = vns_err_set(err, VNS_ENOMEM, "dictionaries: out of memory");
    /* a document gone since (replaced, deleted) teaches nothing */
    for (size_t i = 0; i < st->nkept && rc == VNS_OK; i++) {
        struct vns_err e = {0};
        if (gather(db, st->kept[i], s, &e) == VNS_ENOMEM)
            rc = vns_err_set(err, VNS_ENOMEM, "dictionaries: out of memory");
    }
    for (int k = 0; k < VNS_PACK_KINDS && rc == VNS_OK; k++) {
        if (s[k].buf.failed)
            rc = vns_err_set(err, VNS_ENOMEM, "dictionaries: out of memory");
        else
            rc = vns_pack_train((enum vns_pack_kind)k, s[k].buf.p, s[k].sizes,
                                s[k].n, &dict[k], &dlen[k], err);
        any |= dict[k] != NULL;
    }
    for (int k = 0; k < VNS_PACK_KINDS && rc == VNS_OK; k++) {
        char key[64];
        if (dict[k] == NULL)
            continue;
        snprintf(key, sizeof(key), "%s%c%08x", VNS_PACK_KEY, kind_letter[k],
                 (unsigned)vns_pack_dict_id(dict[k], dlen[k]));
        rc = vns_xdb_set_metadata_bytes(db, key, dict[k], dlen[k], err);
        if (rc == VNS_OK)
            rc = vns_pack_register(dict[k], dlen[k], err);
    }
    if (rc == VNS_OK && any)
        rc = vns_packdicts_new((const char *const *)dict, dlen, &z, err);
    if (rc == VNS_OK && z != NULL) {
        atomic_store(&st->z, z);
        /* one gone since (deleted) is skipped */
        for (size_t i = 0; i < st->nkept; i++) {
            struct vns_err e = {0};
            (void)repack(db, st->kept[i], z, &e);
        }
    }
    if (rc == VNS_OK && !any)
        st->gave_up = 1;
    st->nkept = 0;
    for (int k = 0; k < VNS_PACK_KINDS; k++) {
        free(s[k].buf.p);
        free(s[k].sizes);
        free(dict[k]);
    }
    return rc;
}

int vns_packdict_written(struct vns_index *ix, unsigned shard, uint32_t docid,
                         const struct vns_packdicts *used, struct vns_err *err)
{
    struct vns_packstate *st;
    struct vns_packdicts *z;
    struct vns_err e = {0};

    (void)err;
    if (ix->pack == NULL)
        return VNS_OK;
    st = &ix->pack[shard];
    z = atomic_load(&st->z);
    /* packing again only saves room: a document it fails on is written,
     * packed as it came, and reads as such */
    if (z != NULL) {
        if (used != z)
            (void)repack(vns_index_writer(ix, shard), docid, z, &e);
        return VNS_OK;
    }
    if (st->gave_up)
        return VNS_OK;
    st->kept[st->nkept++] = docid;
    if (st->nkept >= st->train_at && train(ix, shard, &e) != VNS_OK)
        st->gave_up = 1; /* out of memory, most likely: pack without */
    return VNS_OK;
}

void vns_packdict_fini(struct vns_index *ix)
{
    for (size_t i = 0; ix->pack != NULL && i < ix->npack; i++)
        vns_packdicts_free(atomic_load(&ix->pack[i].z));
    free(ix->pack);
    ix->pack = NULL;
    ix->npack = 0;
}
