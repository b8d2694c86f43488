/* Rebuilding an index from its folders beside the old one, then swapping
 * it in: the way out of a damaged index while searches go on. */
#include "vnsearch/maintain.h"

#include <limits.h>
#include <stdio.h>

#include "lock.h"

#define REBUILD_SUFFIX ".rebuild-tmp"

int vns_index_rebuild(const char *dir, const struct vns_crawl_opts *opts,
                      struct vns_crawl_stats *stats,
                      struct vns_compact_result *out, struct vns_err *err)
{
    struct vns_index *ix = NULL;
    char tmp[PATH_MAX];
    unsigned shards;
    int lock = -1, rc;

    if (dir == NULL || opts == NULL || stats == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_index_rebuild: no index");
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s" REBUILD_SUFFIX, dir) >=
        sizeof(tmp))
        return vns_err_set(err, VNS_EINVAL, "%s: path too long", dir);
    /* an indexer at work would lose what it commits to the swap: refuse
     * now, not after the whole run */
    rc = vns_lock_take(dir, &lock, err);
    vns_lock_release(lock);
    if (rc == VNS_OK)
        rc = vns_index_discard(tmp, err);
    /* the shape of the old index unless asked for another */
    shards = opts->shards ? opts->shards : vns_index_shards(dir);
    if (rc == VNS_OK && shards > 1)
        rc = vns_index_create_shards(tmp, shards, err);
    if (rc == VNS_OK)
        rc = vns_index_open(tmp, VNS_INDEX_WRITE, &ix, err);
    if (rc == VNS_OK)
        rc = vns_crawl(ix, opts, stats, err);
    vns_index_close(ix);
    if (rc == VNS_OK)
        rc = vns_index_restore(dir, tmp, out, err);
    /* the temporary index goes whatever happened; the first error wins */
    if (rc != VNS_OK) {
        vns_index_discard(tmp, NULL);
        return rc;
    }
    return vns_index_discard(tmp, err);
}
