/* OCR for extraction: the vnsearch-ocr helper found, run once per file in
 * a sandbox (at most `jobs` at once), its output cached by content. */
#include "ocr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "sandbox.h"
#include "sha256.h"

#ifndef VNS_LIBEXEC_DIR
#define VNS_LIBEXEC_DIR "/usr/local/libexec/vnsearch"
#endif

#define HELPER "vnsearch-ocr"
/* The helper's output format, and the cache's folder for it: a new
 * format (or new languages) starts a new folder instead of misreading. */
#define OUTPUT_VERSION 1
#define CACHE_SUB "v1-vie+eng"
#define DEFAULT_PAGE_SECONDS 60
/* A file of unknown length (a TIFF) may have this many pages; the helper
 * refuses more. */
#define MAX_PAGES 100u
/* Rendering and Tesseract's models: about 500 MB for an A4 page. */
#define OCR_MEMORY (2048ull * 1024 * 1024)
/* Starting the helper and loading the models, beyond the pages' time. */
#define STARTUP_SECONDS 30
#define MAX_OUTPUT (VNS_MAX_TEXT + 4096u)

static struct {
    enum vns_ocr_mode mode;
    unsigned jobs, page_seconds;
    char *cache_dir, *helper;
    char looked[PATH_MAX + 64]; /* where the helper was looked for */
    pthread_mutex_t mu;
    pthread_cond_t freed;
    unsigned running;
    struct vns_ocr_stats st;
} g = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .freed = PTHREAD_COND_INITIALIZER,
};

enum vns_ocr_mode vns_ocr_mode(void)
{
    return g.mode;
}

const char *vns_ocr_helper(void)
{
    return g.helper;
}

const char *vns_ocr_cache_dir(void)
{
    return g.cache_dir;
}

void vns_ocr_stats(struct vns_ocr_stats *out)
{
    pthread_mutex_lock(&g.mu);
    *out = g.st;
    pthread_mutex_unlock(&g.mu);
}

void vns_ocr_text_fini(struct vns_ocr_text *t)
{
    if (t == NULL)
        return;
    free(t->text);
    *t = (struct vns_ocr_text){0};
}

