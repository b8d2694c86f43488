/* A mutex and condition variable around a ring of jobs (work.h). */
#include "work.h"

#include <pthread.h>
#include <stdlib.h>

struct work {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    void **ring;
    size_t cap, head, n;
    int stopping;
    work_fn fn;
    pthread_t *threads;
    unsigned nthreads;
};

static void *run(void *arg)
{
    struct work *w = arg;

    for (;;) {
        void *job;
        pthread_mutex_lock(&w->mu);
        while (w->n == 0 && !w->stopping)
            pthread_cond_wait(&w->ready, &w->mu);
        if (w->n == 0) { /* stopping, and nothing left */
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        job = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->n--;
        pthread_mutex_unlock(&w->mu);
        w->fn(job);
    }
}

static void stop(struct work *w)
{
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_broadcast(&w->ready);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
}

int work_new(unsigned n, size_t cap, work_fn fn, struct work **out,
             struct vns_err *err)
{
    struct work *w = calloc(1, sizeof(*w));

    if (w == NULL)
        return vns_err_set(err, VNS_ENOMEM, "workers: out of memory");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->ready, NULL);
    w->cap = cap ? cap : 1;
    w->fn = fn;
    w->ring = calloc(w->cap, sizeof(*w->ring));
    w->threads = calloc(n ? n : 1, sizeof(*w->threads));
    if (w->ring == NULL || w->threads == NULL) {
        work_free(w);
        return vns_err_set(err, VNS_ENOMEM, "workers: out of memory");
    }
    for (; w->nthreads < (n ? n : 1); w->nthreads++)
        if (pthread_create(&w->threads[w->nthreads], NULL, run, w) != 0) {
            work_free(w);
            return vns_err_set(err, VNS_EIO, "workers: cannot start a thread");
        }
    *out = w;
    return VNS_OK;
}

int work_push(struct work *w, void *job)
{
    int rc = -1;

    pthread_mutex_lock(&w->mu);
    if (w->n < w->cap && !w->stopping) {
        w->ring[(w->head + w->n) % w->cap] = job;
        w->n++;
        rc = 0;
        pthread_cond_signal(&w->ready);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void work_free(struct work *w)
{
    if (w == NULL)
        return;
    stop(w);
    pthread_cond_destroy(&w->ready);
    pthread_mutex_destroy(&w->mu);
    free(w->ring);
    free(w->threads);
    free(w);
}
