/* A mutex-guarded stack of open read handles; opening is lazy, so there
 * are never more handles than requests served at once. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pool {
    pthread_mutex_t mu;
    struct vns_index **idle;
    size_t n, cap;
    atomic_llong reopened_ms; /* epoch milliseconds */
    atomic_ullong generation; /* see pool_generation */
    char *db;
};

/* A handle shows a newer revision (or a fresh one): what was computed
 * before may be stale, hence the generation (the response cache's). */
static void mark_reopen(struct pool *p)
{
    struct timespec ts;

    atomic_fetch_add(&p->generation, 1);
    clock_gettime(CLOCK_REALTIME, &ts);
    atomic_store(&p->reopened_ms,
                 (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int pool_new(const char *db, size_t cap, struct pool **out, struct vns_err *err)
{
    struct pool *p = calloc(1, sizeof(*p));
    struct vns_index *ix = NULL;
    int rc;

    if (p == NULL)
        return vns_err_set(err, VNS_ENOMEM, "pool: out of memory");
    pthread_mutex_init(&p->mu, NULL);
    p->cap = cap ? cap : 1;
    p->idle = calloc(p->cap, sizeof(*p->idle));
    p->db = strdup(db);
    if (p->idle == NULL || p->db == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "pool: out of memory");
        goto fail;
    }
    rc = vns_index_open(db, VNS_INDEX_READ, &ix, err);
    if (rc != VNS_OK)
        goto fail;
    mark_reopen(p);
    p->idle[p->n++] = ix;
    *out = p;
    return VNS_OK;
fail:
    pool_free(p);
    return rc;
}

void pool_free(struct pool *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        vns_index_close(p->idle[i]);
    pthread_mutex_destroy(&p->mu);
    free(p->idle);
    free(p->db);
    free(p);
}

int pool_get(struct pool *p, struct vns_index **out, struct vns_err *err)
{
    struct vns_index *ix = NULL;
    int changed = 0, rc;

    pthread_mutex_lock(&p->mu);
    if (p->n > 0)
        ix = p->idle[--p->n];
    pthread_mutex_unlock(&p->mu);
    if (ix != NULL) {
        /* a Xapian reader sees the snapshot it opened: move it on */
        rc = vns_index_reopen(ix, &changed, err);
        if (rc == VNS_OK) {
            if (changed)
                mark_reopen(p);
            *out = ix;
            return VNS_OK;
        }
        /* the index was replaced or damaged: start afresh */
        vns_index_close(ix);
    }
    rc = vns_index_open(p->db, VNS_INDEX_READ, out, err);
    if (rc == VNS_OK)
        mark_reopen(p);
    return rc;
}

void pool_put(struct pool *p, struct vns_index *ix)
{
    if (ix == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->n < p->cap) {
        p->idle[p->n++] = ix;
        ix = NULL;
    }
    pthread_mutex_unlock(&p->mu);
    vns_index_close(ix);
}

double pool_last_reopen(struct pool *p)
{
    return (double)atomic_load(&p->reopened_ms) / 1000.0;
}

uint64_t pool_generation(struct pool *p)
{
    return atomic_load(&p->generation);
}
