/* The C face of the Xapian shim (lib/xapian.cc): terms and values in,
 * document ids and scores out. No Xapian type or exception crosses it. */
#ifndef VNSEARCH_LIB_XAPIAN_H
#define VNSEARCH_LIB_XAPIAN_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vns_xdb;  /* an open database, read-only or writable */
struct vns_xdoc; /* a document being built */

#define VNS_XDB_READ 0  /* open an existing database for searching */
#define VNS_XDB_WRITE 1 /* create or open for writing (takes the lock) */

/* Open dir. Errors: VNS_ENOTFOUND (no database there, read mode),
 * VNS_EBUSY (another writer holds the lock), VNS_EINDEX (damaged...).
 * Close with vns_xdb_close, which for a writer commits nothing: call
 * vns_xdb_commit first. */
int vns_xdb_open(const char *dir, int mode, struct vns_xdb **out,
                 struct vns_err *err);
void vns_xdb_close(struct vns_xdb *db);

/* Open the database a xapian-tcpsrv serves at host:port, read-only;
 * timeout_ms bounds the connection and each exchange (0: Xapian waits
 * forever). Errors: VNS_EREMOTE (no answer), VNS_EINDEX. */
int vns_xdb_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                        struct vns_xdb **out, struct vns_err *err);

/* A reader over parts[0..n) searched as one database (Xapian's sharding:
 * document id d of part i is (d - 1) * n + i + 1, statistics are summed,
 * so scores equal those of one database holding every document). The
 * parts stay the caller's: close them after *out. A writable part is read
 * as it stands, writes included; a read-only one moves with
 * vns_xdb_reopen of the whole. name is for messages. */
int vns_xdb_combine(const char *name, struct vns_xdb *const *parts, size_t n,
                    struct vns_xdb **out, struct vns_err *err);

/* Read mode: move to the newest committed revision. *changed (may be NULL)
 * says whether it moved. */
int vns_xdb_reopen(struct vns_xdb *db, int *changed, struct vns_err *err);

/* Document building. Terms are bytes (term, len); Xapian's 245-byte term
 * limit is checked here and reported as VNS_ETOOBIG. */
int vns_xdoc_new(struct vns_xdoc **out, struct vns_err *err);
void vns_xdoc_free(struct vns_xdoc *doc);
int vns_xdoc_add_posting(struct vns_xdoc *doc, const char *term, size_t len,
                         uint32_t pos, struct vns_err *err);
int vns_xdoc_add_term(struct vns_xdoc *doc, const char *term, size_t len,
                      uint32_t wdfinc, struct vns_err *err);
/* A term with no weight (wdf 0), for ids and filters. */
int vns_xdoc_add_boolean(struct vns_xdoc *doc, const char *term, size_t len,
                         struct vns_err *err);
int vns_xdoc_set_value(struct vns_xdoc *doc, unsigned slot, const char *val,
                       size_t len, struct vns_err *err);
int vns_xdoc_set_data(struct vns_xdoc *doc, const char *data, size_t len,
                      struct vns_err *err);

/* Writer: replace the document holding the unique term idterm (or add it).
 * *docid (may be NULL) gets its Xapian document id. */
int vns_xdb_replace(struct vns_xdb *db, const char *idterm,
                    const struct vns_xdoc *doc, uint32_t *docid,
                    struct vns_err *err);
/* The database's own key/value notes (Xapian user metadata): *out is
 * malloc'd, "" when key is unset. Setting is a write, kept by the next
 * commit. */
int vns_xdb_get_metadata(struct vns_xdb *db, const char *key, char **out,
                         struct vns_err *err);
int vns_xdb_set_metadata(struct vns_xdb *db, const char *key, const char *value,
                         struct vns_err *err);
/* The same for bytes (value, len), which may hold NULs: *out is malloc'd
 * and NUL-terminated, *len 0 when key is unset. */
int vns_xdb_get_metadata_bytes(struct vns_xdb *db, const char *key, char **out,
                               size_t *len, struct vns_err *err);
int vns_xdb_set_metadata_bytes(struct vns_xdb *db, const char *key,
                               const char *value, size_t len,
                               struct vns_err *err);

/* Writer: delete the documents holding idterm; VNS_OK if there were none. */
int vns_xdb_delete(struct vns_xdb *db, const char *idterm, struct vns_err *err);
int vns_xdb_commit(struct vns_xdb *db, struct vns_err *err);

