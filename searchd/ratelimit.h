/* Fair share per client address: a token bucket for each, in a table of
 * fixed size (a flood of addresses cannot grow it), so one client asking
 * without pause is answered 429 while the others keep their speed. */
#ifndef VNSEARCHD_RATELIMIT_H
#define VNSEARCHD_RATELIMIT_H

#include <sys/socket.h>

struct ratelimit;

/* rate requests per second per address, bursts of up to burst. Returns
 * NULL when out of memory. */
struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);

/* Take one request's token for addr (NULL or not IP: always allowed).
 * Returns 0 when allowed, else the seconds until a token is back. Safe
 * from any thread. */
double ratelimit_take(struct ratelimit *rl, const struct sockaddr *addr);

#endif
