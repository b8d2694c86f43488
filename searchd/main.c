/* vnsearchd: the HTTP search daemon. Reads argv, opens the index and the
 * log, serves (server.c) and waits for SIGTERM (drain, exit) or SIGHUP. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "logline.h"
#include "pool.h"
#include "preload.h"
#include "server.h"
#include "vnsearch/vnsearch.h"
#include "warmup.h"

#define DRAIN_SECONDS 10.0
#define MAX_TOKEN 4096
#define CACHE_MB 64               /* default response cache */
#define PRELOAD_MB_MAX (1u << 24) /* 16 TiB: any index */
#define RATE_PER_IP 50            /* index reads a second per client address */
#define CACHE_ENTRY (1u << 20)    /* at most per answer (and 1/16 of it) */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vnsearchd [--db DIR] [--listen 127.0.0.1:8080] "
            "[--threads N]\n"
            "                 [--auth-token-file F] [--log FILE] [OPTIONS]\n"
            "Serve the index over HTTP: the JSON API under /api, a search "
            "page at /.\n"
            "  --config FILE         settings (default %s)\n"
            "  --db DIR              index folder (default $VNSEARCH_DB, "
            "else %s),\n"
            "                        or a stub file listing shards, local "
            "or remote\n"
            "  --allow-partial       answer from the shards that answer "
            "when some do not\n"
            "                        (\"partial\": true in the JSON)\n"
            "  --listen HOST:PORT    address (default 127.0.0.1:8080, "
            "loopback only;\n"
            "                        [::1]:8080 for IPv6, port 0 picks "
            "a free one)\n"
            "  --threads N           worker threads (default: cores)\n"
            "  --auth-token-file F   require \"Authorization: Bearer "
            "<token in F>\"\n"
            "                        on every route but /healthz\n"
            "  --log FILE            log (default stderr; reopened "
            "on SIGHUP)\n"
            "  --log-level L         error, warn, info (default: a line per "
            "request)\n"
            "                        or debug; -q is warn, -v debug\n"
            "  --log-format F        logfmt (default) or text\n"
            "  --max-inflight N      requests at once before 503 (default "
            "64)\n"
            "  --max-connections N   open connections (default 512)\n"
            "  --per-ip N            open connections per client address "
            "(default 128)\n"
            "  --timeout S           idle connection timeout (default 15)\n"
            "  --rate-per-ip N       searches a second per client address "
            "(bursts of\n"
            "                        2N; answers from the cache are free) "
            "before 429\n"
            "                        (default %d; 0: no limit)\n"
            "  --time-limit S        seconds per search match (default 2)\n"
            "  --cache-mb N          response cache for searches, "
            "suggestions and the\n"
            "                        search page, in MiB (default %d; 0: "
            "none)\n"
            "  --preload-mb N        read up to N MiB of the index into the "
            "page cache\n"
            "                        at start, beside the first searches "
            "(default: up\n"
            "                        to half the memory; 0: none)\n"
            "SIGTERM finishes the requests in flight and exits 0; SIGHUP "
            "reopens the log.\n",
            VNS_CONFIG_FILE, VNS_DEFAULT_DB, RATE_PER_IP, CACHE_MB);
}

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80": numeric hosts only, so
 * that no name lookup decides where we listen. */