/* Statistics. */
int vns_xdb_doccount(struct vns_xdb *db, uint64_t *out, struct vns_err *err);
/* The highest document id used (0 for an empty database). */
int vns_xdb_lastdocid(struct vns_xdb *db, uint32_t *out, struct vns_err *err);
/* Documents holding term (0 when absent). */
int vns_xdb_termfreq(struct vns_xdb *db, const char *term, size_t len,
                     uint64_t *out, struct vns_err *err);
/* Whether looking terms up together pays: the reader caches term
 * frequencies (vns_xdb_termfreqs_ahead does work; a writer does not). */
int vns_xdb_lookups_batched(struct vns_xdb *db);
/* Look the frequencies of terms[0..n) (lens[i] bytes each) up ahead for
 * vns_xdb_termfreq's cache: in one exchange a shard when some shard is
 * remote (each lookup is otherwise a round trip: the spelling's hundreds
 * of candidate words and pairs); else in term order, so that lookups in
 * one B-tree leaf read it once (the tone variants of one syllable, the
 * pairs of one word). Does nothing for a writer (no cache). Terms too
 * long or empty are skipped. */
int vns_xdb_termfreqs_ahead(struct vns_xdb *db, const char *const *terms,
                            const size_t *lens, size_t n, struct vns_err *err);
/* Fetch the documents ids[0..n) ahead of the reads that follow
 * (vns_xdb_get_value, vns_xdb_get_data): those of remote shards side by
 * side, over a few connections a shard (each is otherwise a round trip in
 * turn); nothing for local ones, a few block reads each. A document whose
 * value came ahead with its match (vns_xsearch.ahead_slot) is not
 * fetched: the reads that follow are taken to be of that slot (any other
 * fetches it then, one round trip). */
int vns_xdb_documents_ahead(struct vns_xdb *db, const uint32_t *ids, size_t n,
                            struct vns_err *err);
/* Total occurrences of term in the collection. */
int vns_xdb_collfreq(struct vns_xdb *db, const char *term, size_t len,
                     uint64_t *out, struct vns_err *err);
/* Call fn for each term starting with prefix (in byte order), with its
 * termfreq; fn returns nonzero to stop, which is returned. */
typedef int (*vns_xterm_fn)(const char *term, size_t len, uint64_t termfreq,
                            void *ctx);
int vns_xdb_terms(struct vns_xdb *db, const char *prefix, vns_xterm_fn fn,
                  void *ctx, struct vns_err *err);
/* fn(key, strlen(key), 0, ctx) for each metadata key starting with
 * prefix, in byte order, until fn returns nonzero. */
int vns_xdb_metadata_keys(struct vns_xdb *db, const char *prefix,
                          vns_xterm_fn fn, void *ctx, struct vns_err *err);

/* Spelling and synonym hooks (Xapian's own tables). */
int vns_xdb_add_spelling(struct vns_xdb *db, const char *word, uint32_t inc,
                         struct vns_err *err);
/* *out is malloc'd (free it), NULL when there is no suggestion. */
int vns_xdb_spelling_suggestion(struct vns_xdb *db, const char *word,
                                unsigned max_edit, char **out,
                                struct vns_err *err);
int vns_xdb_add_synonym(struct vns_xdb *db, const char *term,
                        const char *synonym, struct vns_err *err);
/* Call fn for each synonym of term. */
int vns_xdb_synonyms(struct vns_xdb *db, const char *term, vns_xterm_fn fn,
                     void *ctx, struct vns_err *err);

/* A query is a tree of these, built and owned by the caller. */
enum vns_xop {
    VNS_XQ_TERM,        /* term, wqf */
    VNS_XQ_ALL,         /* every document */
    VNS_XQ_AND,         /* kids */
    VNS_XQ_OR,          /* kids */
    VNS_XQ_AND_NOT,     /* kids[0] without any of kids[1..] */
    VNS_XQ_AND_MAYBE,   /* kids[0], scored up by kids[1..] */
    VNS_XQ_FILTER,      /* kids[0] restricted by kids[1..], no weight */
    VNS_XQ_PHRASE,      /* kids (terms) in order within window */
    VNS_XQ_NEAR,        /* kids (terms) in any order within window */
    VNS_XQ_SCALE,       /* kids[0] with its weight times scale */
    VNS_XQ_VALUE_RANGE, /* slot value in [lo, hi] (byte order), no weight */
    VNS_XQ_SYNONYM,     /* kids matched as if one term */
    VNS_XQ_NOTHING      /* no document */
};

