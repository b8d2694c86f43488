/* libmicrohttpd glue: requests in, lib/api.c calls, responses out with the
 * security headers; what a request may ask is decided in lib/api.c. */
#include "server.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cache.h"
#include "flight.h"
#include "log.h"
#include "metrics.h"
#include "page.h"
#include "ratelimit.h"
#include "vnsearch/api.h"
#include "work.h"

#define MAX_PARAMS 32
#define MAX_BODY 4096 /* bytes a GET may carry; it is ignored anyway */
#define CSP "default-src 'self'"
#define JSON_TYPE "application/json; charset=utf-8"

struct server {
    struct MHD_Daemon *d;
    struct server_config cfg;
    struct pool *pool;
    struct cache *cache;     /* NULL with --cache-mb 0 */
    struct ratelimit *rl;    /* NULL with --rate-per-ip 0 */
    struct work *work;       /* the searches: work.h */
    struct flights *flights; /* answers being computed: flight.h */
    atomic_uint inflight;
    atomic_int draining;
};

/* One request, from its headers to its last byte sent. */
struct req {
    struct timespec t0;
    char method[16];
    char path[208]; /* for the log: the path, percent-encoded again */
    int status;
    int answered;
    size_t body;
    const char *xcache; /* X-Cache: "hit" or "miss", NULL off the cache */
    char retry[16];     /* Retry-After of a 429 */
    /* served by a worker (work.h) while the connection is suspended: the
     * answer waits in pending until MHD calls on_request again */
    int in_worker;
    struct MHD_Response *pending;
    /* waited for another request computing the same answer (flight.h) */
    int waited;
    struct MHD_Connection *conn;
};

struct params {
    struct vns_param p[MAX_PARAMS];
    size_t n;
    size_t bytes;
    int overflow;
};

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The path as it can be logged: printable ASCII, the rest %XX. */
static void log_path(char *out, size_t cap, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (const unsigned char *s = (const unsigned char *)url;
         *s != '\0' && o + 4 < cap; s++) {
        if (*s > 0x20 && *s < 0x7f && *s != '%') {
            out[o++] = (char)*s;
        } else {
            out[o++] = '%';
            out[o++] = hex[*s >> 4];
            out[o++] = hex[*s & 15];
        }
    }
    out[o] = '\0';
}

/* Queue resp as the answer, or keep it for the MHD thread when a worker
 * computed it (MHD queues answers only from its own callbacks). */
static enum MHD_Result respond(struct MHD_Connection *c, struct req *r,
                               int status, struct MHD_Response *resp)
{
    enum MHD_Result ret = MHD_YES;

    r->status = status;
    r->answered = 1;
    if (r->in_worker) {
        r->pending = resp;
        return MHD_YES;
    }
    ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Queue body (len bytes; must_free: malloc'd, MHD frees it) with the
 * headers every answer carries. */
static enum MHD_Result reply(struct server *s, struct MHD_Connection *c,
                             struct req *r, int status, const char *type,
                             char *body, size_t len, int must_free)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);

    if (resp == NULL) {
        if (must_free)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->xcache != NULL)
        MHD_add_response_header(resp, "X-Cache", r->xcache);
    if (status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer");
    if (status == 503)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (status == 429)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry);
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    return respond(c, r, status, resp);
}

static enum MHD_Result reply_json(struct server *s, struct MHD_Connection *c,
                                  struct req *r, int status, char *json)
{
    static char oom[] =
        "{\"error\":\"internal\",\"message\":\"out of memory\"}";

    if (json == NULL)
        return reply(s, c, r, 500, JSON_TYPE, oom, strlen(oom), 0);
    return reply(s, c, r, status, JSON_TYPE, json, strlen(json), 1);
}

static enum MHD_Result reply_error(struct server *s, struct MHD_Connection *c,
                                   struct req *r, int status, const char *msg)
{
    return reply_json(s, c, r, status, vns_api_error_json(status, msg));
}

/* A library error: its status, and for a server fault a log line that
 * names the route and the code (the message may quote the query). */