static int parse_listen(const char *spec, struct server_config *cfg)
{
    struct addrinfo hints = {0}, *ai = NULL;
    char host[256];
    const char *colon = strrchr(spec, ':'), *h = spec;
    size_t hl;
    int rc;

    if (colon == NULL || colon == spec || colon[1] == '\0')
        return -1;
    hl = (size_t)(colon - spec);
    if (spec[0] == '[' && spec[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof(host))
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0 || ai == NULL || ai->ai_addrlen > sizeof(cfg->addr)) {
        if (ai != NULL)
            freeaddrinfo(ai);
        return -1;
    }
    memcpy(&cfg->addr, ai->ai_addr, ai->ai_addrlen);
    cfg->addrlen = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* The token: the file's first line, printable ASCII, no spaces. */
static char *read_token(const char *path, size_t *len)
{
    char buf[MAX_TOKEN + 1];
    ssize_t n;
    size_t k;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    n = read(fd, buf, MAX_TOKEN);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    k = strlen(buf);
    if (k == 0)
        return NULL;
    for (size_t i = 0; i < k; i++)
        if ((unsigned char)buf[i] <= 0x20 || (unsigned char)buf[i] >= 0x7f)
            return NULL;
    *len = k;
    return strdup(buf);
}

/* The value of key k copied into buf (it outlives conf), else def. */
static const char *conf_str(const struct vns_config *conf, enum vns_conf_key k,
                            char *buf, size_t bufsz, const char *def)
{
    const char *v = vns_config_str(conf, k);

    if (v == NULL)
        return def;
    snprintf(buf, bufsz, "%s", v);
    return buf;
}

enum {
    OPT_TOKEN = 256,
    OPT_LOG,
    OPT_INFLIGHT,
    OPT_CONNS,
    OPT_PER_IP,
    OPT_TIMEOUT,
    OPT_TIME_LIMIT,
    OPT_CONFIG,
    OPT_CACHE_MB,
    OPT_PRELOAD_MB,
    OPT_LOG_LEVEL,
    OPT_LOG_FORMAT,
    OPT_RATE,
    OPT_PARTIAL
};

/* A [log] key of the file or a --log-* option into its enum; 0 or -1
 * after saying why. */
static int log_setting(const char *value, int format, enum vns_log_level *lv,
                       enum vns_log_format *fm)
{
    struct vns_err err = {0};
    int rc = format ? vns_log_parse_format(value, fm, &err)
                    : vns_log_parse_level(value, lv, &err);

    if (rc == VNS_OK)
        return 0;
    fprintf(stderr, "vnsearchd: %s\n", err.msg);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"auth-token-file", required_argument, NULL, OPT_TOKEN},
        {"log", required_argument, NULL, OPT_LOG},
        {"max-inflight", required_argument, NULL, OPT_INFLIGHT},
        {"max-connections", required_argument, NULL, OPT_CONNS},
        {"per-ip", required_argument, NULL, OPT_PER_IP},
        {"rate-per-ip", required_argument, NULL, OPT_RATE},
        {"allow-partial", no_argument, NULL, OPT_PARTIAL},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"cache-mb", required_argument, NULL, OPT_CACHE_MB},
        {"preload-mb", required_argument, NULL, OPT_PRELOAD_MB},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    struct vns_config *conf = NULL;
    const char *conf_path = NULL;
    /* the file's strings, kept after conf is freed */
    char db_buf[4096], listen_buf[300], token_buf[4096], log_buf[4096];
    struct server_config cfg = {0};
    struct vns_err err = {0};
    struct pool *pool = NULL;
    struct server *srv = NULL;
    const char *db = VNS_DEFAULT_DB, *listen = "127.0.0.1:8080";
    const char *token_file = NULL, *log_file = NULL;
    char *token = NULL, *end;
    unsigned time_ms = 2000, cache_mb = CACHE_MB;
    /* MiB of the index read ahead at start (warmup.h) */
    unsigned preload_mb = vns_preload_default_budget() >> 20;
    struct warmup *warm = NULL;
    int open_mode = VNS_INDEX_READ;
    enum vns_log_level log_level = VNS_LOG_INFO;
    enum vns_log_format log_format = VNS_LOG_LOGFMT;
    const char *v;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char url[340], nthreads[16], ncache[16], pid[24];
    sigset_t sigs;
    int c, sig, status = 0;

    cfg.threads = cores > 0 ? (unsigned)(cores < 64 ? cores : 64) : 2;
    /* --config first: the file (then $VNSEARCH_DB) under the options */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hqv", longs, NULL)) != -1) {
        if (c == OPT_CONFIG)
            conf_path = optarg;
        if (c == 'h') { /* even when the config file is broken */
            usage(stdout);
            return 0;
        }
    }
    opterr = 1;
    optind = 0;
    if (vns_config_init(conf_path, &conf, &err) != VNS_OK) {
        fprintf(stderr, "vnsearchd: %s\n", err.msg);
        return 2;
    }
    db = conf_str(conf, VNS_CONF_DB, db_buf, sizeof(db_buf), db);
    listen =
        conf_str(conf, VNS_CONF_LISTEN, listen_buf, sizeof(listen_buf), listen);
    token_file = conf_str(conf, VNS_CONF_TOKEN_FILE, token_buf,
                          sizeof(token_buf), token_file);
    log_file = conf_str(conf, VNS_CONF_LOG, log_buf, sizeof(log_buf), log_file);
    cfg.threads = vns_config_uint(conf, VNS_CONF_THREADS, cfg.threads);
    cfg.max_inflight = vns_config_uint(conf, VNS_CONF_MAX_INFLIGHT, 64);
    cfg.max_connections = vns_config_uint(conf, VNS_CONF_MAX_CONNECTIONS, 512);
    cfg.per_ip = vns_config_uint(conf, VNS_CONF_PER_IP, 128);
    cfg.rate_per_ip = vns_config_uint(conf, VNS_CONF_RATE_PER_IP, RATE_PER_IP);
    cfg.timeout = vns_config_uint(conf, VNS_CONF_TIMEOUT, 15);
    time_ms =
        (unsigned)(vns_config_seconds(conf, VNS_CONF_TIME_LIMIT, 2) * 1000);
    cache_mb = vns_config_uint(conf, VNS_CONF_CACHE_MB, cache_mb);
    preload_mb = vns_config_uint(conf, VNS_CONF_PRELOAD_MB, preload_mb);
    if ((v = vns_config_str(conf, VNS_CONF_ALLOW_PARTIAL)) != NULL &&
        strcmp(v, "yes") == 0)
        open_mode |= VNS_INDEX_PARTIAL;
    if (((v = vns_config_str(conf, VNS_CONF_LOG_LEVEL)) != NULL &&
         log_setting(v, 0, &log_level, &log_format) != 0) ||
        ((v = vns_config_str(conf, VNS_CONF_LOG_FORMAT)) != NULL &&
         log_setting(v, 1, &log_level, &log_format) != 0)) {
        vns_config_free(conf);
        return 2;
    }
    vns_config_free(conf);
    while ((c = getopt_long(argc, argv, "hqv", longs, NULL)) != -1) {
        double secs;
        switch (c) {
        case OPT_CONFIG:
            break;
        case OPT_PARTIAL:
            open_mode |= VNS_INDEX_PARTIAL;
            break;
        case 'd':
            db = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 't':
            if (parse_uint(optarg, 1, 256, &cfg.threads)) {
                fprintf(stderr, "vnsearchd: --threads takes 1 to 256\n");
                return 2;
            }
            break;
        case OPT_TOKEN:
            token_file = optarg;
            break;
        case OPT_LOG:
            log_file = optarg;
            break;
        case OPT_INFLIGHT:
        case OPT_CONNS:
        case OPT_PER_IP:
        case OPT_TIMEOUT:
            if (parse_uint(optarg, 1, 100000,
                           c == OPT_INFLIGHT ? &cfg.max_inflight
                           : c == OPT_CONNS  ? &cfg.max_connections
                           : c == OPT_PER_IP ? &cfg.per_ip
                                             : &cfg.timeout)) {
                for (size_t k = 0; longs[k].name != NULL; k++)
                    if (longs[k].val == c)
                        fprintf(stderr, "vnsearchd: --%s takes 1 to 100000\n",
                                longs[k].name);
                return 2;
            }
            break;
        case OPT_TIME_LIMIT:
            secs = strtod(optarg, &end);
            if (*end != '\0' || !(secs > 0 && secs <= 600)) {
                fprintf(stderr, "vnsearchd: --time-limit takes seconds, "
                                "over 0 and at most 600\n");
                return 2;
            }
            time_ms = (unsigned)(secs * 1000);
            break;
        case OPT_RATE:
            if (parse_uint(optarg, 0, 100000, &cfg.rate_per_ip)) {
                fprintf(stderr, "vnsearchd: --rate-per-ip takes 0 to 100000\n");
                return 2;
            }
            break;
        case OPT_LOG_LEVEL:
        case OPT_LOG_FORMAT:
            if (log_setting(optarg, c == OPT_LOG_FORMAT, &log_level,
                            &log_format) != 0)
                return 2;
            break;
        case 'q':
            log_level = VNS_LOG_WARN;
            break;
        case 'v':
            log_level = VNS_LOG_DEBUG;
            break;
        case OPT_CACHE_MB:
            if (parse_uint(optarg, 0, 1u << 20, &cache_mb)) {
                fprintf(stderr, "vnsearchd: --cache-mb takes 0 to %u\n",
                        1u << 20);
                return 2;
            }
            break;
        case OPT_PRELOAD_MB:
            if (parse_uint(optarg, 0, PRELOAD_MB_MAX, &preload_mb)) {
                fprintf(stderr, "vnsearchd: --preload-mb takes 0 to %u\n",
                        PRELOAD_MB_MAX);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("vnsearchd %s\n", VNS_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    cfg.time_limit = time_ms / 1000.0;
    cfg.cache_bytes = (size_t)cache_mb << 20;
    cfg.cache_entry =
        cfg.cache_bytes / 16 < CACHE_ENTRY ? cfg.cache_bytes / 16 : CACHE_ENTRY;
    if (parse_listen(listen, &cfg) != 0) {
        fprintf(stderr,
                "vnsearchd: --listen takes HOST:PORT with a numeric host "
                "(127.0.0.1:8080, [::1]:8080): %s\n",
                listen);
        return 2;
    }
    if (token_file != NULL) {
        token = read_token(token_file, &cfg.token_len);
        if (token == NULL) {
            fprintf(stderr,
                    "vnsearchd: %s: unreadable, or not one line of "
                    "printable ASCII without spaces\n",
                    token_file);
            return 2;
        }
        cfg.token = token;
    }
    if (log_open(log_file, log_level, log_format, &err) != VNS_OK) {
        fprintf(stderr, "vnsearchd: %s\n", err.msg);
        free(token);
        return 1;
    }
    /* Every thread started from here blocks these; main waits for them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (pool_new(db, open_mode, cfg.threads + 2, &pool, &err) != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        status = 1;
        goto out;
    }
    /* the disk's reads beside the first searches, not before them */
    if (warmup_start(db, (uint64_t)preload_mb << 20, &warm, &err) != VNS_OK)
        vns_log(VNS_LOG_WARN, "the index is not read ahead", "reason", err.msg,
                (const char *)NULL);
    if (server_start(&cfg, pool, &srv, &err) != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, "listen", listen, (const char *)NULL);
        status = 1;
        goto out;
    }
    snprintf(url, sizeof(url), "listening on http://%.*s:%u/",
             (int)(strrchr(listen, ':') - listen), listen, server_port(srv));
    snprintf(nthreads, sizeof(nthreads), "%u", cfg.threads);
    snprintf(ncache, sizeof(ncache), "%u", cache_mb);
    snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    vns_log(VNS_LOG_INFO, url, "threads", nthreads, "index", db, "cache_mb",
            ncache, "pid", pid, (const char *)NULL);
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            if (log_reopen(&err) != VNS_OK)
                vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
            else
                vns_log(VNS_LOG_INFO, "log reopened", (const char *)NULL);
            continue;
        }
        break;
    }
    vns_log(VNS_LOG_INFO, "finishing the requests in flight", "signal",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", (const char *)NULL);
    server_stop(srv, DRAIN_SECONDS);
    vns_log(VNS_LOG_INFO, "stopped", (const char *)NULL);
out:
    warmup_stop(warm);
    pool_free(pool);
    log_close();
    free(token);
    return status;
}
