/* A hash table (FNV-1a, chained, doubled when full) over a doubly linked
 * LRU list, behind one mutex: a hit is a lookup and a copy. */
#include "cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define FIRST_BUCKETS 256

struct entry {
    struct entry *chain;         /* next in the bucket */
    struct entry *newer, *older; /* the LRU list */
    uint64_t hash;
    size_t klen, blen, cost;
    char data[]; /* key, then body */
};

struct cache {
    pthread_mutex_t mu;
    struct entry **buckets;
    size_t nbuckets; /* a power of two */
    struct entry *newest, *oldest;
    size_t bytes, max_bytes, max_entry;
    uint64_t count, hits, misses;
    uint64_t gen; /* the newest generation seen */
};

int cache_new(size_t max_bytes, size_t max_entry, struct cache **out,
              struct vns_err *err)
{
    struct cache *c;

    if (max_bytes == 0) {
        *out = NULL;
        return VNS_OK;
    }
    c = calloc(1, sizeof(*c));
    if (c != NULL)
        c->buckets = calloc(FIRST_BUCKETS, sizeof(*c->buckets));
    if (c == NULL || c->buckets == NULL) {
        free(c);
        return vns_err_set(err, VNS_ENOMEM, "cache: out of memory");
    }
    pthread_mutex_init(&c->mu, NULL);
    c->nbuckets = FIRST_BUCKETS;
    c->max_bytes = max_bytes;
    c->max_entry = max_entry < max_bytes ? max_entry : max_bytes;
    *out = c;
    return VNS_OK;
}

static void drop_all(struct cache *c)
{
    struct entry *e = c->newest, *next;

    for (; e != NULL; e = next) {
        next = e->older;
        free(e);
    }
    memset(c->buckets, 0, c->nbuckets * sizeof(*c->buckets));
    c->newest = c->oldest = NULL;
    c->bytes = 0;
    c->count = 0;
}

void cache_free(struct cache *c)
{
    if (c == NULL)
        return;
    drop_all(c);
    pthread_mutex_destroy(&c->mu);
    free(c->buckets);
    free(c);
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);

    if (r != 0)
        return r;
    return alen < blen ? -1 : alen > blen;
}

static int cmp_param(const void *va, const void *vb)
{
    const struct vns_param *a = *(const struct vns_param *const *)va;
    const struct vns_param *b = *(const struct vns_param *const *)vb;
    int r = cmp_bytes(a->key, a->key_len, b->key, b->key_len);

    if (r != 0)
        return r;
    /* "?q" (no value) before "?q=" */
    if (a->value == NULL || b->value == NULL)
        return (b->value == NULL) - (a->value == NULL);
    return cmp_bytes(a->value, a->value_len, b->value, b->value_len);
}

static char *put_len(char *o, size_t len)
{
    memcpy(o, &len, sizeof(len));
    return o + sizeof(len);
}

char *cache_key(const char *path, const struct vns_param *p, size_t n,
                size_t *len)
{
    const struct vns_param **order = malloc((n ? n : 1) * sizeof(*order));
    size_t plen = strlen(path), total = sizeof(size_t) + plen;
    char *key, *o;

    if (order == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        order[i] = &p[i];
        total += 2 * sizeof(size_t) + p[i].key_len +
                 (p[i].value ? p[i].value_len : 0);
    }
    qsort(order, n, sizeof(*order), cmp_param);
    key = malloc(total);
    if (key == NULL) {
        free(order);
        return NULL;
    }
    o = put_len(key, plen);
    memcpy(o, path, plen);
    o += plen;
    for (size_t i = 0; i < n; i++) {
        const struct vns_param *q = order[i];
        o = put_len(o, q->key_len);
        memcpy(o, q->key, q->key_len);
        o += q->key_len;
        o = put_len(o, q->value ? q->value_len : (size_t)-1);
        if (q->value != NULL) {
            memcpy(o, q->value, q->value_len);
            o += q->value_len;
        }
    }
    free(order);
    *len = (size_t)(o - key);
    return key;
}

/* The slot that points at the entry for key (or at the NULL ending its
 * bucket). */