struct vns_xq {
    enum vns_xop op;
    const char *term; /* TERM */
    size_t term_len;
    uint32_t wqf;        /* TERM: 0 means 1 */
    uint32_t window;     /* PHRASE, NEAR: 0 means the number of kids */
    double scale;        /* SCALE */
    unsigned slot;       /* VALUE_RANGE */
    const char *lo, *hi; /* VALUE_RANGE, NUL-terminated; NULL = open */
    const struct vns_xq *const *kids;
    size_t nkids;
};

#define VNS_XMAX_FETCH 4

struct vns_xhit {
    uint32_t docid;
    double score;
    char *data; /* the document data, malloc'd */
    size_t data_len;
    /* the values of vns_xsearch.fetch, in that order, malloc'd ("" when
     * the document has none) */
    char *values[VNS_XMAX_FETCH];
    size_t value_len[VNS_XMAX_FETCH];
};

/* One value of a facet slot and how many matching documents hold it. */
struct vns_xcount {
    char *value; /* malloc'd, NUL-terminated */
    size_t len;
    uint64_t count;
};

struct vns_xfacet {
    unsigned slot;
    struct vns_xcount *counts; /* most frequent first, then by value */
    size_t n;
};

#define VNS_XMAX_FACETS 8
#define VNS_XFACET_SEP '\x1f'

struct vns_xresults {
    struct vns_xhit *hits;
    size_t n;
    uint64_t estimate; /* matches, Xapian's estimate */
    uint64_t lower;    /* ... and its bounds */
    uint64_t upper;
    struct vns_xfacet facets[VNS_XMAX_FACETS];
    size_t nfacets;
    int spied; /* the facets went to opts->spy: facets[] is empty */
};

/* Told of every match instead of counting facet slots (local databases
 * only: over remote shards the slots are counted). begin: a match starts,
 * maybe again after the reader moved to a newer revision (forget what was
 * told); match: one matching document. */
struct vns_xspy {
    void (*begin)(void *ctx);
    void (*match)(uint32_t docid, void *ctx);
    void *ctx;
};

/* How to run a query: the page, the order, and the facets wanted. */
struct vns_xsearch {
    size_t offset;
    size_t limit;
    double time_limit; /* seconds, 0 for none */
    int sort_slot;     /* -1: relevance; else by this value, then relevance */
    /* by relevance with ties_by_value: equal scores in the order of the
     * value in tie_slot (ascending), not of document ids, which depend on
     * the shards and the history of the index */
    int ties_by_value;
    unsigned tie_slot;
    int sort_desc; /* with sort_slot: newest (largest) first */
    /* count the values of these slots over every match (exact counts,
     * not only the page: the whole match set is examined) */
    const unsigned *facet_slots;
    size_t nfacets; /* at most VNS_XMAX_FACETS */
    /* with packed: the slot packed_slot holds the facet slots' values in
     * that order, VNS_XFACET_SEP between them; a match reads it instead
     * of each slot (a document without it is read slot by slot). Over
     * remote shards the slots are read one by one anyway. */
    int packed;
    unsigned packed_slot;
    /* with nfacets > 0: tell spy of every match instead, when no shard is
     * remote (vns_xresults.spied says which happened) */
    const struct vns_xspy *spy;
    /* with spy, or facets over remote shards: a tree matching the same
     * documents as the query, cheaper to run, that the count runs instead
     * (NULL: the query); the facets and totals are those of its match */
    const struct vns_xq *count;
    /* value slots read with each hit's data */
    const unsigned *fetch;
    size_t nfetch; /* at most VNS_XMAX_FETCH */
    int no_data;   /* leave vns_xhit.data NULL: the caller reads it later */
    /* over remote shards: the values of slot ahead_slot of hits offset ..
     * offset+ahead_n-1 come with one more match a shard (as collapse keys,
     * none collapsed), for vns_xdb_get_value to answer without fetching
     * their documents (vns_xdb_documents_ahead then skips them); 0: none.
     * Local databases ignore it. */
    unsigned ahead_slot;
    size_t ahead_n;
};

/* Run q as opts says. On VNS_OK free *out with vns_xresults_fini.
 * Errors: VNS_EQUERY (bad tree), VNS_EINVAL (bad opts), VNS_EINDEX,
 * VNS_ENOMEM. */
int vns_xdb_run(struct vns_xdb *db, const struct vns_xq *q,
                const struct vns_xsearch *opts, struct vns_xresults *out,
                struct vns_err *err);

