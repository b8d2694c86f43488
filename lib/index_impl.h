/* What an open index holds, shared by index.c (writing) and search.c
 * (reading). Nothing outside lib/ sees it. */
#ifndef VNSEARCH_LIB_INDEX_IMPL_H
#define VNSEARCH_LIB_INDEX_IMPL_H

#include <jansson.h>

#include "extract.h"
#include "vnsearch/analyze.h"
#include "vnsearch/index.h"
#include "xapian.h"

/* Term prefixes. Folded terms have none ("mui") and carry positions; the
 * exact forms of words with diacritics take E ("Emũi"), without positions;
 * the unique id takes Q. Metadata filters
 * are boolean terms on folded values: XP province, XN province_2025,
 * XB issuing body, XT document type, XL deadline date, XK has a deadline,
 * XO text recognized by OCR (no term: born digital). */
#define VNS_PREFIX_EXACT "E"
#define VNS_PREFIX_ID "Q"
/* Two adjacent syllables, folded ("Btiem mui") and as written ("Ctiêm
 * mũi"), without positions (index_doc.c). */
#define VNS_PREFIX_PAIR "B"
#define VNS_PREFIX_EXACT_PAIR "C"
#define VNS_PAIR_MAX 64
/* Written pairs (C) come from every syllable while the index holds fewer
 * than VNS_EXACT_PAIR_FULL documents (a handful of notices need all their
 * statistics; a run's files count by their place in it: index_doc.c),
 * then from the title, the subject and the first
 * VNS_EXACT_PAIR_SPAN syllables of the text: statistics enough to restore
 * diacritics, for a fraction of the cost. Small seed 11, restoring 151
 * queries typed without diacritics: every pair 0.908 of marked syllables
 * right, 300 syllables 0.906, 100 syllables 0.840; with 300 the index is
 * 19% smaller (169 -> 137 MB) for about a third less indexing CPU.
 * VNS_EXACT_PAIR_FULL 1000 -> 250 (2026-12): on the 20 small dev seeds
 * (11, 31, 51, 101-103, 201-203, 301, 401-403, 501-503, 601-604; --jobs
 * 1) the index 5.7% smaller (median; 64.2 -> 60.6 MB on seed 11), its
 * indexing 14% shorter, overall nDCG@10 moved by -0.0014..+0.0016 a seed
 * (+0.0015 summed over the 20), one known item second instead of first
 * and one the other way; 0 did no better (+0.0020 summed, 7.7% smaller). */
#define VNS_EXACT_PAIR_SPAN 300
#define VNS_EXACT_PAIR_FULL 250
/* prefix + "a b" into out (cap bytes); its length, or 0 when longer than
 * VNS_PAIR_MAX (such pairs are not indexed). */
size_t vns_pair_term(char *out, size_t cap, const char *prefix, const char *a,
                     const char *b);
#define VNS_PREFIX_PROVINCE "XP"
#define VNS_PREFIX_PROVINCE_2025 "XN"
#define VNS_PREFIX_BODY "XB"
#define VNS_PREFIX_TYPE "XT"
#define VNS_PREFIX_DEADLINE "XL"
/* XD + the key of the notice's own number (docnum.h), with weight: a
 * query that is a number finds that notice above those citing it. */
#define VNS_PREFIX_NUMBER "XD"
#define VNS_TERM_HAS_DEADLINE "XK"
/* the text was recognized from page images (OCR) */
#define VNS_TERM_OCR "XO"
/* XR + the absolute root folder a file was found under (its hash when
 * long): the files that are gone are removed root by root. */
#define VNS_PREFIX_ROOT "XR"

/* The layout of terms and values this vnsearch writes and reads, stamped
 * in the index's metadata under VNS_FORMAT_KEY (index.c). Bump it when a
 * change needs a rebuild. 2: pair terms, exact forms without positions,
 * deadline and number terms (2026-11). 3: the text value compressed
 * (textpack.h), written pairs (C) from the first VNS_EXACT_PAIR_SPAN
 * syllables once the index holds VNS_EXACT_PAIR_FULL documents (2026-11).
 * Readers also read format 2; a writer wants a rebuild (--force) of any
 * other. Since 2026-12 a document's words in order are a value
 * (VNS_SLOT_WORDS, then among the parts of VNS_SLOT_SHOWN) and its terms
 * carry no positions; one written before has position lists instead,
 * and search reads either, document by document, so no rebuild is
 * needed. Since 2026-12 too, texts and JSON may be packed with the
 * index's own dictionaries (packdict.h): a vnsearch from before cannot
 * read those documents; this one reads both kinds, so, again, no
 * rebuild. */