static struct entry **find(struct cache *c, uint64_t h, const char *key,
                           size_t klen)
{
    struct entry **slot = &c->buckets[h & (c->nbuckets - 1)];

    while (*slot != NULL && !((*slot)->hash == h && (*slot)->klen == klen &&
                              memcmp((*slot)->data, key, klen) == 0))
        slot = &(*slot)->chain;
    return slot;
}

static void lru_unlink(struct cache *c, struct entry *e)
{
    if (e->newer != NULL)
        e->newer->older = e->older;
    if (e->older != NULL)
        e->older->newer = e->newer;
    /* the ends by identity: the list's ends never outlive their entry */
    if (c->newest == e)
        c->newest = e->older;
    if (c->oldest == e)
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push(struct cache *c, struct entry *e)
{
    e->newer = NULL;
    e->older = c->newest;
    if (c->newest != NULL)
        c->newest->newer = e;
    c->newest = e;
    if (c->oldest == NULL)
        c->oldest = e;
}

static void remove_entry(struct cache *c, struct entry *e)
{
    struct entry **slot = find(c, e->hash, e->data, e->klen);

    *slot = e->chain;
    lru_unlink(c, e);
    c->bytes -= e->cost;
    c->count--;
    free(e);
}

/* Twice the buckets once there are more entries than buckets; a failed
 * allocation only leaves the chains longer. */
static void grow(struct cache *c)
{
    size_t nb = c->nbuckets * 2;
    struct entry **b;

    if (c->count <= c->nbuckets || nb > ((size_t)-1) / sizeof(*b))
        return;
    b = calloc(nb, sizeof(*b));
    if (b == NULL)
        return;
    for (struct entry *e = c->newest; e != NULL; e = e->older) {
        struct entry **slot = &b[e->hash & (nb - 1)];
        e->chain = *slot;
        *slot = e;
    }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = nb;
}

/* Under the lock: adopt a newer generation (dropping everything);
 * returns 0 when gen is older than the cache's. */
static int same_gen(struct cache *c, uint64_t gen)
{
    if (gen > c->gen) {
        drop_all(c);
        c->gen = gen;
    }
    return gen == c->gen;
}

int cache_get(struct cache *c, uint64_t gen, const char *key, size_t klen,
              char **body, size_t *len)
{
    uint64_t h = vns_hash64(key, klen, 0);
    struct entry *e = NULL;
    char *copy = NULL;

    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->mu);
    if (same_gen(c, gen))
        e = *find(c, h, key, klen);
    if (e != NULL)
        copy = malloc(e->blen + 1);
    if (copy != NULL) {
        memcpy(copy, e->data + e->klen, e->blen);
        copy[e->blen] = '\0';
        *len = e->blen;
        lru_unlink(c, e);
        lru_push(c, e);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->mu);
    *body = copy;
    return copy != NULL;
}

void cache_put(struct cache *c, uint64_t gen, const char *key, size_t klen,
               const char *body, size_t len)
{
    size_t cost = sizeof(struct entry) + klen + len;
    uint64_t h = vns_hash64(key, klen, 0);
    struct entry *e, *old;

    if (c == NULL || cost > c->max_entry || klen > cost || len > cost)
        return;
    /* copied before the lock: the other threads need not wait for it */
    e = malloc(cost);
    if (e == NULL)
        return;
    *e = (struct entry){.hash = h, .klen = klen, .blen = len, .cost = cost};
    memcpy(e->data, key, klen);
    memcpy(e->data + klen, body, len);
    pthread_mutex_lock(&c->mu);
    if (!same_gen(c, gen)) {
        pthread_mutex_unlock(&c->mu);
        free(e);
        return;
    }
    old = *find(c, h, key, klen);
    if (old != NULL)
        remove_entry(c, old);
    while (c->oldest != NULL && c->bytes + cost > c->max_bytes)
        remove_entry(c, c->oldest);
    {
        struct entry **slot = &c->buckets[h & (c->nbuckets - 1)];
        e->chain = *slot;
        *slot = e;
    }
    lru_push(c, e);
    c->bytes += cost;
    c->count++;
    grow(c);
    pthread_mutex_unlock(&c->mu);
}

void cache_stats(struct cache *c, struct cache_stats *out)
{
    *out = (struct cache_stats){0};
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    out->hits = c->hits;
    out->misses = c->misses;
    out->bytes = c->bytes;
    out->entries = c->count;
    pthread_mutex_unlock(&c->mu);
}