static enum MHD_Result reply_err(struct server *s, struct MHD_Connection *c,
                                 struct req *r, const struct vns_err *err)
{
    int status = vns_api_status(err->code);

    if (status >= 500)
        vns_log(VNS_LOG_ERROR, vns_strerror(err->code), "path", r->path,
                (const char *)NULL);
    return reply_error(s, c, r, status, err->msg);
}

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind,
                                 const char *key, size_t key_size,
                                 const char *value, size_t value_size)
{
    struct params *ps = cls;

    (void)kind;
    ps->bytes += key_size + value_size + 2;
    if (ps->n == MAX_PARAMS) {
        ps->overflow = 1;
        return MHD_YES;
    }
    ps->p[ps->n++] = (struct vns_param){key, key_size, value, value_size};
    return MHD_YES;
}

enum route {
    R_PAGE,
    R_DOCPAGE,
    R_STATIC,
    R_API,
    R_SEARCH,
    R_SUGGEST,
    R_DOC,
    R_RAW,
    R_HEALTH,
    R_METRICS,
    R_NONE
};

static enum route route_of(const char *url, const char **id, size_t *idlen)
{
    static const char doc[] = "/api/doc/", docpage[] = "/doc/";
    size_t n;

    if (strcmp(url, "/") == 0)
        return R_PAGE;
    if (strncmp(url, "/static/", 8) == 0)
        return R_STATIC;
    if (strncmp(url, docpage, sizeof(docpage) - 1) == 0) {
        *id = url + sizeof(docpage) - 1;
        *idlen = strlen(*id);
        return R_DOCPAGE;
    }
    if (strcmp(url, "/api") == 0 || strcmp(url, "/api/") == 0)
        return R_API;
    if (strcmp(url, "/api/search") == 0)
        return R_SEARCH;
    if (strcmp(url, "/api/suggest") == 0)
        return R_SUGGEST;
    if (strcmp(url, "/healthz") == 0)
        return R_HEALTH;
    if (strcmp(url, "/metrics") == 0)
        return R_METRICS;
    if (strncmp(url, doc, sizeof(doc) - 1) != 0)
        return R_NONE;
    /* ids hold "/" (encoded or not): a trailing "/raw" asks for the file */
    *id = url + sizeof(doc) - 1;
    n = strlen(*id);
    if (n > 4 && strcmp(*id + n - 4, "/raw") == 0) {
        *idlen = n - 4;
        return R_RAW;
    }
    *idlen = n;
    return R_DOC;
}

static enum MHD_Result serve_raw(struct server *s, struct MHD_Connection *c,
                                 struct req *r, struct vns_index *ix,
                                 const char *id, size_t idlen)
{
    struct vns_api_file f = {.fd = -1};
    struct vns_err err = {0};
    struct MHD_Response *resp;
    char *copy = strndup(id, idlen);
    int rc;

    if (copy == NULL)
        return reply_error(s, c, r, 500, NULL);
    rc = vns_api_raw(ix, copy, idlen, &f, &err);
    free(copy);
    if (rc != VNS_OK)
        return reply_err(s, c, r, &err);
    /* MHD owns the descriptor from here, and sends it with sendfile */
    resp = MHD_create_response_from_fd64(f.size, f.fd);
    if (resp == NULL) {
        vns_api_file_fini(&f);
        return reply_error(s, c, r, 500, NULL);
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, f.mime);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
                            f.filename);
    /* an HTML original runs no script and gets no origin of ours */
    MHD_add_response_header(resp, "Content-Security-Policy", CSP "; sandbox");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    return respond(c, r, MHD_HTTP_OK, resp);
}

/* A request the cache may answer: its key and the generation read
 * before the index handle was taken (its answer's, if kept). */
struct cached {
    char *key; /* NULL: not cached */
    size_t klen;
    uint64_t gen;
};

/* Keep a 200 answer; not one that took about --time-limit, which may be
 * a match cut short (Xapian does not say), to be tried again later. */
