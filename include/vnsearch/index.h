/* The index: open or create one, add files or text, delete, commit.
 * Extraction and analysis happen inside; callers pass paths and ids. */
#ifndef VNSEARCH_INDEX_H
#define VNSEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vns_index;

#define VNS_INDEX_READ 0  /* search only */
#define VNS_INDEX_WRITE 1 /* create if missing, take the writer lock */
/* With VNS_INDEX_READ, on a sharded index: search the shards that answer
 * when some do not (vns_index_missing tells), instead of failing. */
#define VNS_INDEX_PARTIAL 0x100

/* Where the index lives when neither --db nor VNSEARCH_DB says. */
#define VNS_DEFAULT_DB "vnsearch.db"

/* Open the index in dir. Errors: VNS_ENOTFOUND (read mode, no index),
 * VNS_EBUSY (another writer), VNS_EINDEX, VNS_ENOMEM. Close with
 * vns_index_close, which commits pending changes of a writer. */
VNS_API int vns_index_open(const char *dir, int mode, struct vns_index **out,
                           struct vns_err *err);
VNS_API void vns_index_close(struct vns_index *ix);

/* Make dir a new index of n shards (2 to 64): a folder with Xapian's stub
 * file (XAPIANDB) listing shard0..shard<n-1>, which vns_index_open then
 * opens as one index; each document goes to the shard its id hashes to.
 * An index with n shards there already is fine; one of another shape is
 * VNS_EINVAL (rebuild it). */
VNS_API int vns_index_create_shards(const char *dir, unsigned n,
                                    struct vns_err *err);

/* How many shards the index in dir has (1: one database, or none). */
VNS_API unsigned vns_index_shards(const char *dir);

/* Read mode with VNS_INDEX_PARTIAL: how many shards are left out because
 * they did not answer; their names ("a, b") into names (cap bytes, may be
 * 0). 0 when every shard is searched. */
VNS_API size_t vns_index_missing(struct vns_index *ix, char *names, size_t cap);

/* Read mode: move to the newest committed revision, so a long-lived reader
 * sees what the indexer committed since. *changed (may be NULL) says
 * whether it moved. A writer always sees its own state (*changed = 0).
 * Errors: VNS_EINDEX (the index was removed or damaged: close and open). */
VNS_API int vns_index_reopen(struct vns_index *ix, int *changed,
                             struct vns_err *err);

/* The revision the handle reads (a sharded index: the sum of its
 * shards'); it grows with each commit. Errors: VNS_EINDEX. */
VNS_API int vns_index_revision(struct vns_index *ix, uint64_t *out,
                               struct vns_err *err);

/* What indexing learned about one file, for reports. */
struct vns_file_info {
    const char *format; /* static: "text", "markdown", "html" */
    size_t bad_utf8;    /* invalid UTF-8 sequences replaced by U+FFFD */
    size_t text_len;    /* bytes of text indexed */
};

/* Extract the file at path and add it under id, replacing any document
 * with that id. Metadata (date, number, type, issuing body, province,
 * deadlines...) is extracted from the text; meta_json (may be NULL) is a
 * JSON object of fields that win over extraction, as in a sidecar
 * FILE.meta.json: {"province": "Trà Vinh"}. info (may be NULL) is filled
 * on success. Errors name the path: VNS_EUNSUPPORTED (type or encoding we
 * do not read), VNS_EBADDATA, VNS_ETOOBIG, VNS_EIO, VNS_ENOTFOUND,
 * VNS_EINVAL (a bad override: the key and why); the index is unchanged
 * then. */
VNS_API int vns_index_add_file(struct vns_index *ix, const char *path,
                               const char *id, const char *meta_json,
                               struct vns_file_info *info, struct vns_err *err);

/* Add text (UTF-8, any form; cleaned and repaired here) under id with an
 * optional title (NULL: guessed from the text) and overrides as above. */
VNS_API int vns_index_add_text(struct vns_index *ix, const char *id,
                               const char *title, const char *text, size_t len,
                               const char *meta_json, struct vns_err *err);

/* Delete the document with id; VNS_OK when there was none. */
VNS_API int vns_index_delete(struct vns_index *ix, const char *id,
                             struct vns_err *err);

/* Make every change so far durable and visible to readers. */
VNS_API int vns_index_commit(struct vns_index *ix, struct vns_err *err);

/* One stored document. */
struct vns_doc {
    char *id;
    char *title;
    char *format; /* "text", "markdown", "html"... */
    char *path;   /* the file as indexed (absolute), "" when unknown */
    char *text;   /* the extracted text, one paragraph per line */
    size_t text_len;
    char *meta; /* the metadata as a JSON object text */
};

/* Fetch document id into *out (free with vns_doc_fini). VNS_ENOTFOUND
 * when there is no such document. */
VNS_API int vns_index_doc(struct vns_index *ix, const char *id,
                          struct vns_doc *out, struct vns_err *err);
VNS_API void vns_doc_fini(struct vns_doc *doc);

/* The metadata of document id as a JSON object text: the fields, their
 * evidence, "overridden" keys, plus "id" and "title". *out is malloc'd
 * (free it). VNS_ENOTFOUND when there is no such document. */
VNS_API int vns_index_doc_meta(struct vns_index *ix, const char *id, char **out,
                               struct vns_err *err);

/* Call fn with the metadata (as vns_index_doc_meta gives it) of every
 * document, in the order they were first added; fn returns nonzero to stop,
 * which is returned. */
typedef int (*vns_meta_fn)(const char *meta_json, void *ctx);
VNS_API int vns_index_each_meta(struct vns_index *ix, vns_meta_fn fn, void *ctx,
                                struct vns_err *err);

/* Number of documents. */
VNS_API int vns_index_doccount(struct vns_index *ix, uint64_t *out,
                               struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
