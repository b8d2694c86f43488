/* Writing the index: extracted text becomes folded and exact positional
 * terms, a unique id term and a stored record. Ranking is search.c's. */
#include "vnsearch/index.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "docrec.h"
#include "gazetteer.h"
#include "index_impl.h"
#include "meta.h"
#include "meta_json.h"
#include "title.h"

static int valid_utf8(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    UChar32 c;

    while (i < n) {
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

/* Xapian's term limit is 245 bytes; Q + id must fit. */
#define MAX_ID 240

int vns_index_open(const char *dir, int mode, struct vns_index **out,
                   struct vns_err *err)
{
    struct vns_index *ix = calloc(1, sizeof(*ix));
    int rc;

    if (ix == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", dir);
    if (strlen(dir) >= sizeof(ix->dir)) {
        rc = vns_err_set(err, VNS_EINVAL, "%s: path too long", dir);
        goto fail;
    }
    strcpy(ix->dir, dir);
    ix->mode = mode;
    rc = vns_xdb_open(dir,
                      mode == VNS_INDEX_WRITE ? VNS_XDB_WRITE : VNS_XDB_READ,
                      &ix->db, err);
    if (rc != VNS_OK)
        goto fail;
    rc = vns_analyzer_new(&ix->an, err);
    if (rc != VNS_OK)
        goto fail;
    if (mode == VNS_INDEX_WRITE) {
        rc = vns_extractor_new(&ix->ex, err);
        if (rc != VNS_OK)
            goto fail;
    }
    *out = ix;
    return VNS_OK;
fail:
    vns_index_close(ix);
    return rc;
}

void vns_index_close(struct vns_index *ix)
{
    if (ix == NULL)
        return;
    if (ix->db != NULL && ix->mode == VNS_INDEX_WRITE)
        vns_xdb_commit(ix->db, NULL);
    vns_xdb_close(ix->db);
    vns_analyzer_free(ix->an);
    vns_extractor_free(ix->ex);
    vns_gaz_free(ix->gaz);
    vns_bodies_free(ix->bodies);
    free(ix);
}

struct termctx {
    struct vns_xdoc *doc;
    struct vns_err *err;
};

/* Folded form with its position for every token; the exact form too when
 * it has diacritics, so "mũi" can outrank "mùi" and "mui". */
static int add_token(const struct vns_token *t, void *arg)
{
    struct termctx *c = arg;
    char term[VNS_TERM_MAX + 1];
    size_t el = strlen(t->exact);
    int rc;

    rc = vns_xdoc_add_posting(c->doc, t->folded, strlen(t->folded), t->pos + 1,
                              c->err);
    if (rc != VNS_OK || !(t->flags & VNS_TOK_MARKED))
        return rc;
    term[0] = VNS_PREFIX_EXACT[0];
    memcpy(term + 1, t->exact, el);
    return vns_xdoc_add_posting(c->doc, term, el + 1, t->pos + 1, c->err);
}

static int id_term(const char *id, char *term, size_t cap, struct vns_err *err)
{
    size_t n = strlen(id);

    if (n == 0)
        return vns_err_set(err, VNS_EINVAL, "empty document id");
    if (n > MAX_ID || n + 2 > cap)
        return vns_err_set(err, VNS_ETOOBIG, "%s: id longer than %d bytes", id,
                           MAX_ID);
    term[0] = VNS_PREFIX_ID[0];
    memcpy(term + 1, id, n + 1);
    return VNS_OK;
}

/* The metadata object of text: extraction, then the overrides on top. */
static int meta_of(struct vns_index *ix, const char *id, const char *title,
                   const char *text, size_t len, const char *overrides,
                   json_t **out, struct vns_err *err)
{
    struct vns_meta m = {0};
    json_t *obj = NULL, *over = NULL;
    json_error_t je;
    int rc;

    rc = vns_index_vocab(ix, err);
    if (rc != VNS_OK)
        goto out;
    /* the place needs the date (63 or 34 provinces); the body needs the
     * place ("tỉnh" or "thành phố") */
    rc = vns_meta_extract(text, len, title, &m, err);
    if (rc == VNS_OK)
        rc = vns_meta_place(ix->gaz, text, len, &m, err);
    if (rc == VNS_OK)
        rc = vns_meta_body(ix->bodies, text, len, &m, err);
    if (rc != VNS_OK)
        goto out;
    obj = vns_meta_to_json(&m, text, len);
    if (obj == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
        goto out;
    }
    if (overrides != NULL) {
        over = json_loads(overrides, 0, &je);
        if (over == NULL) {
            rc = vns_err_set(err, VNS_EINVAL, "%s: metadata: %s (line %d)", id,
                             je.text, je.line);
            goto out;
        }
        rc = vns_meta_override(obj, over, ix->gaz, ix->bodies, id, err);
        if (rc != VNS_OK)
            goto out;
    }
    *out = obj;
    obj = NULL;
out:
    json_decref(over);
    json_decref(obj);
    vns_meta_fini(&m);
    return rc;
}

/* Index clean text (NFC, one paragraph per line) under id. */
static int index_clean(struct vns_index *ix, const char *id, const char *path,
                       const char *title, const char *format, const char *text,
                       size_t len, const char *overrides, struct vns_err *err)
{
    struct vns_docrec rec = {0};
    struct vns_xdoc *doc = NULL;
    struct termctx tc;
    json_t *meta = NULL;
    char idt[MAX_ID + 2];
    char *data = NULL, *mtext = NULL;
    size_t dlen = 0;
    int rc;

    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    rc = id_term(id, idt, sizeof(idt), err);
    if (rc != VNS_OK)
        goto out;
    rc = meta_of(ix, id, title, text, len, overrides, &meta, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_xdoc_new(&doc, err);
    if (rc != VNS_OK)
        goto out;
    tc = (struct termctx){doc, err};
    rc = vns_analyze(ix->an, text, len, add_token, &tc, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_xdoc_add_boolean(doc, idt, strlen(idt), err);
    if (rc == VNS_OK)
        rc = vns_index_meta_terms(doc, meta, err);
    if (rc != VNS_OK)
        goto out;
    mtext = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (mtext == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
        goto out;
    }
    rec.id = (char *)id;
    rec.title = (char *)(title ? title : "");
    rec.format = (char *)format;
    rec.path = (char *)(path ? path : "");
    rec.text = (char *)text;
    rec.text_len = len;
    rec.meta = mtext;
    rc = vns_docrec_encode(&rec, &data, &dlen, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_xdoc_set_data(doc, data, dlen, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_xdb_replace(ix->db, idt, doc, NULL, err);
out:
    free(mtext);
    free(data);
    json_decref(meta);
    vns_xdoc_free(doc);
    return rc;
}

int vns_index_add_file(struct vns_index *ix, const char *path, const char *id,
                       const char *meta_json, struct vns_file_info *info,
                       struct vns_err *err)
{
    struct vns_text txt = {0};
    char *abs = NULL;
    int rc;

    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    rc = vns_extract_file(ix->ex, path, &txt, err);
    if (rc != VNS_OK)
        goto out;
    /* the absolute path, for serving the original file later; a path
     * that is not UTF-8 cannot be stored and is left out */
    abs = realpath(path, NULL);
    rc = index_clean(ix, id, abs && valid_utf8(abs) ? abs : NULL, txt.title,
                     txt.format, txt.text, txt.len, meta_json, err);
    if (rc == VNS_OK && info != NULL)
        *info = (struct vns_file_info){txt.format, txt.bad_utf8, txt.len};
out:
    free(abs);
    vns_text_fini(&txt);
    return rc;
}

int vns_index_add_text(struct vns_index *ix, const char *id, const char *title,
                       const char *text, size_t len, const char *meta_json,
                       struct vns_err *err)
{
    char *clean = NULL, *para = NULL, *guess = NULL;
    size_t clen = 0, plen = 0;
    int rc;

    rc = vns_text_clean(text, len, &clean, &clen, NULL, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_paragraphs_repair(clean, clen, &para, &plen, err);
    if (rc != VNS_OK)
        goto out;
    if (title == NULL) {
        rc = vns_title_guess(para, plen, NULL, &guess, err);
        if (rc != VNS_OK)
            goto out;
        title = guess;
    }
    rc = index_clean(ix, id, NULL, title, "text", para, plen, meta_json, err);
out:
    free(guess);
    free(para);
    free(clean);
    return rc;
}

int vns_index_delete(struct vns_index *ix, const char *id, struct vns_err *err)
{
    char idt[MAX_ID + 2];
    int rc = id_term(id, idt, sizeof(idt), err);

    if (rc != VNS_OK)
        return rc;
    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    return vns_xdb_delete(ix->db, idt, err);
}

int vns_index_commit(struct vns_index *ix, struct vns_err *err)
{
    return vns_xdb_commit(ix->db, err);
}

int vns_index_doccount(struct vns_index *ix, uint64_t *out, struct vns_err *err)
{
    return vns_xdb_doccount(ix->db, out, err);
}

/* The record's metadata with its id and title, as one JSON object. */
static int record_meta(const char *data, size_t len, char **out,
                       struct vns_err *err)
{
    struct vns_docrec rec = {0};
    json_t *m = NULL;
    json_error_t je;
    int rc = vns_docrec_decode(data, len, &rec, err);

    if (rc != VNS_OK)
        return rc;
    m = json_loads(rec.meta, 0, &je);
    if (m == NULL) {
        rc = vns_err_set(err, VNS_EINDEX, "%s: metadata unreadable", rec.id);
        goto out;
    }
    json_object_set_new(m, "id", json_string(rec.id));
    json_object_set_new(m, "title", json_string(rec.title));
    *out = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", rec.id);
out:
    json_decref(m);
    vns_docrec_fini(&rec);
    return rc;
}

/* The stored record of document id. */
static int find_record(struct vns_index *ix, const char *id, char **data,
                       size_t *len, struct vns_err *err)
{
    char idt[MAX_ID + 2];
    uint32_t docid;
    int rc = id_term(id, idt, sizeof(idt), err);

    if (rc == VNS_OK)
        rc = vns_xdb_find(ix->db, idt, &docid, err);
    if (rc == VNS_ENOTFOUND)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no such document", id);
    if (rc == VNS_OK)
        rc = vns_xdb_get_data(ix->db, docid, data, len, err);
    return rc;
}

int vns_index_doc_meta(struct vns_index *ix, const char *id, char **out,
                       struct vns_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = find_record(ix, id, &data, &len, err);

    if (rc == VNS_OK)
        rc = record_meta(data, len, out, err);
    free(data);
    return rc;
}

int vns_index_doc(struct vns_index *ix, const char *id, struct vns_doc *out,
                  struct vns_err *err)
{
    struct vns_docrec rec = {0};
    char *data = NULL;
    size_t len = 0;
    int rc = find_record(ix, id, &data, &len, err);

    if (rc == VNS_OK)
        rc = vns_docrec_decode(data, len, &rec, err);
    free(data);
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
    struct vns_xsearch o = {.limit = 1000, .sort_slot = -1};
    int rc = VNS_OK, stop = 0;

    for (;;) {
        struct vns_xresults res = {0};
        rc = vns_xdb_run(ix->db, &all, &o, &res, err);
        if (rc != VNS_OK)
            return rc;
        for (size_t i = 0; i < res.n && !stop && rc == VNS_OK; i++) {
            char *m = NULL;
            rc = record_meta(res.hits[i].data, res.hits[i].data_len, &m, err);
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