static bool executable(const char *path)
{
    struct stat st;

    return access(path, X_OK) == 0 && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

/* vnsearch-ocr beside the running program (a build folder, a bin folder
 * holding both), then in the installed libexec folder. */
static char *find_helper(void)
{
    char self[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    char *slash;

    g.looked[0] = '\0';
    if (n > 0) {
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/" HELPER, self);
            if (executable(path))
                return strdup(path);
            snprintf(g.looked, sizeof(g.looked), "%s nor ", self);
        }
    }
    snprintf(path, sizeof(path), "%s/" HELPER, VNS_LIBEXEC_DIR);
    if (executable(path))
        return strdup(path);
    strncat(g.looked, VNS_LIBEXEC_DIR, sizeof(g.looked) - strlen(g.looked) - 1);
    return NULL;
}

/* The default cache folder: the XDG one, else under $HOME; NULL when
 * neither is set (a service without a home: no cache). */
static char *default_cache(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char path[PATH_MAX];

    if (xdg != NULL && xdg[0] == '/')
        snprintf(path, sizeof(path), "%s/vnsearch/ocr", xdg);
    else if (home != NULL && home[0] == '/')
        snprintf(path, sizeof(path), "%s/.cache/vnsearch/ocr", home);
    else
        return NULL;
    return strdup(path);
}

int vns_ocr_setup(const struct vns_ocr_opts *o, struct vns_err *err)
{
    char *cache = NULL, *helper = NULL;

    if (o == NULL || o->mode < VNS_OCR_OFF || o->mode > VNS_OCR_FORCE)
        return vns_err_set(err, VNS_EINVAL, "OCR: bad settings");
    if (o->cache_dir == NULL)
        cache = default_cache();
    else if (o->cache_dir[0] != '\0' && (cache = strdup(o->cache_dir)) == NULL)
        return vns_err_set(err, VNS_ENOMEM, "OCR: out of memory");
    if (o->helper != NULL) {
        if (executable(o->helper))
            helper = strdup(o->helper);
        snprintf(g.looked, sizeof(g.looked), "%s", o->helper);
    } else {
        helper = find_helper();
    }
    free(g.cache_dir);
    free(g.helper);
    g.cache_dir = cache;
    g.helper = helper;
    g.mode = o->mode;
    g.page_seconds = o->page_seconds ? o->page_seconds : DEFAULT_PAGE_SECONDS;
    g.jobs = o->jobs;
    if (g.jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        g.jobs = n > 0 ? (unsigned)n : 1;
    }
    return VNS_OK;
}

/* ---- the cache: one file per content, the helper's output as is ---- */

/* SHA-256 of the content and its length: a file crafted to collide with
 * another's key would give it the other's text, so no FNV here. */
static void cache_key(const char *data, size_t len, char *key, size_t keysz)
{
    char hex[65];

    vns_sha256_hex(data, len, hex);
    snprintf(key, keysz, "%s-%zu", hex, len);
}

static int cache_path(const char *key, char *path, size_t pathsz)
{
    int n = snprintf(path, pathsz, "%s/" CACHE_SUB "/%.2s/%s", g.cache_dir, key,
                     key);

    return n > 0 && (size_t)n < pathsz ? 0 : -1;
}

/* Parse the helper's output: "vnsearch-ocr 1 pages=N confidence=C\n",
 * then N pages each ended by a form feed. Returns 0 and the body, or -1
 * when it is not that (a damaged cache entry, a wrong helper). */
static int parse(const char *s, size_t len, unsigned *pages, double *conf,
                 const char **body, size_t *blen)
{
    const char *nl = memchr(s, '\n', len);
    unsigned version = 0, n = 0, ff = 0;
    double c = -1;
    char head[96];
    size_t hl;

    if (nl == NULL || (hl = (size_t)(nl - s)) >= sizeof(head))
        return -1;
    memcpy(head, s, hl);
    head[hl] = '\0';
    if (sscanf(head, "vnsearch-ocr %u pages=%u confidence=%lf", &version, &n,
               &c) != 3 ||
        version != OUTPUT_VERSION || n == 0 || !(c >= 0 && c <= 100))
        return -1;
    *body = nl + 1;
    *blen = len - hl - 1;
    if (*blen == 0)
        return -1;
    for (size_t i = 0; i < *blen; i++)
        ff += (*body)[i] == '\f';
    if (ff != n || (*body)[*blen - 1] != '\f')
        return -1; /* cut short */
    *pages = n;
    *conf = c;
    return 0;
}

/* The cached output for key, or -1 (missing, unreadable or damaged: all
 * a miss). */
static int cache_get(const char *key, struct vns_blob *out)
{
    char path[PATH_MAX];
    struct vns_blob b = {0};
    const char *body;
    unsigned pages;
    double conf;
    size_t blen;

    if (g.cache_dir == NULL || cache_path(key, path, sizeof(path)) != 0)
        return -1;
    if (vns_blob_read(path, MAX_OUTPUT, &b, NULL) != VNS_OK)
        return -1;
    if (parse(b.data, b.len, &pages, &conf, &body, &blen) != 0) {
        vns_blob_fini(&b);
        return -1;
    }
    *out = b;
    return 0;
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t got = write(fd, s, n);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        s += got;
        n -= (size_t)got;
    }
    return 0;
}

/* Save output under key: a temporary file renamed into place, so a reader
 * (another indexer) sees the whole entry or none. */
static void cache_put(const char *key, const char *s, size_t len)
{
    char path[PATH_MAX], tmp[PATH_MAX + 16], *slash;
    int fd = -1, ok = 0;

    if (g.cache_dir == NULL || cache_path(key, path, sizeof(path)) != 0)
        return;
    snprintf(tmp, sizeof(tmp), "%s", path);
    slash = strrchr(tmp, '/');
    *slash = '\0';
    if (mkdir_p(tmp) != 0)
        goto out;
    *slash = '/';
    snprintf(slash + 1, sizeof(tmp) - (size_t)(slash + 1 - tmp), ".tmp.XXXXXX");
    fd = mkstemp(tmp);
    if (fd < 0)
        goto out;
    ok = write_all(fd, s, len) == 0;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok)
        unlink(tmp);
out:
    if (!ok) {
        pthread_mutex_lock(&g.mu);
        g.st.cache_errors++;
        pthread_mutex_unlock(&g.mu);
    }
}

/* ---- running the helper ---- */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The helper's last line that starts with its name: its reason. */
static void reason(const char *errtext, char *buf, size_t bufsz)
{
    const char *p = errtext, *found = NULL;

    while ((p = strstr(p, HELPER ": ")) != NULL) {
        if (p == errtext || p[-1] == '\n')
            found = p + strlen(HELPER ": ");
        p++;
    }
    if (found == NULL) {
        snprintf(buf, bufsz, "no reason given");
        return;
    }
    snprintf(buf, bufsz, "%.*s", (int)strcspn(found, "\n"), found);
}

static int judge(const struct vns_sandbox_result *res, unsigned budget,
                 struct vns_err *err)
{
    char why[300];

