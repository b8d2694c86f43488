/* A mutex-guarded stack of open read handles; opening is lazy, so there
 * are never more handles than requests served at once. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logline.h"

/* A handle, and when it last looked for a newer revision (monotonic
 * microseconds) at which generation. */
struct held {
    struct vns_index *ix;
    long long looked;
    unsigned long long gen;
};

/* A handle looks again at most this often: each look is a stat of the
 * folder and Xapian's read of its version file, a third of the CPU of a
 * cached answer (perf, bench/load cache warm). A commit is thus searched
 * at most this long after it, and at once after another handle saw it
 * (the generation moved). */
#define LOOK_EVERY_US 2000

struct pool {
    pthread_mutex_t mu;
    struct held *idle;
    size_t n, cap;
    struct held *lent; /* handles borrowed now, for pool_put */
    size_t nlent, lentcap;
    atomic_llong reopened_ms;   /* epoch milliseconds */
    atomic_ullong generation;   /* see pool_generation */
    atomic_ullong revision;     /* the newest a handle showed, + 1 */
    atomic_llong damage_logged; /* monotonic seconds of the last warning */
    char *db;
    int mode; /* vns_index_open's */
};

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

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

/* A handle opened afresh (the idle ones were all busy) at the revision
 * the others show changes nothing computed: the cache stays. Measured
 * (bench/load, --threads 32): a bump a fresh handle emptied the cache each
 * time concurrency rose, 146 requests/s. */
static void opened(struct pool *p, struct vns_index *ix)
{
    uint64_t rev = 0;

    if (vns_index_revision(ix, &rev, NULL) != VNS_OK ||
        atomic_exchange(&p->revision, rev + 1) != rev + 1)
        mark_reopen(p);
}

/* A handle moved to a newer revision (or another index under the name):
 * what was computed before may be stale. */
static void moved(struct pool *p, struct vns_index *ix)
{
    uint64_t rev = 0;

    if (vns_index_revision(ix, &rev, NULL) == VNS_OK)
        atomic_store(&p->revision, rev + 1);
    else
        atomic_store(&p->revision, 0);
    mark_reopen(p);
}

/* Says, at most once a minute, that the index on disk cannot be read and
 * the last good snapshot is served. */
static void damaged(struct pool *p, const struct vns_err *why)
{
    struct timespec ts;
    long long t, last;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    t = (long long)ts.tv_sec;
    last = atomic_load(&p->damage_logged);
    if (last != 0 && t - last < 60)
        return;
    if (!atomic_compare_exchange_strong(&p->damage_logged, &last, t))
        return;
    vns_log(VNS_LOG_ERROR,
            "the index cannot be read; serving its last good snapshot: "
            "vnsearch-index --check tells, --rebuild builds it again",
            "index", p->db, "reason", why->msg, (const char *)NULL);
}

int pool_new(const char *db, int mode, size_t cap, struct pool **out,
             struct vns_err *err)
{
    struct pool *p = calloc(1, sizeof(*p));
    struct vns_index *ix = NULL;
    int rc;

    if (p == NULL)
        return vns_err_set(err, VNS_ENOMEM, "pool: out of memory");
    pthread_mutex_init(&p->mu, NULL);
    p->cap = cap ? cap : 1;
    p->mode = mode;
    p->idle = calloc(p->cap, sizeof(*p->idle));
    p->db = strdup(db);
    if (p->idle == NULL || p->db == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "pool: out of memory");
        goto fail;
    }
    rc = vns_index_open(db, p->mode, &ix, err);
    if (rc != VNS_OK)
        goto fail;
    opened(p, ix);
    p->idle[p->n++] = (struct held){ix, now_us(), atomic_load(&p->generation)};
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
    for (size_t i = 0; p->idle != NULL && i < p->n; i++)
        vns_index_close(p->idle[i].ix);
    pthread_mutex_destroy(&p->mu);
    free(p->idle);
    free(p->lent);
    free(p->db);
    free(p);
}

/* Remember h as lent (for pool_put); a handle not remembered (no memory)
 * only looks again sooner. */
static void lend(struct pool *p, struct held h)
{
    pthread_mutex_lock(&p->mu);
    if (p->nlent == p->lentcap) {
        size_t cap = p->lentcap ? p->lentcap * 2 : 16;
        void *q = realloc(p->lent, cap * sizeof(*p->lent));
        if (q != NULL) {
            p->lent = q;
            p->lentcap = cap;
        }
    }
    if (p->nlent < p->lentcap)
        p->lent[p->nlent++] = h;
    pthread_mutex_unlock(&p->mu);
}

/* Move a handle on to the newest revision, unless it looked a moment ago
 * and no other handle has seen a newer one since. */
static struct vns_index *move_on(struct pool *p, struct held *h)
{
    struct vns_index *fresh = NULL;
    struct vns_err why = {0};
    long long t = now_us();
    unsigned long long gen = atomic_load(&p->generation);
    int changed = 0;

    if (h->gen == gen && t - h->looked >= 0 && t - h->looked < LOOK_EVERY_US)
        return h->ix;
    h->looked = t;
    /* a Xapian reader sees the snapshot it opened: move it on */
    if (vns_index_reopen(h->ix, &changed, &why) == VNS_OK) {
        if (changed)
            moved(p, h->ix);
        h->gen = atomic_load(&p->generation);
        return h->ix;
    }
    /* the index was replaced or damaged: start afresh */
    if (vns_index_open(p->db, p->mode, &fresh, NULL) == VNS_OK) {
        vns_index_close(h->ix);
        moved(p, fresh);
        h->ix = fresh;
        h->gen = atomic_load(&p->generation);
        return fresh;
    }
    /* the new state cannot be read: answer from the snapshot this handle
     * holds (searches fail on their own if it is gone too) */
    damaged(p, &why);
    h->gen = gen;
    return h->ix;
}

int pool_get(struct pool *p, struct vns_index **out, struct vns_err *err)
{
    struct held h = {NULL, 0, 0};
    int rc;

    pthread_mutex_lock(&p->mu);
    if (p->n > 0)
        h = p->idle[--p->n];
    pthread_mutex_unlock(&p->mu);
    if (h.ix != NULL) {
        *out = move_on(p, &h);
        lend(p, h);
        return VNS_OK;
    }
    rc = vns_index_open(p->db, p->mode, out, err);
    if (rc == VNS_OK) {
        opened(p, *out);
        lend(p, (struct held){*out, now_us(), atomic_load(&p->generation)});
    }
    return rc;
}

void pool_put(struct pool *p, struct vns_index *ix)
{
    struct held h = {ix, 0, 0};

    if (ix == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->nlent; i++)
        if (p->lent[i].ix == ix) {
            h = p->lent[i];
            p->lent[i] = p->lent[--p->nlent];
            break;
        }
    if (p->n < p->cap) {
        p->idle[p->n++] = h;
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
