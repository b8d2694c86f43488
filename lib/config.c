/* The configuration file through inih: keys checked as they are read, each
 * value with where it came from. What a key does is the programs' business. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ini.h>

enum kind {
    K_PATH,    /* a file or folder name, not empty */
    K_FILE,    /* a file that must be readable now */
    K_UINT,    /* a decimal number within [min, max] */
    K_SECONDS, /* seconds, over 0 and at most max */
    K_LISTEN,  /* HOST:PORT with a numeric host */
    K_CHOICE,  /* one of the words in choices */
    K_LIST     /* a folder, one per line; lines add up */
};

static const struct keydef {
    const char *section, *name, *option;
    enum kind kind;
    unsigned min, max;
    const char *def;     /* what applies when unset, for vns_config_print */
    const char *choices; /* K_CHOICE: the words, separated by spaces */
} keys[VNS_CONF_NKEYS] = {
    [VNS_CONF_DB] = {"index", "path", "--db", K_PATH, 0, 0,
                     "$VNSEARCH_DB, else vnsearch.db", NULL},
    [VNS_CONF_SYNONYMS] = {"index", "synonyms", NULL, K_FILE, 0, 0,
                           "synonyms.tsv in the data directory", NULL},
    [VNS_CONF_FOLDERS] = {"indexer", "folders", "PATH", K_LIST, 0, 0,
                          "none: the PATHs of the command line", NULL},
    [VNS_CONF_JOBS] = {"indexer", "jobs", "--jobs", K_UINT, 1, 64,
                       "one per core", NULL},
    [VNS_CONF_COMMIT_EVERY] = {"indexer", "commit_every", "--commit-every",
                               K_UINT, 1, 100000000, "250", NULL},
    [VNS_CONF_MANIFEST] = {"indexer", "manifest", "--manifest", K_PATH, 0, 0,
                           "none", NULL},
    [VNS_CONF_SHARDS] = {"indexer", "shards", "--shards", K_UINT, 1, 64,
                         "as the index has (1 for a new one)", NULL},
    [VNS_CONF_ALLOW_PARTIAL] = {"index", "allow_partial", "--allow-partial",
                                K_CHOICE, 0, 0,
                                "no: a shard that does not answer is an "
                                "error",
                                "no yes"},
    [VNS_CONF_LISTEN] = {"server", "listen", "--listen", K_LISTEN, 0, 0,
                         "127.0.0.1:8080", NULL},
    [VNS_CONF_THREADS] = {"server", "threads", "--threads", K_UINT, 1, 256,
                          "one per core", NULL},
    [VNS_CONF_TOKEN_FILE] = {"server", "token_file", "--auth-token-file",
                             K_PATH, 0, 0, "none: no token asked", NULL},
    [VNS_CONF_LOG] = {"server", "log", "--log", K_PATH, 0, 0, "standard error",
                      NULL},
    [VNS_CONF_CACHE_MB] = {"server", "cache_mb", "--cache-mb", K_UINT, 0,
                           1u << 20, "64", NULL},
    [VNS_CONF_PRELOAD_MB] = {"server", "preload_mb", "--preload-mb", K_UINT, 0,
                             1u << 24, "half the memory", NULL},
    [VNS_CONF_LOG_LEVEL] = {"log", "level", "--log-level", K_CHOICE, 0, 0,
                            "info; -q: error, -v: debug",
                            "error warn info debug"},
    [VNS_CONF_LOG_FORMAT] = {"log", "format", "--log-format", K_CHOICE, 0, 0,
                             "logfmt for vnsearchd, text for the others",
                             "text logfmt"},
    [VNS_CONF_MAX_INFLIGHT] = {"limits", "max_inflight", "--max-inflight",
                               K_UINT, 1, 100000, "64", NULL},
    [VNS_CONF_MAX_CONNECTIONS] = {"limits", "max_connections",
                                  "--max-connections", K_UINT, 1, 100000, "512",
                                  NULL},
    [VNS_CONF_PER_IP] = {"limits", "per_ip", "--per-ip", K_UINT, 1, 100000,
                         "128", NULL},
    [VNS_CONF_RATE_PER_IP] = {"limits", "rate_per_ip", "--rate-per-ip", K_UINT,
                              0, 100000, "50", NULL},
    [VNS_CONF_TIMEOUT] = {"limits", "timeout", "--timeout", K_UINT, 1, 100000,
                          "15", NULL},
    [VNS_CONF_TIME_LIMIT] = {"limits", "time_limit", "--time-limit", K_SECONDS,
                             0, 600, "2", NULL},
    [VNS_CONF_OCR_MODE] = {"ocr", "mode", "--ocr", K_CHOICE, 0, 0,
                           "auto: scanned PDFs and images", "auto off force"},
    [VNS_CONF_OCR_JOBS] = {"ocr", "jobs", "--ocr-jobs", K_UINT, 1, 64,
                           "one per core", NULL},
    [VNS_CONF_OCR_TIMEOUT] = {"ocr", "page_timeout", "--ocr-page-timeout",
                              K_UINT, 1, 3600, "60", NULL},
    [VNS_CONF_OCR_CACHE] = {"ocr", "cache_dir", "--ocr-cache", K_PATH, 0, 0,
                            "$XDG_CACHE_HOME/vnsearch/ocr, else "
                            "~/.cache/vnsearch/ocr",
                            NULL},
};

