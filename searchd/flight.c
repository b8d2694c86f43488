/* Keys being computed and who waits for them (flight.h): a list, as
 * there are never more than --max-inflight requests. */
#include "flight.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct waiter {
    void *w;
    struct waiter *next;
};

struct flight {
    char *key;
    size_t klen;
    struct waiter *waiters;
    struct flight *next;
};

struct flights {
    pthread_mutex_t mu;
    struct flight *head;
};

struct flights *flights_new(void)
{
    struct flights *f = calloc(1, sizeof(*f));

    if (f != NULL)
        pthread_mutex_init(&f->mu, NULL);
    return f;
}

void flights_free(struct flights *f)
{
    if (f == NULL)
        return;
    while (f->head != NULL) { /* none left when the workers are done */
        struct flight *n = f->head->next;
        while (f->head->waiters != NULL) {
            struct waiter *w = f->head->waiters->next;
            free(f->head->waiters);
            f->head->waiters = w;
        }
        free(f->head->key);
        free(f->head);
        f->head = n;
    }
    pthread_mutex_destroy(&f->mu);
    free(f);
}

static struct flight **find(struct flights *f, const char *key, size_t klen)
{
    struct flight **p = &f->head;

    while (*p != NULL &&
           ((*p)->klen != klen || memcmp((*p)->key, key, klen) != 0))
        p = &(*p)->next;
    return p;
}

int flights_join(struct flights *f, const char *key, size_t klen, void *waiter,
                 void (*park)(void *waiter))
{
    struct flight **p, *n;
    int rc = 0;

    pthread_mutex_lock(&f->mu);
    p = find(f, key, klen);
    if (*p != NULL) {
        struct waiter *w = malloc(sizeof(*w));
        if (w == NULL) {
            rc = -1;
        } else {
            park(waiter);
            *w = (struct waiter){waiter, (*p)->waiters};
            (*p)->waiters = w;
            rc = 1;
        }
    } else if ((n = calloc(1, sizeof(*n))) == NULL ||
               (n->key = malloc(klen ? klen : 1)) == NULL) {
        free(n);
        rc = -1;
    } else {
        memcpy(n->key, key, klen);
        n->klen = klen;
        n->next = f->head;
        f->head = n;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

void flights_land(struct flights *f, const char *key, size_t klen,
                  void (*wake)(void *waiter))
{
    struct flight **p, *fl = NULL;

    pthread_mutex_lock(&f->mu);
    p = find(f, key, klen);
    if (*p != NULL) {
        fl = *p;
        *p = fl->next;
    }
    pthread_mutex_unlock(&f->mu);
    if (fl == NULL)
        return;
    while (fl->waiters != NULL) {
        struct waiter *w = fl->waiters;
        fl->waiters = w->next;
        wake(w->w);
        free(w);
    }
    free(fl->key);
    free(fl);
}
