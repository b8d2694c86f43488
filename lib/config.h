/* The configuration file of the three programs (/etc/vnsearch/vnsearch.conf,
 * INI, see vnsearch.conf(5)) and where each effective value came from.
 * Only lib/config.c knows inih; applying the values is each program's job. */
#ifndef VNSEARCH_LIB_CONFIG_H
#define VNSEARCH_LIB_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "vnsearch/err.h"

#define VNS_CONFIG_FILE "/etc/vnsearch/vnsearch.conf"

/* Every key of the file; the comment is its section, name and option. */
enum vns_conf_key {
    VNS_CONF_DB,              /* [index] path            --db */
    VNS_CONF_SYNONYMS,        /* [index] synonyms */
    VNS_CONF_FOLDERS,         /* [indexer] folders       PATH... (a list) */
    VNS_CONF_JOBS,            /* [indexer] jobs          --jobs */
    VNS_CONF_COMMIT_EVERY,    /* [indexer] commit_every  --commit-every */
    VNS_CONF_MANIFEST,        /* [indexer] manifest      --manifest */
    VNS_CONF_SHARDS,          /* [indexer] shards        --shards */
    VNS_CONF_ALLOW_PARTIAL,   /* [index] allow_partial   --allow-partial */
    VNS_CONF_LISTEN,          /* [server] listen         --listen */
    VNS_CONF_THREADS,         /* [server] threads        --threads */
    VNS_CONF_TOKEN_FILE,      /* [server] token_file     --auth-token-file */
    VNS_CONF_LOG,             /* [server] log            --log */
    VNS_CONF_CACHE_MB,        /* [server] cache_mb       --cache-mb */
    VNS_CONF_PRELOAD_MB,      /* [server] preload_mb     --preload-mb */
    VNS_CONF_LOG_LEVEL,       /* [log] level             --log-level */
    VNS_CONF_LOG_FORMAT,      /* [log] format            --log-format */
    VNS_CONF_MAX_INFLIGHT,    /* [limits] max_inflight   --max-inflight */
    VNS_CONF_MAX_CONNECTIONS, /* [limits] max_connections --max-connections */
    VNS_CONF_PER_IP,          /* [limits] per_ip         --per-ip */
    VNS_CONF_RATE_PER_IP,     /* [limits] rate_per_ip    --rate-per-ip */
    VNS_CONF_TIMEOUT,         /* [limits] timeout        --timeout */
    VNS_CONF_TIME_LIMIT,      /* [limits] time_limit     --time-limit */
    VNS_CONF_OCR_MODE,        /* [ocr] mode              --ocr */
    VNS_CONF_OCR_JOBS,        /* [ocr] jobs              --ocr-jobs */
    VNS_CONF_OCR_TIMEOUT,     /* [ocr] page_timeout      --ocr-page-timeout */
    VNS_CONF_OCR_CACHE,       /* [ocr] cache_dir         --ocr-cache */
    VNS_CONF_NKEYS
};

struct vns_config;

/* A configuration with every key unset (its built-in default). Returns
 * VNS_OK or VNS_ENOMEM; free with vns_config_free. */
int vns_config_new(struct vns_config **out, struct vns_err *err);
void vns_config_free(struct vns_config *c);

/* Read the file path into c. path NULL: $VNSEARCH_CONFIG when set (empty:
 * no file), else VNS_CONFIG_FILE; a default file that does not exist is
 * no error, a named one is. Errors name the file, the line and the key:
 * "FILE:7: [server] lisen: unknown key" (VNS_EINVAL), "FILE: cannot open"
 * (VNS_EIO). On error c may hold the keys before the bad line. */
int vns_config_load(struct vns_config *c, const char *path,
                    struct vns_err *err);

/* The usual start of a program: vns_config_new, vns_config_load(path),
 * then the environment, which wins over the file: $VNSEARCH_DB (the index)
 * and $VNSEARCH_SYNONYMS. The synonyms file, when set, is exported as
 * $VNSEARCH_SYNONYMS for lib/synonyms.c: call before any thread starts.
 * Errors as vns_config_load; *out is written only on VNS_OK. */
int vns_config_init(const char *path, struct vns_config **out,
                    struct vns_err *err);

/* Set key k to value, checked as in the file; from says where it came from
 * ("$VNSEARCH_DB"; NULL: the key's option, "--jobs") and the error names it:
 * "--jobs: takes 1 to 64, not "0"" (VNS_EINVAL). For VNS_CONF_FOLDERS the first
 * call from a new place replaces the list, later ones add to it. */
int vns_config_set(struct vns_config *c, enum vns_conf_key k, const char *value,
                   const char *from, struct vns_err *err);

/* The value of k, borrowed from c; NULL when unset (the program's default
 * applies). For a list, its first element. */
const char *vns_config_str(const struct vns_config *c, enum vns_conf_key k);

/* A numeric key's value; def when unset. Time limits are in seconds. */
unsigned vns_config_uint(const struct vns_config *c, enum vns_conf_key k,
                         unsigned def);
double vns_config_seconds(const struct vns_config *c, enum vns_conf_key k,
                          double def);

/* The folders (VNS_CONF_FOLDERS), borrowed from c; returns their count. */
size_t vns_config_folders(const struct vns_config *c, const char *const **out);

/* Where the value of k came from: "default", "FILE:LINE", or the from of
 * vns_config_set. Borrowed from c. */
const char *vns_config_from(const struct vns_config *c, enum vns_conf_key k);

/* The file vns_config_load read, or NULL. Borrowed from c. */
const char *vns_config_file(const struct vns_config *c);

/* Every key, as INI that vns_config_load reads back: set keys as
 * "key = value ; from", unset ones commented out with their default.
 * Returns VNS_OK or VNS_EIO. */
int vns_config_print(const struct vns_config *c, FILE *f, struct vns_err *err);

#endif