/* One value and where it came from; a list holds several. */
struct value {
    char *str, *from;
};

struct vns_config {
    struct value v[VNS_CONF_NKEYS]; /* .str NULL: unset */
    struct value *folders;          /* VNS_CONF_FOLDERS, in order */
    size_t nfolders;
    const char **folder_strs; /* the .str of folders, for the caller */
    int folders_from_file;    /* a later set() replaces them */
    char *file;
};

/* Checks value for key d; on a bad one writes the reason into why. */
static int check(const struct keydef *d, const char *value, char *why,
                 size_t whysz)
{
    char *end;

    if (value[0] == '\0') {
        snprintf(why, whysz, "takes a value, not nothing");
        return -1;
    }
    switch (d->kind) {
    case K_PATH:
    case K_LIST:
        return 0;
    case K_FILE:
        if (access(value, R_OK) != 0) {
            snprintf(why, whysz, "cannot read \"%s\": %s", value,
                     strerror(errno));
            return -1;
        }
        return 0;
    case K_UINT: {
        unsigned long long n;

        errno = 0;
        n = value[0] >= '0' && value[0] <= '9' ? strtoull(value, &end, 10) : 0;
        if (value[0] < '0' || value[0] > '9' || errno != 0 || *end != '\0' ||
            n < d->min || n > d->max) {
            snprintf(why, whysz, "takes %u to %u, not \"%s\"", d->min, d->max,
                     value);
            return -1;
        }
        return 0;
    }
    case K_SECONDS: {
        double s = strtod(value, &end);

        if (end == value || *end != '\0' || !(s > 0 && s <= d->max)) {
            snprintf(why, whysz,
                     "takes seconds, over 0 and at most %u, not \"%s\"", d->max,
                     value);
            return -1;
        }
        return 0;
    }
    case K_CHOICE: {
        size_t n = strlen(value);

        for (const char *w = d->choices; *w != '\0';) {
            size_t wl = strcspn(w, " ");

            if (wl == n && memcmp(w, value, n) == 0)
                return 0;
            w += wl;
            w += *w == ' ';
        }
        snprintf(why, whysz, "takes one of %s, not \"%s\"", d->choices, value);
        return -1;
    }
    case K_LISTEN: {
        /* the rules of vnsearchd --listen: no name lookup decides where
         * we listen */
        struct addrinfo hints = {0}, *ai = NULL;
        const char *colon = strrchr(value, ':'), *h = value;
        char host[256];
        size_t hl;
        int rc = -1;

        if (colon != NULL && colon != value && colon[1] != '\0') {
            hl = (size_t)(colon - value);
            if (value[0] == '[' && hl >= 2 && value[hl - 1] == ']') {
                h++;
                hl -= 2;
            }
            if (hl > 0 && hl < sizeof(host)) {
                memcpy(host, h, hl);
                host[hl] = '\0';
                hints.ai_family = AF_UNSPEC;
                hints.ai_socktype = SOCK_STREAM;
                hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
                rc = getaddrinfo(host, colon + 1, &hints, &ai) == 0 ? 0 : -1;
                if (ai != NULL)
                    freeaddrinfo(ai);
            }
        }
        if (rc != 0)
            snprintf(why, whysz,
                     "takes HOST:PORT with a numeric host (127.0.0.1:8080, "
                     "[::1]:8080), not \"%s\"",
                     value);
        return rc;
    }
    }
    return 0;
}