static void keep(struct server *s, const struct req *r, const struct cached *k,
                 int status, const char *body)
{
    if (k->key != NULL && status == 200 &&
        ms_since(&r->t0) < s->cfg.time_limit * 1e3 * 0.95)
        cache_put(s->cache, k->gen, k->key, k->klen, body, strlen(body));
}

/* The HTML pages: rendered here, a status of their own. */
static enum MHD_Result serve_page(struct server *s, struct MHD_Connection *c,
                                  struct req *r, struct vns_index *ix,
                                  enum route rt, const struct params *ps,
                                  const char *id, size_t idlen,
                                  const struct cached *k)
{
    char *out = NULL, *copy;
    int status = 500, rc;

    if (rt == R_PAGE) {
        rc = page_search(ix, ps->p, ps->n, s->cfg.time_limit, &out, &status);
    } else {
        copy = strndup(id, idlen);
        rc = copy ? page_doc(ix, copy, idlen, &out, &status) : VNS_ENOMEM;
        free(copy);
    }
    if (rc != VNS_OK)
        return reply_error(s, c, r, 500, NULL);
    if (status >= 500)
        vns_logf(VNS_LOG_ERROR, "page failed with %d at %s", status, r->path);
    keep(s, r, k, status, out);
    return reply(s, c, r, status, "text/html; charset=utf-8", out, strlen(out),
                 1);
}

/* The search page, /api/search, /api/suggest and the documents (JSON
 * and page; not the original files) go through the cache; the search
 * page only with the parameters of a search (the API refuses others
 * itself, and only 200s are kept). Documents are one request in seven of
 * bench/load's list and cost about 1 ms each: uncached, they were its
 * slowest tenth under load (p90 48 ms). */
static int cacheable(const struct server *s, enum route rt,
                     const struct params *ps)
{
    struct vns_api_search parsed;

    if (s->cache == NULL)
        return 0;
    if (rt == R_SEARCH || rt == R_SUGGEST || rt == R_DOC || rt == R_DOCPAGE)
        return 1;
    return rt == R_PAGE &&
           vns_api_parse_search(ps->p, ps->n, &parsed, NULL) == VNS_OK;
}

/* Whether the client has spent its share of the work (the cache's
 * answers and the health routes cost nothing and are not counted); if
 * so, r->retry says when to come back. */
static int over_rate(struct server *s, struct MHD_Connection *c, struct req *r,
                     enum route rt)
{
    const union MHD_ConnectionInfo *ci;
    double wait;

    if (s->rl == NULL || rt == R_HEALTH || rt == R_METRICS)
        return 0;
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    wait = ratelimit_take(s->rl, ci != NULL ? ci->client_addr : NULL);
    if (wait <= 0)
        return 0;
    snprintf(r->retry, sizeof(r->retry), "%u",
             wait < 1 ? 1u : (unsigned)(wait + 0.999));
    return 1;
}

/* A request waiting for a worker: what serve_index needs again. The
 * parameters and the URL stay in the connection's memory, which MHD
 * keeps while the connection is suspended. */
struct job {
    struct server *s;
    struct MHD_Connection *c;
    struct req *r;
    enum route rt;
    struct params ps;
    const char *url, *id;
    size_t idlen;
    char *key; /* the cache key others may wait for, or NULL */
    size_t klen;
};

/* flight.h's callbacks: a request waits for another's answer, and is
 * woken to take it from the cache. */
static void park(void *waiter)
{
    struct req *r = waiter;

    r->waited = 1;
    MHD_suspend_connection(r->conn);
}

static void wake(void *waiter)
{
    MHD_resume_connection(((struct req *)waiter)->conn);
}

static enum MHD_Result serve_index(struct server *s, struct MHD_Connection *c,
                                   struct req *r, enum route rt,
                                   const struct params *ps, const char *url,
                                   const char *id, size_t idlen);

/* On a worker: the request's answer, then back to MHD's thread. A reply
 * that could not even be built leaves nothing pending: on_request then
 * closes the connection. */
