/* Keeping an index: compact it in place while searches go on, back it up
 * and restore it, check it, and count what it holds. */
#ifndef VNSEARCH_MAINTAIN_H
#define VNSEARCH_MAINTAIN_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/crawl.h"
#include "vnsearch/err.h"
#include "vnsearch/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a compaction, backup or restore did. */
struct vns_compact_result {
    uint64_t bytes_before; /* the index folder's files before */
    uint64_t bytes_after;  /* ... and the new folder's */
    double seconds;
    int exchanged; /* 1: swapped in with one atomic rename; 0: two renames
                      (the filesystem has no RENAME_EXCHANGE) */
};

/* Compact the index in dir into a new folder beside it (dir.compact-tmp),
 * then swap that in under the name dir and remove the old one, holding
 * the writer lock throughout (VNS_EBUSY "index is locked by PID n" when
 * an indexer runs). Files of the folder that are not Xapian's are carried
 * over. A reader opened before keeps its own files; its next
 * vns_index_reopen moves to the new folder; no reader ever sees a half
 * built one. *out (may be NULL) is filled on success. Errors:
 * VNS_ENOTFOUND (no index in dir), VNS_EBUSY, VNS_EIO, VNS_EINDEX (a
 * damaged index is left as it was). */
VNS_API int vns_index_compact(const char *dir, struct vns_compact_result *out,
                              struct vns_err *err);

/* As vns_index_compact, but a sharded index comes out as one database
 * (xapian-compact merging its shards): searches and results stay the
 * same, one writer writes it. */
VNS_API int vns_index_merge(const char *dir, struct vns_compact_result *out,
                            struct vns_err *err);

/* Copy the index in dir, compacted, into the new folder to (which must not
 * exist), from the last commit: safe while an indexer writes and readers
 * read; no lock is taken. to is built as to.partial and renamed when
 * complete. Errors: VNS_EINVAL (to exists), VNS_ENOTFOUND, VNS_EIO,
 * VNS_EINDEX. */
VNS_API int vns_index_backup(const char *dir, const char *to,
                             struct vns_compact_result *out,
                             struct vns_err *err);

/* Put the index in from (a backup) in place of the index in dir (created
 * when missing) the way vns_index_compact does: writer lock, a new folder
 * beside dir, one atomic swap, the old one removed; from is left as it
 * is. Errors as vns_index_compact, VNS_ENOTFOUND naming from. */
VNS_API int vns_index_restore(const char *dir, const char *from,
                              struct vns_compact_result *out,
                              struct vns_err *err);

/* Remove the folder dir when it holds an index (even a damaged one), is
 * empty or is missing (then VNS_OK); any other folder is refused
 * (VNS_EINVAL). For temporary indexes; not for one a reader may use. */
VNS_API int vns_index_discard(const char *dir, struct vns_err *err);

/* Index opts->roots afresh into dir.rebuild-tmp (a leftover of a run that
 * died is discarded first), then swap that in place of the index in dir
 * as vns_index_restore does, and discard the temporary one. The index in
 * dir may be damaged or missing: readers keep it until the swap. Refused
 * at once (VNS_EBUSY, naming the PID) while an indexer holds dir's lock.
 * *stats as vns_crawl's; *out (may be NULL) is the swap's. Errors: those
 * of vns_crawl on the new index (dir is left as it was), then those of
 * vns_index_restore. */
VNS_API int vns_index_rebuild(const char *dir,
                              const struct vns_crawl_opts *opts,
                              struct vns_crawl_stats *stats,
                              struct vns_compact_result *out,
                              struct vns_err *err);

/* One line of a check's report; fault is nonzero for something wrong. */
typedef void (*vns_check_fn)(int fault, const char *line, void *ctx);

/* Check the index in dir without the lock (an indexer may run): Xapian's
 * own check of every table, then ours: the layout stamp, and that every
 * document has its id term (once), its record and the id and metadata
 * values searches read. Each line of the report goes to fn (may be NULL);
 * *faults gets how many things are wrong (0: sound). A damaged index is
 * VNS_OK with faults, never a crash. Errors (the check could not run):
 * VNS_ENOTFOUND (no index in dir), VNS_ENOMEM. */
VNS_API int vns_index_check(const char *dir, vns_check_fn fn, void *ctx,
                            uint64_t *faults, struct vns_err *err);

/* How many documents hold one value. */
struct vns_stat_count {
    char *value; /* "Ninh Thuận", "thong_bao", "2021"; "" for none */
    uint64_t count;
};

/* What an index holds. */
struct vns_index_stats {
    uint64_t documents;
    uint64_t terms;       /* distinct terms, every prefix */
    uint64_t bytes;       /* the index folder's files */
    uint64_t revision;    /* grows with each commit */
    int64_t last_commit;  /* Unix seconds; 0 when unknown */
    int commit_from_meta; /* 1: stamped at the commit; 0: file times */
    char format[16];      /* the layout stamp, "" when none */
    /* most documents first, then by value; documents without the value
     * are counted under "" */
    struct vns_stat_count *provinces, *types, *years;
    size_t nprovinces, ntypes, nyears;
    /* dictionaries the stored records are packed with, every shard's */
    uint64_t dictionaries;
};

/* Count what the index ix (read mode is enough) holds into *out (free with
 * vns_index_stats_fini). Errors: VNS_EINDEX, VNS_EIO, VNS_ENOMEM. */
VNS_API int vns_index_stats(struct vns_index *ix, struct vns_index_stats *out,
                            struct vns_err *err);
VNS_API void vns_index_stats_fini(struct vns_index_stats *st);

/* st as one JSON object text: {"documents": 5, "terms": ..., "bytes": ...,
 * "revision": ..., "last_commit": "2026-11-30T10:40:12Z" or null,
 * "format": "2", "provinces": {"Ninh Thuận": 2, "": 1}, "types": {...},
 * "years": {...}, "dictionaries": 3}; dir is given as "db". *out is malloc'd
 * (free it). Errors: VNS_ENOMEM, VNS_EBADDATA (a value not UTF-8). */
VNS_API int vns_index_stats_json(const struct vns_index_stats *st,
                                 const char *dir, char **out,
                                 struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