static void value_fini(struct value *v)
{
    free(v->str);
    free(v->from);
    *v = (struct value){0};
}

static void folders_clear(struct vns_config *c)
{
    for (size_t i = 0; i < c->nfolders; i++)
        value_fini(&c->folders[i]);
    c->nfolders = 0;
    value_fini(&c->v[VNS_CONF_FOLDERS]);
}

/* Stores an already checked value; from_file tells a list where it is. */
static int store(struct vns_config *c, enum vns_conf_key k, const char *value,
                 const char *from, int from_file, struct vns_err *err)
{
    struct value nv = {strdup(value), strdup(from)};

    if (nv.str == NULL || nv.from == NULL)
        goto nomem;
    if (k != VNS_CONF_FOLDERS) {
        value_fini(&c->v[k]);
        c->v[k] = nv;
        return VNS_OK;
    }
    if (c->folders_from_file != from_file)
        folders_clear(c); /* the command line replaces the file's list */
    c->folders_from_file = from_file;
    {
        struct value *nf;
        const char **ns;

        nf = realloc(c->folders, (c->nfolders + 1) * sizeof(*nf));
        if (nf == NULL)
            goto nomem;
        c->folders = nf;
        ns = realloc(c->folder_strs, (c->nfolders + 1) * sizeof(*ns));
        if (ns == NULL)
            goto nomem;
        c->folder_strs = ns;
    }
    c->folders[c->nfolders] = nv;
    c->folder_strs[c->nfolders] = nv.str;
    c->nfolders++;
    if (c->v[k].str == NULL) {
        /* the first folder stands for the list in vns_config_str */
        c->v[k].str = strdup(value);
        c->v[k].from = strdup(from);
        if (c->v[k].str == NULL || c->v[k].from == NULL) {
            value_fini(&c->v[k]);
            return vns_err_set(err, VNS_ENOMEM, "config: out of memory");
        }
    }
    return VNS_OK;
nomem:
    value_fini(&nv);
    return vns_err_set(err, VNS_ENOMEM, "config: out of memory");
}

int vns_config_new(struct vns_config **out, struct vns_err *err)
{
    struct vns_config *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return vns_err_set(err, VNS_ENOMEM, "config: out of memory");
    *out = c;
    return VNS_OK;
}

void vns_config_free(struct vns_config *c)
{
    if (c == NULL)
        return;
    folders_clear(c);
    for (size_t k = 0; k < VNS_CONF_NKEYS; k++)
        value_fini(&c->v[k]);
    free(c->folders);
    free(c->folder_strs);
    free(c->file);
    free(c);
}

/* The state of one vns_config_load: inih calls reader for each line, then
 * handler for a key on it, so line is the line of the key. */
struct load {
    struct vns_config *c;
    FILE *f;
    const char *path;
    unsigned line;
    unsigned seen[VNS_CONF_NKEYS]; /* line of each key's first mention */
    int failed;                    /* err holds our first error */
    unsigned err_line;             /* and its line */
    struct vns_err *err;
};

/* Our first error (a key, a value, a long line) on the current line. */
VNS_PRINTF(2, 3) static void fail(struct load *ld, const char *fmt, ...)
{
    va_list ap;

    ld->failed = 1;
    ld->err_line = ld->line;
    va_start(ap, fmt);
    vsnprintf(ld->err->msg, sizeof(ld->err->msg), fmt, ap);
    va_end(ap);
    ld->err->code = VNS_EINVAL;
}

