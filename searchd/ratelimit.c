/* Token buckets by client address in an open-addressed table of fixed
 * size. When the probed slots all hold other busy addresses, the one idle
 * longest gives way: an attacker cycling addresses loses its own
 * buckets, not the table's memory. */
#include "ratelimit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096 /* power of two */
#define PROBE 8

struct bucket {
    unsigned char addr[16]; /* IPv4 mapped into IPv6 */
    double tokens, last;    /* last: when tokens was computed */
    int used;
};

struct ratelimit {
    pthread_mutex_t mu;
    double rate, burst;
    struct bucket b[SLOTS];
};

struct ratelimit *ratelimit_new(double rate, double burst)
{
    struct ratelimit *rl = calloc(1, sizeof(*rl));

    if (rl == NULL)
        return NULL;
    if (pthread_mutex_init(&rl->mu, NULL) != 0) {
        free(rl);
        return NULL;
    }
    rl->rate = rate;
    rl->burst = burst < 1 ? 1 : burst;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The address as 16 bytes; 0 for anything but IPv4 and IPv6. */
static int key_of(const struct sockaddr *sa, unsigned char key[16])
{
    if (sa == NULL)
        return 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

        memset(key, 0, 10);
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &in->sin_addr, 4);
        return 1;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return 1;
    }
    return 0;
}

static uint32_t hash(const unsigned char key[16])
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    return h;
}

/* The bucket of key, found or made in one of its PROBE slots. */
static struct bucket *find(struct ratelimit *rl, const unsigned char key[16],
                           double t)
{
    uint32_t h = hash(key);
    struct bucket *victim = NULL;

    for (int i = 0; i < PROBE; i++) {
        struct bucket *b = &rl->b[(h + (uint32_t)i) & (SLOTS - 1)];

        if (b->used && memcmp(b->addr, key, 16) == 0)
            return b;
        if (!b->used || victim == NULL ||
            (victim->used && b->last < victim->last))
            victim = b;
    }
    memcpy(victim->addr, key, 16);
    victim->used = 1;
    victim->tokens = rl->burst;
    victim->last = t;
    return victim;
}

double ratelimit_take(struct ratelimit *rl, const struct sockaddr *addr)
{
    unsigned char key[16];
    struct bucket *b;
    double t, wait = 0;

    if (rl == NULL || !key_of(addr, key))
        return 0;
    t = now();
    pthread_mutex_lock(&rl->mu);
    b = find(rl, key, t);
    b->tokens += (t - b->last) * rl->rate;
    if (b->tokens > rl->burst)
        b->tokens = rl->burst;
    b->last = t;
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (1 - b->tokens) / rl->rate;
    pthread_mutex_unlock(&rl->mu);
    return wait;
}
