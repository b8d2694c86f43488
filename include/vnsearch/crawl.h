/* Indexing folders: walk them, index what is new or changed on several
 * threads, remove what is gone, commit as it goes. vnsearch-index's core. */
#ifndef VNSEARCH_CRAWL_H
#define VNSEARCH_CRAWL_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "vnsearch/index.h"
#include "vnsearch/manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vns_crawl_event {
    VNS_CRAWL_FAILED,  /* a file or folder could not go in; msg says why */
    VNS_CRAWL_WARNING, /* went in, with a remark (bad UTF-8 replaced...) */
    VNS_CRAWL_ADDED,   /* new document */
    VNS_CRAWL_UPDATED, /* changed file, document replaced */
    VNS_CRAWL_SKIPPED, /* hidden, listed in .vnsearch-ignore, a sidecar... */
    VNS_CRAWL_REMOVED, /* its file is gone */
    VNS_CRAWL_COMMIT,  /* a commit: everything so far is durable */
    VNS_CRAWL_PROGRESS /* after each file: see the counters */
};

struct vns_crawl_stats {
    uint64_t total; /* files found by the walk */
    uint64_t done;  /* of those, handled so far */
    uint64_t bytes; /* read so far */
    uint64_t added, updated, unchanged, removed, skipped, failed;
    uint64_t reread; /* of the unchanged, read again (touched) and found
                        the same */
    uint64_t commits;
};

/* Called on the calling thread. path is the file (or NULL), msg the
 * reason for FAILED/WARNING/SKIPPED (or NULL). */
typedef void (*vns_crawl_fn)(enum vns_crawl_event ev, const char *path,
                             const char *msg,
                             const struct vns_crawl_stats *stats, void *ctx);

struct vns_crawl_opts {
    const char *const *roots; /* folders or files; ids are relative to them */
    size_t nroots;
    const struct vns_manifest *manifest; /* or NULL */
    unsigned jobs;         /* extraction threads; 0: the number of cores */
    int force;             /* re-index even unchanged files */
    size_t commit_docs;    /* commit after this many documents (0: 2000) */
    size_t commit_bytes;   /* ... or this many bytes read (0: 64 MiB) */
    vns_crawl_fn on_event; /* or NULL */
    void *ctx;
    /* vns_index_rebuild only: shards of the new index (0: as the old one
     * has; 1: one database) */
    unsigned shards;
};

/* Index the roots into ix (opened for writing). A file is read again only
 * when its size, mtime or overrides changed, and re-indexed only when its
 * content hash did too; documents of files gone from a root are removed.
 * Documents are written in walk order, so the index is the same whatever
 * jobs is. One bad file never stops the run: it is reported and counted.
 * Returns VNS_OK (even with failed files: see stats), or an error of the
 * index itself (VNS_EINDEX, VNS_ENOMEM...), after which what was committed
 * stays. */
VNS_API int vns_crawl(struct vns_index *ix, const struct vns_crawl_opts *opts,
                      struct vns_crawl_stats *stats, struct vns_err *err);

/* A folder's list of names (fnmatch patterns, one a line, '#' comments)
 * that the walk skips in that folder. */
#define VNS_IGNORE_FILE ".vnsearch-ignore"

/* One path to bring up to date: rel is relative to opts->roots[root], as
 * the ids are; "" is the whole root. */
struct vns_crawl_path {
    size_t root;
    const char *rel;
};

/* Bring the documents of some paths up to date, as vns_crawl would for
 * them alone (what a watcher calls when files change). A path that is a
 * file is read when new or changed; a folder is walked. A path that is
 * gone, or that a walk from its root would not reach (a hidden name on the
 * way, a sidecar: pass its file instead, a name in a .vnsearch-ignore on
 * the way, a link to a folder), loses its document and those under it.
 * Paths may repeat or nest; each file is looked at once. Paths under a
 * missing root are reported and left alone. Commits once at the end.
 * Returns as vns_crawl does; stats counts these paths only. */
VNS_API int vns_crawl_paths(struct vns_index *ix,
                            const struct vns_crawl_opts *opts,
                            const struct vns_crawl_path *paths, size_t npaths,
                            struct vns_crawl_stats *stats, struct vns_err *err);

#ifdef __cplusplus
}
#endif

#endif