static char *reader(char *str, int num, void *stream)
{
    struct load *ld = stream;
    size_t n;
    int ch;

    if (fgets(str, num, ld->f) == NULL)
        return NULL;
    ld->line++;
    n = strlen(str);
    if (n > 0 && str[n - 1] != '\n' && !feof(ld->f)) {
        /* longer than inih's line buffer: skip the rest, say so */
        while ((ch = fgetc(ld->f)) != EOF && ch != '\n')
            ;
        if (!ld->failed)
            fail(ld, "%s:%u: line longer than %d bytes", ld->path, ld->line,
                 num - 2);
    }
    return str;
}

static int handler(void *user, const char *section, const char *name,
                   const char *value)
{
    struct load *ld = user;
    const struct keydef *d;
    int known_section = 0, k;
    char from[4200], why[512];

    if (ld->failed)
        return 1; /* one error is reported: the first */
    if (section[0] == '\0') {
        fail(ld, "%s:%u: %s: key outside any [section]", ld->path, ld->line,
             name);
        return 0;
    }
    for (k = 0; k < VNS_CONF_NKEYS; k++) {
        if (strcmp(keys[k].section, section) != 0)
            continue;
        known_section = 1;
        if (strcmp(keys[k].name, name) == 0)
            break;
    }
    if (k == VNS_CONF_NKEYS) {
        fail(ld, "%s:%u: [%s] %s: unknown %s", ld->path, ld->line, section,
             name, known_section ? "key" : "section");
        return 0;
    }
    d = &keys[k];
    if (ld->seen[k] != 0 && d->kind != K_LIST) {
        fail(ld, "%s:%u: [%s] %s: given twice (first on line %u)", ld->path,
             ld->line, section, name, ld->seen[k]);
        return 0;
    }
    if (ld->seen[k] == 0)
        ld->seen[k] = ld->line;
    if (check(d, value, why, sizeof(why)) != 0) {
        fail(ld, "%s:%u: [%s] %s: %s", ld->path, ld->line, section, name, why);
        return 0;
    }
    snprintf(from, sizeof(from), "%s:%u", ld->path, ld->line);
    if (store(ld->c, (enum vns_conf_key)k, value, from, 1, ld->err) != VNS_OK) {
        ld->failed = 1;
        ld->err_line = ld->line;
        return 0;
    }
    return 1;
}

