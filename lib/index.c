/* The index as storage: open with the writer lock, put, delete, commit,
 * and read stored documents back. Building documents is index_doc.c's. */
#include "vnsearch/index.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "docrec.h"
#include "docsets.h"
#include "facetcols.h"
#include "gazetteer.h"
#include "idcache.h"
#include "index_impl.h"
#include "lock.h"
#include "meta.h"
#include "packdict.h"
#include "shard.h"
#include "spell.h"
#include "synonyms.h"
#include "words.h"

int vns_index_format_readable(const char *f)
{
    return strcmp(f, VNS_INDEX_FORMAT) == 0 || strcmp(f, "2") == 0;
}

/* The index's layout (terms, values) is stamped in its metadata: a
 * reader refuses an index of another layout instead of ranking it badly;
 * a writer marks an empty index, and an index of another layout is
 * rebuilt (vns_index_set_format after a forced run). */
static int check_one(struct vns_index *ix, struct vns_xdb *db,
                     struct vns_err *err)
{
    uint64_t n = 0;
    char *f = NULL;
    int rc = vns_xdb_doccount(db, &n, err);

    if (rc == VNS_OK)
        rc = vns_xdb_get_metadata(db, VNS_FORMAT_KEY, &f, err);
    if (rc == VNS_OK && f == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", ix->dir);
    if (rc != VNS_OK)
        goto out;
    if (n > 0 && strcmp(f, VNS_INDEX_FORMAT) != 0)
        ix->old_format = 1;
    if (n > 0 && !vns_index_format_readable(f) && ix->mode != VNS_INDEX_WRITE)
        rc = vns_err_set(err, VNS_EINDEX,
                         "%s: built by another version of vnsearch (index "
                         "format '%s', this one reads '2' and '%s'): rebuild "
                         "it with vnsearch-index --force",
                         ix->dir, f, VNS_INDEX_FORMAT);
    else if (n == 0 && ix->mode == VNS_INDEX_WRITE)
        rc = vns_xdb_set_metadata(db, VNS_FORMAT_KEY, VNS_INDEX_FORMAT, err);
out:
    free(f);
    return rc;
}

/* Every database of the index: the one, or each shard that is open. */
static int check_format(struct vns_index *ix, struct vns_err *err)
{
    int rc = VNS_OK;

    ix->old_format = 0;
    if (ix->shards == NULL)
        return check_one(ix, ix->db, err);
    for (size_t i = 0; i < ix->nshards && rc == VNS_OK; i++)
        if (ix->shards[i].db != NULL)
            rc = check_one(ix, ix->shards[i].db, err);
    return rc;
}

int vns_index_set_format(struct vns_index *ix, struct vns_err *err)
{
    int rc = VNS_OK;

    for (unsigned i = 0; i < vns_index_nshards(ix) && rc == VNS_OK; i++)
        rc = vns_xdb_set_metadata(vns_index_writer(ix, i), VNS_FORMAT_KEY,
                                  VNS_INDEX_FORMAT, err);
    if (rc == VNS_OK)
        ix->old_format = 0;
    return rc;
}

int vns_index_create_shards(const char *dir, unsigned n, struct vns_err *err)
{
    if (dir == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: no folder given");
    return vns_stub_create(dir, n, err);
}

unsigned vns_index_shards(const char *dir)
{
    return vns_stub_count(dir);
}

size_t vns_index_missing(struct vns_index *ix, char *names, size_t cap)
{
    char none[1];

    if (names == NULL || cap == 0)
        return vns_shards_missing(ix, none, sizeof(none));
    return vns_shards_missing(ix, names, cap);
}

/* What identifies the stub file's version: a replica's client rewrites
 * it to point at a new copy. */
static void stub_identity(const char *stub, char *out, size_t cap)
{
    struct stat st;

    if (stat(stub, &st) != 0)
        snprintf(out, cap, "gone");
    else
        snprintf(out, cap, "%llu:%llu:%lld.%09ld:%lld",
                 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                 (long long)st.st_size);
}

/* Open the databases of ix (one, or the shards of its stub). */
static int open_dbs(struct vns_index *ix, struct vns_err *err)
{
    char stub[4200];
    struct stat st;

    if (!vns_stub_locate(ix->dir, stub, sizeof(stub)))
        return vns_xdb_open(
            ix->dir, ix->mode == VNS_INDEX_WRITE ? VNS_XDB_WRITE : VNS_XDB_READ,
            &ix->db, err);
    if (ix->mode == VNS_INDEX_WRITE && stat(ix->dir, &st) == 0 &&
        !S_ISDIR(st.st_mode))
        return vns_err_set(err, VNS_EINVAL,
                           "%s: a stub file is for searching: index into the "
                           "folder of a sharded index",
                           ix->dir);
    stub_identity(stub, ix->stub_id, sizeof(ix->stub_id));
    return vns_shards_open(ix, stub, err);
}

static void close_dbs(struct vns_index *ix)
{
    if (ix->shards != NULL)
        vns_shards_close(ix);
    else
        vns_xdb_close(ix->db);
    ix->db = NULL;
}

unsigned vns_index_nshards(const struct vns_index *ix)
{
    return ix->shards != NULL ? (unsigned)ix->nshards : 1;
}

unsigned vns_index_shard_of(const struct vns_index *ix, const char *idterm)
{
    const char *id = idterm + strlen(VNS_PREFIX_ID);

    return vns_shard_of(id, strlen(id), vns_index_nshards(ix));
}

struct vns_xdb *vns_index_writer(struct vns_index *ix, unsigned shard)
{
    return ix->shards != NULL ? ix->shards[shard].db : ix->db;
}

int vns_index_delete_term(struct vns_index *ix, const char *idterm,
                          struct vns_err *err)
{
    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    return vns_xdb_delete(vns_index_writer(ix, vns_index_shard_of(ix, idterm)),
                          idterm, err);
}

int vns_index_set_value(struct vns_index *ix, uint32_t docid, unsigned slot,
                        const char *value, struct vns_err *err)
{
    unsigned shard = 0;
    uint32_t local = docid;

    if (ix->shards != NULL)
        vns_shard_docid(docid, (unsigned)ix->nshards, &shard, &local);
    return vns_xdb_set_value(vns_index_writer(ix, shard), local, slot, value,
                             value ? strlen(value) : 0, err);
}

int vns_index_open(const char *dir, int mode, struct vns_index **out,
                   struct vns_err *err)
{
    struct vns_index *ix = calloc(1, sizeof(*ix));
    int rc;

    if (ix == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", dir);
    ix->lockfd = -1;
    ix->allow_partial = (mode & VNS_INDEX_PARTIAL) != 0;
    mode &= ~VNS_INDEX_PARTIAL;
    if (strlen(dir) >= sizeof(ix->dir)) {
        rc = vns_err_set(err, VNS_EINVAL, "%s: path too long", dir);
        goto fail;
    }
    strcpy(ix->dir, dir);
    ix->mode = mode;
    if (mode == VNS_INDEX_WRITE) {
        /* ours names the holder; Xapian's own lock comes next */
        rc = vns_lock_take(dir, &ix->lockfd, err);
        if (rc != VNS_OK)
            goto fail;
    }
    rc = open_dbs(ix, err);
    if (rc != VNS_OK)
        goto fail;
    rc = check_format(ix, err);
    if (rc == VNS_OK)
        rc = vns_packdict_load(ix, err);
    if (rc != VNS_OK)
        goto fail;
    if (mode == VNS_INDEX_WRITE) {
        uint64_t n = 0;
        rc = vns_index_doccount(ix, &n, err);
        atomic_store(&ix->written, n);
        ix->held = n;
    }
    if (rc == VNS_OK && mode == VNS_INDEX_WRITE)
        rc = vns_worker_init(&ix->w, err);
    else if (rc == VNS_OK)
        rc = vns_analyzer_new(&ix->w.an, err);
    if (rc != VNS_OK)
        goto fail;
    *out = ix;
    return VNS_OK;
fail:
    vns_index_close(ix);
    return rc;
}

/* A commit that writes something says when, in the index's metadata
 * (vns_index_stats); one with nothing to write stays a no-op, so readers
 * see no new revision. */
static int commit_db(struct vns_xdb *db, struct vns_err *err)
{
    char now[32];
    int rc = VNS_OK;

    if (vns_xdb_pending(db)) {
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        rc = vns_xdb_set_metadata(db, VNS_COMMITTED_KEY, now, err);
    }
    if (rc == VNS_OK)
        rc = vns_xdb_commit(db, err);
    return rc;
}

int vns_index_commit_shard(struct vns_index *ix, unsigned shard,
                           struct vns_err *err)
{
    return commit_db(vns_index_writer(ix, shard), err);
}

/* What was learnt of the documents by their Xapian ids: stale once the
 * set of shards (so the ids) or the revision changed. */
static void forget(struct vns_index *ix)
{
    vns_spell_free(ix->spell);
    ix->spell = NULL;
    vns_idcache_free(ix->ids);
    ix->ids = NULL;
    vns_facetcols_free(ix->fcols);
    ix->fcols = NULL;
    ix->fcols_failed = 0;
    vns_docsets_free(ix->dsets);
    ix->dsets = NULL;
    vns_words_free(ix->words);
    ix->words = NULL;
    ix->words_asked = 0;
}

int vns_index_spelling(struct vns_index *ix, struct vns_err *err)
{
    return ix->spell != NULL ? VNS_OK : vns_spell_new(ix->db, &ix->spell, err);
}

/* Asks for the words table before a reader reads it: a search asks once
 * for its suggestion and once for each word it looks for fixes of, a
 * completion twice. A word's edits cost ~300 B-tree lookups (~0.4 ms on
 * medium seed 21), a completion 2-6 ms, the table ~30 ms once: a
 * one-shot query never reads it. */
#define WORDS_AFTER_ASKS 8

const struct vns_words *vns_index_words(struct vns_index *ix)
{
    if (ix->words != NULL || ix->mode != VNS_INDEX_READ ||
        ix->words_asked > WORDS_AFTER_ASKS)
        return ix->words;
    /* when it cannot be built, the index is asked term by term until the
     * next revision */
    if (++ix->words_asked > WORDS_AFTER_ASKS)
        (void)vns_words_new(ix->db, &ix->words, NULL);
    return ix->words;
}

/* Each shard commits on its own: a reader may see one shard's new
 * documents before another's, never half of one shard's commit. What
 * this handle learnt for searching is then stale (a word just added is
 * no spelling yet). */
static int commit(struct vns_index *ix, struct vns_err *err)
{
    int rc = VNS_OK;

    for (unsigned i = 0; i < vns_index_nshards(ix) && rc == VNS_OK; i++)
        rc = commit_db(vns_index_writer(ix, i), err);
    forget(ix);
    return rc;
}

void vns_index_close(struct vns_index *ix)
{
    if (ix == NULL)
        return;
    if (ix->db != NULL && ix->mode == VNS_INDEX_WRITE)
        commit(ix, NULL);
    close_dbs(ix);
    vns_packdict_fini(ix);
    vns_worker_fini(&ix->w);
    vns_gaz_free(ix->gaz);
    vns_bodies_free(ix->bodies);
    vns_synonyms_free(ix->syn);
    vns_spell_free(ix->spell);
    vns_words_free(ix->words);
    vns_idcache_free(ix->ids);
    vns_facetcols_free(ix->fcols);
    vns_docsets_free(ix->dsets);
    vns_lock_release(ix->lockfd);
    free(ix);
}

int vns_index_put(struct vns_index *ix, struct vns_prepared *p,
                  struct vns_err *err)
{
    unsigned shard = vns_index_shard_of(ix, p->idterm);
    uint32_t docid = 0;
    int rc;

    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    atomic_fetch_add(&ix->written, 1);
    rc = vns_xdb_replace(vns_index_writer(ix, shard), p->idterm, p->doc, &docid,
                         err);
    if (rc == VNS_OK)
        rc = vns_packdict_written(ix, shard, docid, p->packed_with, err);
    return rc;
}

int vns_index_add_file(struct vns_index *ix, const char *path, const char *id,
                       const char *meta_json, struct vns_file_info *info,
                       struct vns_err *err)
{
    struct vns_source src = {path, id, NULL, meta_json, NULL, NULL, 0};
    struct vns_prepared p = {0};
    struct vns_blob b = {0};
    int rc;

    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    rc = vns_index_vocab(ix, err);
    if (rc == VNS_OK)
        rc = vns_blob_read(path, VNS_MAX_FILE, &b, err);
    if (rc == VNS_OK)
        rc = vns_prepare_blob(ix, &ix->w, &src, b.data, b.len, &p, err);
    if (rc == VNS_OK)
        rc = vns_index_put(ix, &p, err);
    if (rc == VNS_OK && info != NULL)
        *info = p.info;
    vns_prepared_fini(&p);
    vns_blob_fini(&b);
    return rc;
}

int vns_index_add_text(struct vns_index *ix, const char *id, const char *title,
                       const char *text, size_t len, const char *meta_json,
                       struct vns_err *err)
{
    struct vns_source src = {NULL, id, NULL, meta_json, NULL, NULL, 0};
    struct vns_prepared p = {0};
    int rc;

    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    rc = vns_index_vocab(ix, err);
    if (rc == VNS_OK)
        rc = vns_prepare_text(ix, &ix->w, &src, title, text, len, &p, err);
    if (rc == VNS_OK)
        rc = vns_index_put(ix, &p, err);
    vns_prepared_fini(&p);
    return rc;
}

int vns_index_delete(struct vns_index *ix, const char *id, struct vns_err *err)
{
    char idt[VNS_MAX_ID + 2];
    int rc = vns_index_id_term(id, idt, sizeof(idt), err);

    if (rc != VNS_OK)
        return rc;
    return vns_index_delete_term(ix, idt, err);
}

int vns_index_commit(struct vns_index *ix, struct vns_err *err)
{
    return commit(ix, err);
}

int vns_index_doccount(struct vns_index *ix, uint64_t *out, struct vns_err *err)
{
    return vns_xdb_doccount(ix->db, out, err);
}

int vns_index_revision(struct vns_index *ix, uint64_t *out, struct vns_err *err)
{
    return vns_xdb_revision(ix->db, out, err);
}

/* The record's metadata with its id and title, as one JSON object. */
static int record_meta(const struct vns_docrec *rec, char **out,
                       struct vns_err *err)
{
    json_error_t je;
    json_t *m = json_loads(rec->meta ? rec->meta : "{}", 0, &je);
    int rc = VNS_OK;

    if (!json_is_object(m)) {
        json_decref(m);
        return vns_err_set(err, VNS_EINDEX, "%s: metadata unreadable", rec->id);
    }
    json_object_set_new(m, "id", json_string(rec->id));
    json_object_set_new(m, "title", json_string(rec->title));
    *out = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", rec->id);
    json_decref(m);
    return rc;
}

/* The document id of id. */
static int find_doc(struct vns_index *ix, const char *id, uint32_t *docid,
                    struct vns_err *err)
{
    char idt[VNS_MAX_ID + 2];
    int rc = vns_index_id_term(id, idt, sizeof(idt), err);

    if (rc == VNS_OK)
        rc = vns_xdb_find(ix->db, idt, docid, err);
    if (rc == VNS_ENOTFOUND)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no such document", id);
    return rc;
}

int vns_index_doc_meta(struct vns_index *ix, const char *id, char **out,
                       struct vns_err *err)
{
    struct vns_docrec rec = {0};
    uint32_t docid;
    int rc = find_doc(ix, id, &docid, err);

    if (rc == VNS_OK)
        rc = vns_docrec_read(ix->db, docid, VNS_REC_META, &rec, err);
    if (rc == VNS_OK)
        rc = record_meta(&rec, out, err);
    vns_docrec_fini(&rec);
    return rc;
}

int vns_index_doc(struct vns_index *ix, const char *id, struct vns_doc *out,
                  struct vns_err *err)
{
    struct vns_docrec rec = {0};
    uint32_t docid;
    int rc = find_doc(ix, id, &docid, err);

    if (rc == VNS_OK)
        rc = vns_docrec_read(ix->db, docid, VNS_REC_TEXT | VNS_REC_META, &rec,
                             err);
    if (rc != VNS_OK)
        return rc;
    /* moved: the record's buffers become the document's */
    *out = (struct vns_doc){rec.id,   rec.title,    rec.format, rec.path,
                            rec.text, rec.text_len, rec.meta};
    rec.id = rec.title = rec.format = rec.path = rec.text = rec.meta = NULL;
    vns_docrec_fini(&rec); /* the checkpoints */
    return VNS_OK;
}

void vns_doc_fini(struct vns_doc *doc)
{
    if (doc == NULL)
        return;
    free(doc->id);
    free(doc->title);
    free(doc->format);
    free(doc->path);
    free(doc->text);
    free(doc->meta);
    *doc = (struct vns_doc){0};
}

int vns_index_each_meta(struct vns_index *ix, vns_meta_fn fn, void *ctx,
                        struct vns_err *err)
{
    /* every document, a page at a time, in docid order (all weights 0) */
    const struct vns_xq all = {.op = VNS_XQ_ALL};
    struct vns_xsearch o = {
        .limit = 1000, .sort_slot = -1, .fetch = vns_docrec_fetch, .nfetch = 2};
    int rc = VNS_OK, stop = 0;

    for (;;) {
        struct vns_xresults res = {0};
        rc = vns_xdb_run(ix->db, &all, &o, &res, err);
        if (rc != VNS_OK)
            return rc;
        for (size_t i = 0; i < res.n && !stop && rc == VNS_OK; i++) {
            struct vns_docrec rec = {0};
            char *m = NULL;
            rc = vns_docrec_from_hit(&res.hits[i], &rec, err);
            if (rc == VNS_OK)
                rc = record_meta(&rec, &m, err);
            vns_docrec_fini(&rec);
            if (rc == VNS_OK)
                stop = fn(m, ctx);
            free(m);
        }
        size_t n = res.n;
        vns_xresults_fini(&res);
        if (rc != VNS_OK)
            return rc;
        if (stop)
            return stop;
        if (n < o.limit)
            return VNS_OK;
        o.offset += n;
    }
}

int vns_index_recover(struct vns_index *ix, struct vns_err *err)
{
    int rc = vns_shards_recover(ix, err);

    if (rc == VNS_OK)
        forget(ix);
    return rc;
}

/* A sharded reader whose stub file was rewritten (a replica's client
 * points it at a new copy) opens the shards it now lists. */
static int stub_moved(struct vns_index *ix, int *moved, struct vns_err *err)
{
    char stub[4200], id[64];

    if (ix->shards == NULL || ix->mode == VNS_INDEX_WRITE ||
        !vns_stub_locate(ix->dir, stub, sizeof(stub)))
        return VNS_OK;
    stub_identity(stub, id, sizeof(id));
    if (strcmp(id, ix->stub_id) == 0)
        return VNS_OK;
    close_dbs(ix);
    *moved = 1;
    return open_dbs(ix, err);
}

int vns_index_reopen(struct vns_index *ix, int *changed, struct vns_err *err)
{
    int moved = 0, back = 0, rc = stub_moved(ix, &moved, err);

    if (rc == VNS_OK && ix->missing > 0)
        rc = vns_shards_retry(ix, 0, &back, err);
    if (rc == VNS_OK && !moved)
        rc = vns_xdb_reopen(ix->db, &moved, err);
    moved = moved || back;
    if (rc == VNS_OK && moved) { /* new words, spellings, documents */
        forget(ix);
        /* maybe another folder under the name (compacted, restored) */
        rc = check_format(ix, err);
        if (rc == VNS_OK)
            rc = vns_packdict_load(ix, err);
    }
    if (changed != NULL)
        *changed = moved;
    return rc;
}