#define VNS_FORMAT_KEY "vnsearch.format"
#define VNS_INDEX_FORMAT "3"
/* Can this vnsearch search an index stamped f? */
int vns_index_format_readable(const char *f);
/* When the last commit that wrote something happened: Unix seconds as
 * decimal text (index.c), shown by vns_index_stats. */
#define VNS_COMMITTED_KEY "vnsearch.committed"

/* Xapian's term limit is 245 bytes; Q + id must fit. */
#define VNS_MAX_ID 240

/* Value slots: sorting, ranges and facets. */
enum {
    VNS_SLOT_DATE = 0,  /* "2021-11-29" */
    VNS_SLOT_MONTH = 1, /* "2021-11" */
    VNS_SLOT_PROVINCE = 2,
    VNS_SLOT_PROVINCE_2025 = 3,
    VNS_SLOT_BODY = 4,
    VNS_SLOT_TYPE = 5,
    VNS_SLOT_STAMP = 6, /* "size:mtime:overrides": unchanged files skipped */
    VNS_SLOT_ID = 7,    /* the id, for sweeping a root */
    VNS_SLOT_HASH = 8,  /* content + overrides hash, when the stamp moved */
    VNS_SLOT_TEXT = 9,  /* the extracted text (docrec.c) */
    VNS_SLOT_META = 10, /* the metadata JSON (docrec.c) */
    /* the deadline sentences, "2021-12-15\thoàn thành ...\n" each: what a
     * deadline question re-ranks by, without parsing the metadata */
    VNS_SLOT_DEADLINES = 11,
    /* "1" when the text was recognized by OCR (absent: born digital), for
     * the "ocr" facet; the XO term filters */
    VNS_SLOT_OCR = 12,
    /* the facet slots' values in one, VNS_XFACET_SEP between them:
     * province, body, type, month, ocr (search.c's facet order), so that
     * counting facets reads one value a match, not five */
    VNS_SLOT_FACETS = 13,
    /* where every 16th token of the text starts (tokmap.h): snippets from
     * the re-rank's positions; absent in older indexes (a screen of the
     * whole text stands in) */
    VNS_SLOT_TOKMAP = 14,
    /* the text's words in order, each its number in the value's own list
     * of words (wordseq.h): where a hit holds the query's words, in one
     * read; absent in older indexes (the position lists stand in) */
    VNS_SLOT_WORDS = 15,
    /* what the re-rank and a shown hit read, in one lookup: the record,
     * metadata, checkpoints, text and words in order (docrec.h).
     * Documents written since 2026-12 have it instead of VNS_SLOT_TEXT,
     * VNS_SLOT_META, VNS_SLOT_TOKMAP and VNS_SLOT_WORDS */
    VNS_SLOT_SHOWN = 16
};

/* What one thread needs to build documents: ICU and libmagic handles. */
struct vns_worker {
    struct vns_analyzer *an;
    struct vns_extractor *ex;
};
int vns_worker_init(struct vns_worker *w, struct vns_err *err);
void vns_worker_fini(struct vns_worker *w);

/* Where a document comes from. */
struct vns_source {
    const char *path;      /* the file, or NULL for text */
    const char *id;        /* unique id: the path under its root */
    const char *root;      /* absolute root folder, or NULL */
    const char *meta_json; /* overrides, or NULL */
    const char *stamp;     /* for VNS_SLOT_STAMP, or NULL */
    const char *hash;      /* for VNS_SLOT_HASH, or NULL */
    /* 1 + the documents before this one: those the index held when
     * opened, then the files of the run listed before it (crawl.c); 0
     * when not known: those written so far count, which a worker running
     * ahead of the writer sees at a moment that varies run to run */
    uint64_t seq;
};

struct vns_packdicts;

/* A document built and ready to write. */
struct vns_prepared {
    char idterm[VNS_MAX_ID + 2];
    struct vns_xdoc *doc;
    const struct vns_packdicts *packed_with; /* its record's dictionaries */
    struct vns_file_info info;
};
void vns_prepared_fini(struct vns_prepared *p);

struct vns_gaz;
struct vns_packstate;
struct vns_bodies;
struct vns_synonyms;
struct vns_spell;
struct vns_words;
struct vns_idcache;
struct vns_shard;