int vns_config_load(struct vns_config *c, const char *path, struct vns_err *err)
{
    struct load ld = {0};
    struct vns_err e = {0};
    int named = path != NULL, rc;

    if (c == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_config_load: no config");
    if (path == NULL) {
        path = getenv("VNSEARCH_CONFIG");
        if (path != NULL && path[0] == '\0')
            return VNS_OK; /* VNSEARCH_CONFIG= : no file at all */
        named = path != NULL;
        if (path == NULL)
            path = VNS_CONFIG_FILE;
    }
    ld.f = fopen(path, "r");
    if (ld.f == NULL) {
        if (!named && errno == ENOENT)
            return VNS_OK; /* no /etc/vnsearch/vnsearch.conf: defaults */
        return vns_err_set(err, VNS_EIO, "%s: cannot open: %s", path,
                           strerror(errno));
    }
    ld.c = c;
    ld.path = path;
    ld.err = &e;
    rc = ini_parse_stream(reader, &ld, handler, &ld);
    if (ferror(ld.f)) {
        fclose(ld.f);
        return vns_err_set(err, VNS_EIO, "%s: read failed", path);
    }
    fclose(ld.f);
    /* the first error wins: ours, or inih's on an earlier line */
    if (ld.failed && (rc <= 0 || ld.err_line <= (unsigned)rc)) {
        if (err != NULL)
            *err = e;
        return e.code;
    }
    if (rc > 0)
        return vns_err_set(err, VNS_EINVAL,
                           "%s:%d: neither [section] nor key = value", path,
                           rc);
    if (rc < 0)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
    free(c->file);
    c->file = strdup(path);
    if (c->file == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
    return VNS_OK;
}

int vns_config_init(const char *path, struct vns_config **out,
                    struct vns_err *err)
{
    struct vns_config *c = NULL;
    const char *env, *syn;
    int rc;

    rc = vns_config_new(&c, err);
    if (rc != VNS_OK)
        return rc;
    rc = vns_config_load(c, path, err);
    env = getenv("VNSEARCH_DB");
    if (rc == VNS_OK && env != NULL && env[0] != '\0')
        rc = vns_config_set(c, VNS_CONF_DB, env, "$VNSEARCH_DB", err);
    env = getenv("VNSEARCH_SYNONYMS");
    if (rc == VNS_OK && env != NULL && env[0] != '\0')
        rc = vns_config_set(c, VNS_CONF_SYNONYMS, env, "$VNSEARCH_SYNONYMS",
                            err);
    syn = vns_config_str(c, VNS_CONF_SYNONYMS);
    if (rc == VNS_OK && syn != NULL && setenv("VNSEARCH_SYNONYMS", syn, 1) != 0)
        rc = vns_err_set(err, VNS_ENOMEM, "config: out of memory");
    if (rc != VNS_OK) {
        vns_config_free(c);
        return rc;
    }
    *out = c;
    return VNS_OK;
}

int vns_config_set(struct vns_config *c, enum vns_conf_key k, const char *value,
                   const char *from, struct vns_err *err)
{
    char why[512];

    if (c == NULL || (unsigned)k >= VNS_CONF_NKEYS || value == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_config_set: bad argument");
    if (from == NULL)
        from = keys[k].option != NULL ? keys[k].option : keys[k].name;
    if (check(&keys[k], value, why, sizeof(why)) != 0)
        return vns_err_set(err, VNS_EINVAL, "%s: %s", from, why);
    return store(c, k, value, from, 0, err);
}

const char *vns_config_str(const struct vns_config *c, enum vns_conf_key k)
{
    if (c == NULL || (unsigned)k >= VNS_CONF_NKEYS)
        return NULL;
    return c->v[k].str;
}

unsigned vns_config_uint(const struct vns_config *c, enum vns_conf_key k,
                         unsigned def)
{
    const char *s = vns_config_str(c, k);

    /* checked when set: digits within the key's range */
    return s != NULL ? (unsigned)strtoul(s, NULL, 10) : def;
}

double vns_config_seconds(const struct vns_config *c, enum vns_conf_key k,
                          double def)
{
    const char *s = vns_config_str(c, k);

    return s != NULL ? strtod(s, NULL) : def;
}

size_t vns_config_folders(const struct vns_config *c, const char *const **out)
{
    if (c == NULL || c->nfolders == 0) {
        *out = NULL;
        return 0;
    }
    *out = c->folder_strs;
    return c->nfolders;
}

const char *vns_config_from(const struct vns_config *c, enum vns_conf_key k)
{
    const char *s = NULL;

    if (c != NULL && (unsigned)k < VNS_CONF_NKEYS)
        s = c->v[k].from;
    return s != NULL ? s : "default";
}

const char *vns_config_file(const struct vns_config *c)
{
    return c != NULL ? c->file : NULL;
}

int vns_config_print(const struct vns_config *c, FILE *f, struct vns_err *err)
{
    const char *section = NULL;

    fprintf(f,
            "; effective settings (file: %s); each line ends with "
            "where its value came from\n",
            c->file != NULL ? c->file : "none");
    for (int k = 0; k < VNS_CONF_NKEYS; k++) {
        const struct keydef *d = &keys[k];

        if (section == NULL || strcmp(section, d->section) != 0) {
            section = d->section;
            fprintf(f, "\n[%s]\n", section);
        }
        if (k == VNS_CONF_FOLDERS && c->nfolders > 0) {
            for (size_t i = 0; i < c->nfolders; i++)
                fprintf(f, "%s = %s ; %s\n", d->name, c->folders[i].str,
                        c->folders[i].from);
        } else if (c->v[k].str != NULL) {
            fprintf(f, "%s = %s ; %s\n", d->name, c->v[k].str, c->v[k].from);
        } else {
            fprintf(f, "; %s = (%s) ; default\n", d->name, d->def);
        }
    }
    if (fflush(f) != 0 || ferror(f))
        return vns_err_set(err, VNS_EIO, "--print-config: write failed");
    return VNS_OK;
}
