/* A sharded index: a folder holding Xapian's stub file (XAPIANDB) that
 * lists its shards, each a database of its own; or a stub file written by
 * hand that mixes local shards and remote ones served by xapian-tcpsrv.
 * Opening, the choice of a document's shard, and shards that stop
 * answering. */
#ifndef VNSEARCH_LIB_SHARD_H
#define VNSEARCH_LIB_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

/* The stub file's name inside an index folder (Xapian's own). */
#define VNS_STUB_NAME "XAPIANDB"
#define VNS_MAX_SHARDS 64
/* Connecting to a remote shard, and each exchange with it, gives up after
 * this long: a machine that is gone costs a search this much once. */
#define VNS_REMOTE_TIMEOUT_MS 5000
/* A shard left out (--allow-partial) is tried again this often. */
#define VNS_SHARD_RETRY_SECONDS 2.0

struct vns_xdb;
struct vns_index;

/* One line of a stub: a local database or a remote one. */
struct vns_shard {
    char path[4096];    /* local: the folder, resolved against the stub's */
    char host[256];     /* remote: the address */
    unsigned port;      /* remote: the port; 0 for a local shard */
    char name[300];     /* for messages: "shard1", "10.0.0.5:7001" */
    struct vns_xdb *db; /* open, or NULL (not yet, or left out) */
};

/* Where the stub of path is: path itself when it is a file, path/XAPIANDB
 * when that exists. 1 and out filled when path is sharded, else 0. */
int vns_stub_locate(const char *path, char *out, size_t cap);

/* Read the stub file at stub into *out (malloc'd, free it; *n gets the
 * count, at most VNS_MAX_SHARDS). Lines: "auto PATH" (or glass/chert PATH),
 * "remote HOST:PORT", "remote tcp HOST PORT"; '#' comments and blank lines. A
 * relative PATH is from the stub's folder. Errors (VNS_EINVAL, VNS_EIO)
 * name the file and line. */
int vns_stub_read(const char *stub, struct vns_shard **out, size_t *n,
                  struct vns_err *err);

/* Make dir a sharded index of n shards (2..VNS_MAX_SHARDS): the folder
 * and its stub listing shard0..shard<n-1>, written atomically. An index
 * with n shards there already is fine; another index is VNS_EINVAL. */
int vns_stub_create(const char *dir, unsigned n, struct vns_err *err);

/* How many shards the index in dir has: 1 for one database (or none). */
unsigned vns_stub_count(const char *dir);

/* The shard of id among n: stable (FNV-1a of the id bytes), so a document
 * indexed again lands where it was. */
unsigned vns_shard_of(const char *id, size_t len, unsigned n);

/* Map a document id of the whole (n shards searched together) to its
 * shard and that shard's own document id. */
void vns_shard_docid(uint32_t docid, unsigned n, unsigned *shard,
                     uint32_t *local);

/* Open ix's shards from the stub (ix->dir, ix->mode) and the combined
 * reader ix->db. A shard that cannot be opened is an error naming it,
 * unless ix->allow_partial (read mode): then it is left out, and
 * ix->missing counts those. Writers open local shards only. */
int vns_shards_open(struct vns_index *ix, const char *stub,
                    struct vns_err *err);
void vns_shards_close(struct vns_index *ix);

/* Read mode with shards left out: try them again (at most every
 * VNS_SHARD_RETRY_SECONDS unless force); *changed says whether the set
 * of shards searched changed. */
int vns_shards_retry(struct vns_index *ix, int force, int *changed,
                     struct vns_err *err);

/* After a search failed with VNS_EREMOTE: with ix->allow_partial, find
 * the shards that no longer answer, leave them out, and VNS_OK means "run
 * it again"; otherwise (or when none is left) the error stays. */
int vns_shards_recover(struct vns_index *ix, struct vns_err *err);

/* The shards left out, as "a, b" into out (cap bytes); how many. */
size_t vns_shards_missing(const struct vns_index *ix, char *out, size_t cap);

#endif