struct vns_index {
    /* the database searched: the one database, or the shards combined
     * (shard.h); writers write each document to its shard */
    struct vns_xdb *db;
    struct vns_shard *shards; /* NULL: one database */
    size_t nshards;
    size_t missing;      /* shards left out (allow_partial) */
    int allow_partial;   /* VNS_INDEX_PARTIAL */
    double retried_at;   /* when the missing ones were last tried */
    char stub_id[64];    /* the stub file as it was opened (a replica's
                            may be rewritten to point elsewhere) */
    struct vns_worker w; /* for this thread; w.ex for writers only */
    struct vns_gaz *gaz; /* loaded on first use; read-only, shared */
    struct vns_bodies *bodies;
    struct vns_synonyms *syn; /* loaded on first search; NULL: none */
    int syn_loaded;
    struct vns_spell *spell;     /* built on first use, dropped on reopen */
    struct vns_idcache *ids;     /* the same */
    struct vns_facetcols *fcols; /* the same; facetcols.h */
    uint64_t fcols_failed;       /* revision + 1 they could not be built at */
    struct vns_docsets *dsets;   /* the same; docsets.h */
    struct vns_words *words;     /* the same; see vns_index_words */
    unsigned words_asked;        /* since the last reopen */
    int mode;
    int lockfd;     /* writers: vnsearch.lock, see lock.h */
    int old_format; /* holds documents of another layout (writers only) */
    /* writers: documents held at open plus those written since, which
     * decides the span of written pairs (index_doc.c); read by worker
     * threads, hence atomic */
    _Atomic uint64_t written;
    uint64_t held; /* writers: documents held when opened */
    /* writers: each shard's packing dictionaries (packdict.h) */
    struct vns_packstate *pack;
    size_t npack;
    char dir[4096];
};

/* Build the document of a file's bytes (data, len) or of text, on any
 * thread with its own worker; ix is only read (vns_index_vocab must have
 * run). Errors name src->path or src->id. */
int vns_prepare_blob(const struct vns_index *ix, struct vns_worker *w,
                     const struct vns_source *src, const char *data, size_t len,
                     struct vns_prepared *out, struct vns_err *err);
int vns_prepare_text(const struct vns_index *ix, struct vns_worker *w,
                     const struct vns_source *src, const char *title,
                     const char *text, size_t len, struct vns_prepared *out,
                     struct vns_err *err);
/* Write a prepared document (replacing any with its id) in its shard. */
int vns_index_put(struct vns_index *ix, struct vns_prepared *p,
                  struct vns_err *err);

/* Writers of a sharded index: the shard of an id term ("Q" + id), and
 * the writable database of shard i (ix->db itself for one database).
 * Writer threads may each write one shard at once; nothing may read
 * ix->db meanwhile. */
unsigned vns_index_nshards(const struct vns_index *ix);
unsigned vns_index_shard_of(const struct vns_index *ix, const char *idterm);
struct vns_xdb *vns_index_writer(struct vns_index *ix, unsigned shard);
/* Delete the documents holding idterm, in its shard. */
int vns_index_delete_term(struct vns_index *ix, const char *idterm,
                          struct vns_err *err);
/* Set a value of document docid (an id of ix->db) in its shard. */
int vns_index_set_value(struct vns_index *ix, uint32_t docid, unsigned slot,
                        const char *value, struct vns_err *err);
/* After VNS_EREMOTE: with VNS_INDEX_PARTIAL, leave out the shards that
 * stopped answering; VNS_OK means "try again" (err keeps the cause
 * otherwise). */
int vns_index_recover(struct vns_index *ix, struct vns_err *err);
/* Commit shard i alone (every shard: vns_index_commit). */
int vns_index_commit_shard(struct vns_index *ix, unsigned shard,
                           struct vns_err *err);

int vns_index_id_term(const char *id, char *term, size_t cap,
                      struct vns_err *err);
void vns_index_root_term(const char *root, char *term, size_t cap);

/* Stamp the index with this vnsearch's layout (a forced rebuild done). */
int vns_index_set_format(struct vns_index *ix, struct vns_err *err);

/* The gazetteer and the bodies vocabulary, loaded on first use. */
int vns_index_vocab(struct vns_index *ix, struct vns_err *err);
/* The query synonyms (data/synonyms.tsv), loaded on first use; VNS_OK
 * with ix->syn NULL when no data directory has the file. */
int vns_index_synonyms(struct vns_index *ix, struct vns_err *err);
/* The written forms of the index's syllables (ix->spell, spell.h), read
 * on first use per reader and revision. */
int vns_index_spelling(struct vns_index *ix, struct vns_err *err);
/* The words table of a reader (words.h) for a word's edits and the
 * search box's completions: NULL until
 * it has been asked for a few times (index.c), for writers, and when it
 * could not be built (then ask the index term by term). Dropped on
 * reopen. */
const struct vns_words *vns_index_words(struct vns_index *ix);

/* Add the metadata of the JSON object meta to doc: filter terms and value
 * slots. */
int vns_index_meta_terms(struct vns_xdoc *doc, json_t *meta,
                         struct vns_err *err);

#endif