/* Run q; hits offset..offset+limit-1 by relevance (then docid), each with
 * its data. time_limit in seconds (0: none) bounds the match. On VNS_OK
 * free *out with vns_xresults_fini. Errors: VNS_EQUERY (bad tree),
 * VNS_EINDEX, VNS_ENOMEM. */
int vns_xdb_search(struct vns_xdb *db, const struct vns_xq *q, size_t offset,
                   size_t limit, double time_limit, struct vns_xresults *out,
                   struct vns_err *err);
void vns_xresults_fini(struct vns_xresults *res);

/* The data of document docid; *data is malloc'd (free it). */
int vns_xdb_get_data(struct vns_xdb *db, uint32_t docid, char **data,
                     size_t *len, struct vns_err *err);
/* The value in slot of document docid ("" when it has none); *out is
 * malloc'd (free it). */
int vns_xdb_get_value(struct vns_xdb *db, uint32_t docid, unsigned slot,
                      char **out, size_t *len, struct vns_err *err);

/* Writer: set the value in slot of document docid (value, len bytes),
 * keeping the rest. */
int vns_xdb_set_value(struct vns_xdb *db, uint32_t docid, unsigned slot,
                      const char *value, size_t len, struct vns_err *err);

/* The positions of term in document docid, ascending, into *out (malloc'd,
 * free it; NULL when *n is 0). A term the document lacks, or one indexed
 * without positions, gives *n = 0. */
int vns_xdb_positions(struct vns_xdb *db, uint32_t docid, const char *term,
                      size_t len, uint32_t **out, size_t *n,
                      struct vns_err *err);

/* has[i] = 0 when document docids[i] surely does not hold term, 1 when it
 * may; docids ascending. On local databases exactly whether it does: one
 * walk of the term's posting list, skipping to each. With a remote shard
 * always 1: its posting list would come whole (25 ms a common pair on
 * gen-notices medium, a query's time many times over). */
int vns_xdb_holding(struct vns_xdb *db, const char *term, size_t len,
                    const uint32_t *docids, size_t n, uint8_t *has,
                    struct vns_err *err);

/* Call fn for every document's value in slot, in docid order (documents
 * without one are skipped); fn returns nonzero to stop, which is
 * returned. A sequential read: far cheaper than one lookup per document. */
typedef int (*vns_xvalue_fn)(uint32_t docid, const char *val, size_t len,
                             void *ctx);
int vns_xdb_values(struct vns_xdb *db, unsigned slot, vns_xvalue_fn fn,
                   void *ctx, struct vns_err *err);

/* Call fn for each document holding term ("": every document), in docid
 * order; fn may change the database. fn returns nonzero to stop, which
 * is returned. */
typedef int (*vns_xdoc_fn)(uint32_t docid, void *ctx);
int vns_xdb_postlist(struct vns_xdb *db, const char *term, vns_xdoc_fn fn,
                     void *ctx, struct vns_err *err);

/* The document id holding idterm, VNS_ENOTFOUND when none. */
int vns_xdb_find(struct vns_xdb *db, const char *idterm, uint32_t *docid,
                 struct vns_err *err);

/* The revision of the database: it grows with each commit. */
int vns_xdb_revision(struct vns_xdb *db, uint64_t *out, struct vns_err *err);

/* Writer: nonzero when writes wait for the next vns_xdb_commit. */
int vns_xdb_pending(const struct vns_xdb *db);

/* Xapian's consistency check of every table of the database in dir, which
 * is not opened: it may be too damaged to. *nerrors gets the number of
 * faults found (a table too broken to walk counts as one), *report
 * Xapian's account of them (malloc'd, free it). VNS_OK when the check ran,
 * sound or not. Errors: VNS_ENOTFOUND (no database in dir), VNS_ENOMEM. */
int vns_xdb_check(const char *dir, uint64_t *nerrors, char **report,
                  struct vns_err *err);

/* Compact the committed state of the database in src into the folder dst
 * (created; files there are overwritten), keeping the document ids; with
 * merge, src may be a stub of several databases, merged into one (each
 * one's documents numbered after the last's). A snapshot recycled by a
 * writer meanwhile is compacted again. Errors: VNS_ENOTFOUND, VNS_EINDEX,
 * VNS_EIO-like failures as VNS_EINDEX. */
int vns_xdb_compact(const char *src, const char *dst, int merge,
                    struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
