/* The index as storage: open with the writer lock, put, delete, commit,
 * and read stored documents back. Building documents is index_doc.c's. */
#include "vnsearch/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docrec.h"
#include "gazetteer.h"
#include "idcache.h"
#include "index_impl.h"
#include "lock.h"
#include "meta.h"
#include "spell.h"
#include "synonyms.h"

/* The index's layout (terms, values) is stamped in its metadata: a
 * reader refuses an index of another layout instead of ranking it badly;
 * a writer marks an empty index, and an index of another layout is
 * rebuilt (vns_index_set_format after a forced run). */
static int check_format(struct vns_index *ix, struct vns_err *err)
{
    uint64_t n = 0;
    char *f = NULL;
    int rc = vns_xdb_doccount(ix->db, &n, err);

    if (rc == VNS_OK)
        rc = vns_xdb_get_metadata(ix->db, VNS_FORMAT_KEY, &f, err);
    if (rc == VNS_OK && f == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", ix->dir);
    if (rc != VNS_OK)
        goto out;
    ix->old_format = n > 0 && strcmp(f, VNS_INDEX_FORMAT) != 0;
    if (ix->old_format && ix->mode != VNS_INDEX_WRITE)
        rc = vns_err_set(err, VNS_EINDEX,
                         "%s: built by another version of vnsearch (index "
                         "format '%s', this one reads '%s'): rebuild it with "
                         "vnsearch-index --force",
                         ix->dir, f, VNS_INDEX_FORMAT);
    else if (n == 0 && ix->mode == VNS_INDEX_WRITE)
        rc =
            vns_xdb_set_metadata(ix->db, VNS_FORMAT_KEY, VNS_INDEX_FORMAT, err);
out:
    free(f);
    return rc;
}

int vns_index_set_format(struct vns_index *ix, struct vns_err *err)
{
    int rc =
        vns_xdb_set_metadata(ix->db, VNS_FORMAT_KEY, VNS_INDEX_FORMAT, err);

    if (rc == VNS_OK)
        ix->old_format = 0;
    return rc;
}

int vns_index_open(const char *dir, int mode, struct vns_index **out,
                   struct vns_err *err)
{
    struct vns_index *ix = calloc(1, sizeof(*ix));
    int rc;

    if (ix == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", dir);
    ix->lockfd = -1;
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
    rc = vns_xdb_open(dir,
                      mode == VNS_INDEX_WRITE ? VNS_XDB_WRITE : VNS_XDB_READ,
                      &ix->db, err);
    if (rc != VNS_OK)
        goto fail;
    rc = check_format(ix, err);
    if (rc != VNS_OK)
        goto fail;
    if (mode == VNS_INDEX_WRITE)
        rc = vns_worker_init(&ix->w, err);
    else
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
static int commit(struct vns_index *ix, struct vns_err *err)
{
    char now[32];
    int rc = VNS_OK;

    if (vns_xdb_pending(ix->db)) {
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        rc = vns_xdb_set_metadata(ix->db, VNS_COMMITTED_KEY, now, err);
    }
    if (rc == VNS_OK)
        rc = vns_xdb_commit(ix->db, err);
    return rc;
}

void vns_index_close(struct vns_index *ix)
{
    if (ix == NULL)
        return;
    if (ix->db != NULL && ix->mode == VNS_INDEX_WRITE)
        commit(ix, NULL);
    vns_xdb_close(ix->db);
    vns_worker_fini(&ix->w);
    vns_gaz_free(ix->gaz);
    vns_bodies_free(ix->bodies);
    vns_synonyms_free(ix->syn);
    vns_spell_free(ix->spell);
    vns_idcache_free(ix->ids);
    vns_lock_release(ix->lockfd);
    free(ix);
}

int vns_index_put(struct vns_index *ix, struct vns_prepared *p,
                  struct vns_err *err)
{
    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    return vns_xdb_replace(ix->db, p->idterm, p->doc, NULL, err);
}

int vns_index_add_file(struct vns_index *ix, const char *path, const char *id,
                       const char *meta_json, struct vns_file_info *info,
                       struct vns_err *err)
{
    struct vns_source src = {path, id, NULL, meta_json, NULL, NULL};
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
    struct vns_source src = {NULL, id, NULL, meta_json, NULL, NULL};
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
    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    return vns_xdb_delete(ix->db, idt, err);
}

int vns_index_commit(struct vns_index *ix, struct vns_err *err)
{
    return commit(ix, err);
}

int vns_index_doccount(struct vns_index *ix, uint64_t *out, struct vns_err *err)
{
    return vns_xdb_doccount(ix->db, out, err);
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
        .limit = 1000, .sort_slot = -1, .fetch = vns_docrec_fetch, .nfetch = 1};
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

int vns_index_reopen(struct vns_index *ix, int *changed, struct vns_err *err)
{
    int moved = 0, rc = vns_xdb_reopen(ix->db, &moved, err);

    if (rc == VNS_OK && moved) { /* new words, spellings, documents */
        vns_spell_free(ix->spell);
        ix->spell = NULL;
        vns_idcache_free(ix->ids);
        ix->ids = NULL;
        /* maybe another folder under the name (compacted, restored) */
        rc = check_format(ix, err);
    }
    if (changed != NULL)
        *changed = moved;
    return rc;
}