static void run_job(void *arg)
{
    struct job *j = arg;

    serve_index(j->s, j->c, j->r, j->rt, &j->ps, j->url, j->id, j->idlen);
    MHD_resume_connection(j->c);
    if (j->key != NULL) /* kept in the cache (if it could be): wake */
        flights_land(j->s->flights, j->key, j->klen, wake);
    free(j->key);
    free(j);
}

/* Queue the request for a worker; key (taken, may be NULL) is the cache
 * key other requests wait for meanwhile. */
static enum MHD_Result hand_off(struct server *s, struct MHD_Connection *c,
                                struct req *r, enum route rt,
                                const struct params *ps, const char *url,
                                const char *id, size_t idlen, char *key,
                                size_t klen)
{
    struct job *j = malloc(sizeof(*j));

    if (j != NULL) {
        *j = (struct job){s, c, r, rt, *ps, url, id, idlen, key, klen};
        r->in_worker = 1;
        MHD_suspend_connection(c);
        if (work_push(s->work, j) == 0)
            return MHD_YES;
        MHD_resume_connection(c);
        r->in_worker = 0;
        free(j);
    }
    if (key != NULL) /* those waiting try on their own */
        flights_land(s->flights, key, klen, wake);
    free(key);
    if (j == NULL)
        return reply_error(s, c, r, 500, NULL);
    return reply_error(s, c, r, 503, "too many requests at once; try again");
}

/* The routes that read the index, with a borrowed handle. */
static enum MHD_Result serve_index(struct server *s, struct MHD_Connection *c,
                                   struct req *r, enum route rt,
                                   const struct params *ps, const char *url,
                                   const char *id, size_t idlen)
{
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    struct cached k = {0};
    enum MHD_Result ret;
    char *out = NULL, *copy;
    uint64_t docs = 0;
    size_t len = 0;
    int rc;

    /* read before the handle moves on (see pool_generation): what is
     * computed on it is kept under this generation */
    k.gen = pool_generation(s->pool);
    rc = pool_get(s->pool, &ix, &err);
    if (rc != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        if (rt != R_METRICS)
            return reply_error(s, c, r, 503, "the index cannot be opened");
    }
    if (ix != NULL && cacheable(s, rt, ps)) {
        r->xcache = "miss";
        k.key = cache_key(url, ps->p, ps->n, &k.klen);
        /* served from the generation read after the handle moved on: an
         * entry of it was computed on this revision or a newer one */
        if (k.key != NULL && cache_get(s->cache, pool_generation(s->pool),
                                       k.key, k.klen, &out, &len)) {
            pool_put(s->pool, ix);
            free(k.key);
            r->xcache = "hit";
            return reply(s, c, r, 200,
                         rt == R_PAGE ? "text/html; charset=utf-8" : JSON_TYPE,
                         out, len, 1);
        }
    }
    if (ix != NULL && !r->in_worker && !r->waited && over_rate(s, c, r, rt)) {
        pool_put(s->pool, ix);
        free(k.key);
        return reply_error(s, c, r, 429,
                           "too many requests from your address; retry "
                           "after the seconds in Retry-After");
    }
    if (ix != NULL && !r->in_worker && rt != R_HEALTH && rt != R_METRICS) {
        /* the work goes to a worker, unless another request is computing
         * the same answer: then this one waits for it (once; woken to a
         * miss, as when the answer was not kept, it computes its own) */
        pool_put(s->pool, ix);
        if (k.key != NULL && !r->waited) {
            int joined = flights_join(s->flights, k.key, k.klen, r, park);
            if (joined != 0) {
                free(k.key);
                k.key = NULL;
                if (joined == 1)
                    return MHD_YES;
            }
        } else {
            free(k.key);
            k.key = NULL;
        }
        return hand_off(s, c, r, rt, ps, url, id, idlen, k.key, k.klen);
    }
    switch (ix == NULL ? R_NONE : rt) {
    case R_PAGE:
    case R_DOCPAGE:
        ret = serve_page(s, c, r, ix, rt, ps, id, idlen, &k);
        pool_put(s->pool, ix);
        free(k.key);
        return ret;
    case R_SEARCH:
        rc = vns_api_search(ix, ps->p, ps->n, s->cfg.time_limit, &out, &err);
        break;
    case R_SUGGEST:
        rc = vns_api_suggest(ix, ps->p, ps->n, &out, &err);
        break;
    case R_DOC:
        copy = strndup(id, idlen);
        rc = copy ? vns_api_doc(ix, copy, idlen, &out, &err)
                  : vns_err_set(&err, VNS_ENOMEM, "out of memory");
        free(copy);
        break;
    case R_RAW:
        ret = serve_raw(s, c, r, ix, id, idlen);
        pool_put(s->pool, ix);
        return ret;
    case R_NONE: /* metrics without an index */
        break;
    default: /* R_HEALTH, R_METRICS */
        rc = vns_index_doccount(ix, &docs, &err);
        break;
    }
    pool_put(s->pool, ix);
    if (rc == VNS_OK && out != NULL)
        keep(s, r, &k, 200, out);
    free(k.key);
    if (rt == R_METRICS) {
        struct cache_stats cs;
        cache_stats(s->cache, &cs);
        /* the generation counts the first open too */
        out = metrics_text(docs, pool_last_reopen(s->pool),
                           pool_generation(s->pool) - 1,
                           atomic_load(&s->inflight), &cs);
        if (out == NULL)
            return reply_error(s, c, r, 500, NULL);
        return reply(s, c, r, 200, "text/plain; version=0.0.4", out,
                     strlen(out), 1);
    }
    if (rc != VNS_OK && rt == R_HEALTH)
        return reply_error(s, c, r, 503, "the index cannot be read");
    if (rc != VNS_OK)
        return reply_err(s, c, r, &err);
    if (rt == R_HEALTH) {
        out = malloc(64);
        if (out != NULL)
            snprintf(out, 64, "{\"status\":\"ok\",\"documents\":%llu}",
                     (unsigned long long)docs);
    }
    return reply_json(s, c, r, 200, out);
}