    switch (res->end) {
    case VNS_SANDBOX_TIMEOUT:
        return vns_err_set(err, VNS_ETOOBIG, "OCR took over %u s", budget);
    case VNS_SANDBOX_CUT:
        return vns_err_set(err, VNS_ETOOBIG, "OCR text over %u bytes",
                           VNS_MAX_TEXT);
    case VNS_SANDBOX_SIGNALED:
        if (res->code == SIGXCPU || res->code == SIGKILL)
            return vns_err_set(err, VNS_ETOOBIG,
                               "OCR took over %u s of CPU (or over %llu MB)",
                               budget, OCR_MEMORY >> 20);
        /* Tesseract aborts when an allocation fails under RLIMIT_AS */
        return vns_err_set(err, VNS_EBADDATA,
                           "OCR: " HELPER " died of signal %d%s", res->code,
                           res->code == SIGABRT ? " (out of memory?)" : "");
    case VNS_SANDBOX_EXITED:
        break;
    }
    if (res->code == 0)
        return VNS_OK;
    reason(res->errtext, why, sizeof(why));
    return vns_err_set(err, VNS_EBADDATA, "OCR: %s", why);
}

/* At most g.jobs helpers at once, whatever the number of threads. */
static void slot_take(void)
{
    pthread_mutex_lock(&g.mu);
    while (g.running >= g.jobs)
        pthread_cond_wait(&g.freed, &g.mu);
    g.running++;
    pthread_mutex_unlock(&g.mu);
}

static void slot_give(unsigned pages, double seconds, bool ok)
{
    pthread_mutex_lock(&g.mu);
    g.running--;
    if (ok) {
        g.st.files++;
        g.st.pages += pages;
    } else {
        g.st.failed++;
    }
    g.st.seconds += seconds;
    pthread_cond_signal(&g.freed);
    pthread_mutex_unlock(&g.mu);
}

static int run_helper(const char *data, size_t len, unsigned pages,
                      struct vns_sandbox_result *res, struct vns_err *err)
{
    char secs[16], maxp[16];
    const char *argv[] = {
        g.helper, "--page-seconds", secs, "--max-pages", maxp, "-", NULL};
    unsigned budget = g.page_seconds * (pages ? pages : MAX_PAGES);
    struct vns_sandbox_limits lim = {
        .cpu_seconds = budget + STARTUP_SECONDS,
        .memory = OCR_MEMORY,
        .max_output = MAX_OUTPUT,
        .timeout_ms = (budget + STARTUP_SECONDS) * 1000u,
    };
    const char *body;
    unsigned got_pages = 0;
    double conf, start;
    size_t blen;
    int rc;

    snprintf(secs, sizeof(secs), "%u", g.page_seconds);
    snprintf(maxp, sizeof(maxp), "%u", MAX_PAGES);
    slot_take();
    start = now();
    rc = vns_sandbox_run(argv, data, len, &lim, res, err);
    if (rc == VNS_OK)
        rc = judge(res, budget + STARTUP_SECONDS, err);
    if (rc == VNS_OK &&
        parse(res->out, res->out_len, &got_pages, &conf, &body, &blen) != 0)
        rc = vns_err_set(err, VNS_EBADDATA,
                         "OCR: " HELPER " printed something else than text");
    slot_give(got_pages, now() - start, rc == VNS_OK);
    return rc;
}

int vns_ocr_file(const char *data, size_t len, unsigned pages,
                 struct vns_ocr_text *out, struct vns_err *err)
{
    struct vns_sandbox_result res = {0};
    struct vns_blob hit = {0};
    struct vns_ocr_text t = {0};
    const char *raw, *body;
    size_t rawlen, blen;
    char key[96];
    int rc;

    cache_key(data, len, key, sizeof(key));
    if (cache_get(key, &hit) == 0) {
        raw = hit.data;
        rawlen = hit.len;
        t.cached = true;
    } else {
        if (g.helper == NULL)
            return vns_err_set(err, VNS_EUNSUPPORTED,
                               "OCR needs " HELPER
                               ", not found in %s (install it, or --ocr off)",
                               g.looked);
        rc = run_helper(data, len, pages, &res, err);
        if (rc != VNS_OK)
            goto out;
        raw = res.out;
        rawlen = res.out_len;
        cache_put(key, raw, rawlen);
    }
    /* checked by cache_get or run_helper already */
    parse(raw, rawlen, &t.pages, &t.confidence, &body, &blen);
    rc = vns_ocr_repair(body, blen, &t.text, &t.len, err);
    if (rc != VNS_OK)
        goto out;
    if (t.cached) {
        pthread_mutex_lock(&g.mu);
        g.st.cached_files++;
        g.st.cached_pages += t.pages;
        pthread_mutex_unlock(&g.mu);
    }
    *out = t; /* moved: the caller owns it now */
    t = (struct vns_ocr_text){0};
out:
    vns_ocr_text_fini(&t);
    vns_blob_fini(&hit);
    vns_sandbox_result_fini(&res);
    return rc;
}
