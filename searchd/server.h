/* The HTTP side of vnsearchd on libmicrohttpd: MHD's thread pool reads
 * requests and answers from the response cache; the rest goes to the
 * search workers (work.h). Routes to the lib/api.c calls, security
 * headers, limits, token, metrics, logs. */
#ifndef VNSEARCHD_SERVER_H
#define VNSEARCHD_SERVER_H

#include <stddef.h>
#include <sys/socket.h>

#include "pool.h"

struct server_config {
    struct sockaddr_storage addr; /* where to listen */
    socklen_t addrlen;
    unsigned threads;         /* MHD's thread pool, and as many workers */
    unsigned max_inflight;    /* more requests at once are answered 503 */
    unsigned max_connections; /* open connections, all clients */
    unsigned per_ip;          /* ... and from one address */
    unsigned rate_per_ip;     /* index reads a second per address (twice
                                 that in a burst) before 429; 0: no limit */
    unsigned timeout;         /* seconds a connection may stay idle */
    double time_limit;        /* seconds per search match */
    const char *token;        /* bearer token, NULL for none */
    size_t token_len;
    size_t cache_bytes; /* response cache budget, 0 for none */
    size_t cache_entry; /* largest entry kept */
};

struct server;

/* Listen and serve from cfg's threads, with handles from pool (borrowed:
 * keep it until server_stop). Errors: VNS_EIO (cannot listen),
 * VNS_ENOMEM. */
int server_start(const struct server_config *cfg, struct pool *pool,
                 struct server **out, struct vns_err *err);
/* The port listened on (useful with port 0). */
unsigned server_port(struct server *s);
/* Stop accepting, let the requests in flight finish (at most drain
 * seconds), close everything and free s. */
void server_stop(struct server *s, double drain);

#endif