static enum MHD_Result serve(struct server *s, struct MHD_Connection *c,
                             struct req *r, const char *url)
{
    struct params ps = {0};
    const char *id = NULL, *auth, *asset, *type = NULL;
    size_t idlen = 0, len = 0;
    enum route rt;

    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_param, &ps);
    if (strlen(url) + ps.bytes > VNS_API_MAX_URL)
        return reply_error(s, c, r, 413, "the URL is too long");
    if (ps.overflow)
        return reply_error(s, c, r, 400, "too many parameters");
    rt = route_of(url, &id, &idlen);
    if (s->cfg.token != NULL && rt != R_HEALTH) {
        auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_AUTHORIZATION);
        if (!vns_api_bearer_ok(auth, s->cfg.token, s->cfg.token_len))
            return reply_error(s, c, r, 401,
                               "an Authorization: Bearer token is needed");
    }
    if (!vns_api_text_ok(url, strlen(url)))
        return reply_error(s, c, r, 400,
                           "the path must be UTF-8 without NUL bytes");
    switch (rt) {
    case R_STATIC:
        asset = page_asset(url, &len, &type);
        if (asset == NULL)
            return reply_error(s, c, r, 404, "no such file");
        return reply(s, c, r, 200, type, (char *)asset, len, 0);
    case R_API:
        return reply(s, c, r, 200, JSON_TYPE, (char *)vns_api_describe(),
                     strlen(vns_api_describe()), 0);
    case R_NONE:
        return reply_error(s, c, r, 404, "no such endpoint; see /api");
    default:
        return serve_index(s, c, r, rt, &ps, url, id, idlen);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *s = cls;
    struct req *r = *con_cls;
    unsigned n;

    (void)version;
    (void)upload;
    if (r == NULL) {
        /* the headers are in: the request is in flight until answered */
        r = calloc(1, sizeof(*r));
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        r->conn = c;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        snprintf(r->method, sizeof(r->method), "%s", method);
        log_path(r->path, sizeof(r->path), url);
        n = atomic_fetch_add(&s->inflight, 1) + 1;
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return reply_error(s, c, r, 405, "only GET and HEAD are served");
        /* fast refusal; the probes stay answerable when busy */
        if (n > s->cfg.max_inflight && strcmp(url, "/healthz") != 0 &&
            strcmp(url, "/metrics") != 0)
            return reply_error(s, c, r, 503,
                               "too many requests at once; try again");
        return MHD_YES;
    }
    if (*upload_size > 0) {
        r->body += *upload_size;
        *upload_size = 0;
        if (r->body > MAX_BODY && !r->answered)
            return reply_error(s, c, r, 413, "a GET carries no body");
        return MHD_YES;
    }
    if (r->in_worker) { /* resumed: a worker's answer */
        struct MHD_Response *resp = r->pending;
        enum MHD_Result ret;
        r->in_worker = 0;
        r->pending = NULL;
        if (resp == NULL)
            return MHD_NO;
        ret = MHD_queue_response(c, (unsigned)r->status, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    if (r->answered)
        return MHD_YES;
    return serve(s, c, r, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct req *r = *con_cls;
    double ms;

    (void)c;
    (void)toe;
    if (r == NULL)
        return;
    ms = ms_since(&r->t0);
    if (r->answered)
        metrics_request(r->status, ms);
    log_request(r->method, r->path, r->answered ? r->status : 0, ms);
    atomic_fetch_sub(&s->inflight, 1);
    free(r);
    *con_cls = NULL;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return vns_api_unescape(s);
}

/* MHD's own messages; a URL in them is cut at its query string. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[300];
    size_t n;

    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "?")] = '\0';
    n = strlen(msg);
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    vns_log(VNS_LOG_WARN, msg, "from", "libmicrohttpd", (const char *)NULL);
}

int server_start(const struct server_config *cfg, struct pool *pool,
                 struct server **out, struct vns_err *err)
{
    struct server *s = calloc(1, sizeof(*s));
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    int rc;

    if (s == NULL)
        return vns_err_set(err, VNS_ENOMEM, "out of memory");
    rc = cache_new(cfg->cache_bytes, cfg->cache_entry, &s->cache, err);
    if (rc != VNS_OK) {
        free(s);
        return rc;
    }
    if (cfg->rate_per_ip > 0) {
        s->rl = ratelimit_new(cfg->rate_per_ip, 2 * cfg->rate_per_ip);
        if (s->rl == NULL) {
            cache_free(s->cache);
            free(s);
            return vns_err_set(err, VNS_ENOMEM, "out of memory");
        }
    }
    s->cfg = *cfg;
    s->pool = pool;
    s->flights = flights_new();
    rc = s->flights == NULL ? vns_err_set(err, VNS_ENOMEM, "out of memory")
                            : work_new(cfg->threads, cfg->max_inflight, run_job,
                                       &s->work, err);
    if (rc != VNS_OK) {
        flights_free(s->flights);
        cache_free(s->cache);
        ratelimit_free(s->rl);
        free(s);
        return rc;
    }
    if (cfg->addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)&s->cfg.addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)cfg->per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (s->d == NULL) {
        work_free(s->work);
        flights_free(s->flights);
        cache_free(s->cache);
        ratelimit_free(s->rl);
        free(s);
        return vns_err_set(err, VNS_EIO, "cannot listen (address in use?)");
    }
    *out = s;
    return VNS_OK;
}

unsigned server_port(struct server *s)
{
    const union MHD_DaemonInfo *i =
        MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);

    return i ? i->port : 0;
}

void server_stop(struct server *s, double drain)
{
    struct timespec t0, tick = {0, 10 * 1000 * 1000};
    MHD_socket fd;

    if (s == NULL)
        return;
    atomic_store(&s->draining, 1);
    fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&s->inflight) > 0 && ms_since(&t0) < drain * 1e3)
        nanosleep(&tick, NULL);
    /* MHD stops only with no connection suspended: the jobs queued still
     * run, each resuming its connection */
    work_free(s->work);
    flights_free(s->flights);
    MHD_stop_daemon(s->d);
    cache_free(s->cache);
    ratelimit_free(s->rl);
    free(s);
}
