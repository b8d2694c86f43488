/* vnsearch-index: index files and folders (only what changed), report
 * every file that could not go in, show progress, end with a summary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "logline.h"
#include "maintain.h"
#include "vnsearch/vnsearch.h"
#include "watch.h"

struct ui {
    int quiet, tty;
    double start, last_draw;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vnsearch-index [--db DIR] [OPTIONS] [PATH...]\n"
            "Index the files under each PATH (folders are walked; default:\n"
            "the config's folders). A re-run reads only new or changed files\n"
            "and removes the documents of files that are gone.\n"
            "  --config FILE     settings (default %s)\n"
            "  --print-config    show the effective settings and their "
            "origin\n"
            "  --db DIR          index folder (default $VNSEARCH_DB, else %s)\n"
            "  --manifest FILE   metadata overrides: JSON Lines or CSV, an id\n"
            "                    (the path under PATH) plus any fields; a\n"
            "                    sidecar FILE.meta.json beside a file wins\n"
            "  -j, --jobs N      extraction threads (default: cores)\n"
            "  --force           re-index unchanged files too\n"
            "  --no-compact      leave the index as written (a run that\n"
            "                    wrote half its documents or more compacts\n"
            "                    it: about a third smaller)\n"
            "  --commit-every N  commit after N documents (default 250)\n"
            "  --shards N        a new index in N shards (2-64), each with\n"
            "                    its own writer; with --rebuild, reshape\n"
            "  -q, --quiet       only errors and the summary\n"
            "  -v, --verbose     one line per file\n"
            "  --rebuild         index the folders afresh beside the index,\n"
            "                    then swap it in (a damaged index, a new\n"
            "                    layout); searches go on meanwhile\n"
            "  --watch           then keep the index current: changed files\n"
            "                    are searchable within seconds (inotify);\n"
            "                    SIGTERM or SIGINT commits and exits 0\n"
            "  --ocr MODE        scanned notices: auto (default: PDFs without\n"
            "                    a text layer, PNG/JPEG/TIFF images), off,\n"
            "                    or force (every PDF)\n"
            "  --ocr-jobs N      OCR programs at once (default: cores)\n"
            "  --ocr-page-timeout S  recognition time of a page (default 60)\n"
            "  --ocr-cache DIR   recognized texts by content (default\n"
            "                    $XDG_CACHE_HOME/vnsearch/ocr, else\n"
            "                    ~/.cache/vnsearch/ocr)\n"
            "  --log-level L     error, warn, info (default) or debug\n"
            "  --log-format F    text (default) or logfmt (ts=... level=...)\n"
            "Keeping the index (no PATH):\n"
            "  --compact         compact it in place; searches go on\n"
            "  --compact --merge-shards  make a sharded index one database\n"
            "  --check           check it: exit 0 sound, 1 damaged\n"
            "  --stats [--json]  documents, terms, size, last commit, and\n"
            "                    counts by province, type and year\n"
            "  --backup DIR      a compacted copy in the new folder DIR, safe\n"
            "                    while indexing and searching go on\n"
            "  --restore DIR     put the backup DIR in place of the index\n"
            "Exit: 0 all files went in, 1 some failed (the rest is "
            "committed), 2 fatal error.\n",
            VNS_CONFIG_FILE, VNS_DEFAULT_DB);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* OCR'd pages per minute of the run so far. */
static double pages_per_min(const struct vns_ocr_stats *o, double elapsed)
{
    return elapsed > 0 ? (double)o->pages * 60.0 / elapsed : 0;
}

/* "files done/total, MB/s, OCR pages, ETA" on one terminal line. */
static void draw(struct ui *u, const struct vns_crawl_stats *s, int final)
{
    double t = now(), el = t - u->start, rate;
    struct vns_ocr_stats o;

    if (!u->tty || u->quiet || (!final && t - u->last_draw < 0.1))
        return;
    u->last_draw = t;
    rate = el > 0 ? (double)s->bytes / el / 1e6 : 0;
    fprintf(stderr, "\r\033[K[%llu/%llu] %3.0f%% %.1f MB/s",
            (unsigned long long)s->done, (unsigned long long)s->total,
            s->total ? 100.0 * (double)s->done / (double)s->total : 100.0,
            rate);
    vns_ocr_stats(&o);
    if (o.pages + o.cached_pages > 0)
        fprintf(stderr, ", OCR %llu pages (%.1f/min)",
                (unsigned long long)(o.pages + o.cached_pages),
                pages_per_min(&o, el));
    if (!final && s->done > 0 && s->done < s->total)
        fprintf(stderr, " ETA %.0f s",
                el / (double)s->done * (double)(s->total - s->done));
    if (final)
        fputs("\r\033[K", stderr);
}

/* The OCR line of the summary, when OCR had work: pages recognized and
 * their speed, pages the cache spared. */
static void ocr_summary(double elapsed)
{
    struct vns_ocr_stats o;

    vns_ocr_stats(&o);
    if (o.files + o.cached_files + o.failed == 0)
        return;
    printf("ocr: %llu pages of %llu files in %.1f s (%.1f pages/min), "
           "%llu pages of %llu files from the cache, %llu files failed\n",
           (unsigned long long)o.pages, (unsigned long long)o.files, o.seconds,
           pages_per_min(&o, elapsed), (unsigned long long)o.cached_pages,
           (unsigned long long)o.cached_files, (unsigned long long)o.failed);
    if (o.cache_errors > 0)
        vns_logf(VNS_LOG_WARN,
                 "%llu OCR results could not be saved in the cache %s",
                 (unsigned long long)o.cache_errors,
                 vns_ocr_cache_dir() != NULL ? vns_ocr_cache_dir() : "");
}

/* OCR as the settings say; a missing helper is said once here, and again
 * by each file that needs it. 0, or -1 after saying why. */
static int setup_ocr(const struct vns_config *cfg)
{
    struct vns_ocr_opts o = {.mode = VNS_OCR_AUTO};
    struct vns_err err = {0};
    const char *mode = vns_config_str(cfg, VNS_CONF_OCR_MODE);

    if (mode != NULL && strcmp(mode, "off") == 0)
        o.mode = VNS_OCR_OFF;
    else if (mode != NULL && strcmp(mode, "force") == 0)
        o.mode = VNS_OCR_FORCE;
    o.jobs = vns_config_uint(cfg, VNS_CONF_OCR_JOBS, 0);
    o.page_seconds = vns_config_uint(cfg, VNS_CONF_OCR_TIMEOUT, 0);
    o.cache_dir = vns_config_str(cfg, VNS_CONF_OCR_CACHE);
    if (vns_ocr_setup(&o, &err) != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        return -1;
    }
    if (o.mode != VNS_OCR_OFF && vns_ocr_helper() == NULL)
        vns_log(VNS_LOG_WARN,
                "vnsearch-ocr not found: scanned files will fail (--ocr off "
                "to skip them quietly)",
                (const char *)NULL);
    return 0;
}

/* The library's events as log lines: a file that could not go in is an
 * error, a remark a warning, each file's fate and each commit debug (-v). */
static void on_event(enum vns_crawl_event ev, const char *path, const char *msg,
                     const struct vns_crawl_stats *s, void *ctx)
{
    struct ui *u = ctx;
    enum vns_log_level level = VNS_LOG_DEBUG;
    const char *what = NULL;
    size_t pl = path != NULL ? strlen(path) : 0;
    char n[24];

    switch (ev) {
    case VNS_CRAWL_FAILED:
        level = VNS_LOG_ERROR;
        break;
    case VNS_CRAWL_WARNING:
        level = VNS_LOG_WARN;
        break;
    case VNS_CRAWL_ADDED:
        what = "indexed";
        break;
    case VNS_CRAWL_UPDATED:
        what = "updated";
        break;
    case VNS_CRAWL_REMOVED:
        what = "removed";
        break;
    case VNS_CRAWL_SKIPPED:
        what = "skipped";
        break;
    case VNS_CRAWL_COMMIT:
        if (!vns_log_on(VNS_LOG_DEBUG))
            return;
        snprintf(n, sizeof(n), "%llu", (unsigned long long)s->done);
        if (u->tty && !u->quiet)
            fputs("\r\033[K", stderr);
        vns_log(VNS_LOG_DEBUG, "committed", "files_done", n,
                (const char *)NULL);
        return;
    case VNS_CRAWL_PROGRESS:
        draw(u, s, 0);
        return;
    }
    if (!vns_log_on(level))
        return;
    if (u->tty && !u->quiet)
        fputs("\r\033[K", stderr);
    /* library messages usually start with the path already */
    if (msg != NULL && pl > 0 && strncmp(msg, path, pl) == 0 &&
        strncmp(msg + pl, ": ", 2) == 0)
        msg += pl + 2;
    if (what == NULL)
        vns_log(level, msg != NULL ? msg : "failed", "file", path,
                (const char *)NULL);
    else
        vns_log(level, what, "file", path, "reason", msg, (const char *)NULL);
}

/* Address space an indexing run needs: libmagic, ICU and Xapian's
 * tables, plus a stack and buffers per extraction thread. Below it, glibc's
 * regcomp (inside libmagic) can crash on a failed allocation instead of
 * failing, so a run under a tighter `ulimit -v` is refused up front. */
#define MIN_ADDRESS_SPACE (256u << 20)
#define ADDRESS_SPACE_PER_JOB (16u << 20)

/* 0, or -1 after saying why the address-space limit is too tight. */
static int enough_memory(unsigned jobs)
{
    struct rlimit rl;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned long long need;

    if (jobs == 0)
        jobs = cores > 0 ? (unsigned)cores : 1;
    need = MIN_ADDRESS_SPACE + (unsigned long long)jobs * ADDRESS_SPACE_PER_JOB;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= need)
        return 0;
    vns_logf(VNS_LOG_ERROR,
             "the address-space limit (ulimit -v) is %llu MB; indexing with "
             "%u jobs needs %llu MB: raise it, or lower --jobs",
             (unsigned long long)rl.rlim_cur >> 20, jobs, need >> 20);
    return -1;
}

/* --rebuild: the folders indexed afresh beside the index, swapped in
 * (lib/rebuild.c); the summary as a run's. */
static int rebuild_run(const char *db, const struct vns_crawl_opts *o,
                       struct ui *u, int watch)
{
    struct vns_crawl_stats st = {0};
    struct vns_compact_result res = {0};
    struct vns_err err = {0};
    int rc;

    if (watch) {
        vns_log(VNS_LOG_ERROR, "--rebuild and --watch: one at a time",
                (const char *)NULL);
        return 2;
    }
    rc = vns_index_rebuild(db, o, &st, &res, &err);
    draw(u, &st, 1);
    if (rc != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        vns_logf(VNS_LOG_ERROR, "%s is as it was before the rebuild", db);
        return 2;
    }
    printf("rebuilt: indexed %llu, skipped %llu, failed %llu in %.2f s; %s "
           "holds %llu documents (%.1f MB, swapped in%s)\n",
           (unsigned long long)st.added, (unsigned long long)st.skipped,
           (unsigned long long)st.failed, now() - u->start, db,
           (unsigned long long)st.added, (double)res.bytes_after / 1e6,
           res.exchanged ? "" : " with two renames");
    ocr_summary(now() - u->start);
    return st.failed ? 1 : 0;
}

/* A run that wrote half the index's documents or more (a first run, a
 * --force) leaves its B-tree blocks part full: compacting then makes the
 * index about a third smaller (small seed 11: 116 -> 72 MB in under a
 * second) and costs little beside the run. A failure leaves the index as
 * written. */
static void compact_after(const char *db, const struct vns_crawl_stats *st,
                          uint64_t docs)
{
    struct vns_compact_result res = {0};
    struct vns_err err = {0};
    uint64_t wrote = st->added + st->updated;

    if (wrote == 0 || wrote * 2 < docs)
        return;
    if (vns_index_compact(db, &res, &err) != VNS_OK) {
        vns_logf(VNS_LOG_WARN, "%s: left uncompacted: %s", db, err.msg);
        return;
    }
    vns_logf(VNS_LOG_INFO, "%s: compacted, %.1f MB -> %.1f MB in %.2f s", db,
             (double)res.bytes_before / 1e6, (double)res.bytes_after / 1e6,
             res.seconds);
}

/* --shards N: a new index of N shards, or one that has N already. */
static int shape(const char *db, unsigned n, struct vns_err *err)
{
    unsigned has = vns_index_shards(db);

    if (n == 0 || n == has)
        return VNS_OK;
    if (n == 1)
        return vns_err_set(err, VNS_EINVAL,
                           "%s: has %u shards, not 1: --rebuild --shards 1 "
                           "makes it one database",
                           db, has);
    return vns_index_create_shards(db, n, err);
}

/* The log as the settings say (both checked when they were set). */
static void setup_log(const struct vns_config *cfg)
{
    enum vns_log_level level = VNS_LOG_INFO;
    enum vns_log_format format = VNS_LOG_TEXT;
    const char *v;

    if ((v = vns_config_str(cfg, VNS_CONF_LOG_LEVEL)) != NULL)
        vns_log_parse_level(v, &level, NULL);
    if ((v = vns_config_str(cfg, VNS_CONF_LOG_FORMAT)) != NULL)
        vns_log_parse_format(v, &format, NULL);
    vns_log_setup("vnsearch-index", level, format, STDERR_FILENO);
}

/* Long options without a letter. */
enum {
    OPT_OCR = 256,
    OPT_OCR_JOBS,
    OPT_OCR_PAGE_TIMEOUT,
    OPT_OCR_CACHE,
    OPT_NO_COMPACT
};

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"manifest", required_argument, NULL, 'm'},
        {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'f'},
        {"commit-every", required_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"config", required_argument, NULL, 'C'},
        {"print-config", no_argument, NULL, 'P'},
        {"watch", no_argument, NULL, 'W'},
        {"rebuild", no_argument, NULL, 'r'},
        {"log-level", required_argument, NULL, 'L'},
        {"log-format", required_argument, NULL, 'F'},
        {"compact", no_argument, NULL, 'K'},
        {"merge-shards", no_argument, NULL, 'M'},
        {"check", no_argument, NULL, 'X'},
        {"stats", no_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'J'},
        {"backup", required_argument, NULL, 'B'},
        {"restore", required_argument, NULL, 'R'},
        {"shards", required_argument, NULL, 'N'},
        {"ocr", required_argument, NULL, OPT_OCR},
        {"ocr-jobs", required_argument, NULL, OPT_OCR_JOBS},
        {"ocr-page-timeout", required_argument, NULL, OPT_OCR_PAGE_TIMEOUT},
        {"ocr-cache", required_argument, NULL, OPT_OCR_CACHE},
        {"no-compact", no_argument, NULL, OPT_NO_COMPACT},
        {NULL, 0, NULL, 0},
    };
    struct vns_config *cfg = NULL;
    const char *cfg_path = NULL;
    const char *const *folders = NULL;
    int print_cfg = 0, watch = 0, rebuild = 0, no_compact = 0;
    struct vns_crawl_opts o = {0};
    struct vns_crawl_stats st = {0};
    struct vns_manifest *manifest = NULL;
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    struct ui u = {0};
    struct maint_opts mo = {0};
    const char *db, *mpath;
    uint64_t docs = 0;
    char reread[48];
    size_t nfolders;
    int c, rc;

    /* --config first: the file comes before the other options */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "j:qvh", longs, NULL)) != -1) {
        if (c == 'C')
            cfg_path = optarg;
        if (c == 'h') { /* even when the config file is broken */
            usage(stdout);
            return 0;
        }
    }
    opterr = 1;
    optind = 0;
    if (vns_config_init(cfg_path, &cfg, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch-index: %s\n", err.msg);
        return 2;
    }
    while ((c = getopt_long(argc, argv, "j:qvh", longs, NULL)) != -1) {
        enum vns_conf_key key = VNS_CONF_NKEYS;

        switch (c) {
        case 'd':
            key = VNS_CONF_DB;
            break;
        case 'm':
            key = VNS_CONF_MANIFEST;
            break;
        case 'j':
            key = VNS_CONF_JOBS;
            break;
        case 'f':
            o.force = 1;
            break;
        case 'c':
            key = VNS_CONF_COMMIT_EVERY;
            break;
        case 'N':
            key = VNS_CONF_SHARDS;
            break;
        case 'C':
            break;
        case 'P':
            print_cfg = 1;
            break;
        case 'K': /* keeping the index: indexer/maintain.c */
        case 'M':
        case 'X':
        case 'S':
        case 'J':
        case 'B':
        case 'R':
            if (maint_option(&mo, c, optarg) != 0) {
                usage(stderr);
                vns_config_free(cfg);
                return 2;
            }
            break;
        case 'W':
            watch = 1;
            break;
        case 'r':
            rebuild = 1;
            break;
        case 'q':
        case 'v':
            u.quiet = c == 'q';
            key = VNS_CONF_LOG_LEVEL;
            optarg = c == 'q' ? "error" : "debug";
            break;
        case 'L':
            key = VNS_CONF_LOG_LEVEL;
            break;
        case OPT_OCR:
            key = VNS_CONF_OCR_MODE;
            break;
        case OPT_OCR_JOBS:
            key = VNS_CONF_OCR_JOBS;
            break;
        case OPT_OCR_PAGE_TIMEOUT:
            key = VNS_CONF_OCR_TIMEOUT;
            break;
        case OPT_OCR_CACHE:
            key = VNS_CONF_OCR_CACHE;
            break;
        case OPT_NO_COMPACT:
            no_compact = 1;
            break;
        case 'F':
            key = VNS_CONF_LOG_FORMAT;
            break;
        case 'h':
            usage(stdout);
            vns_config_free(cfg);
            return 0;
        case 'V':
            printf("vnsearch-index %s\n", VNS_VERSION);
            vns_config_free(cfg);
            return 0;
        default:
            usage(stderr);
            vns_config_free(cfg);
            return 2;
        }
        /* the command line wins over the file, and --print-config says so */
        if (key != VNS_CONF_NKEYS && vns_config_set(cfg, key, optarg,
                                                    c == 'q'   ? "-q"
                                                    : c == 'v' ? "-v"
                                                               : NULL,
                                                    &err) != VNS_OK) {
            fprintf(stderr, "vnsearch-index: %s\n", err.msg);
            vns_config_free(cfg);
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (vns_config_set(cfg, VNS_CONF_FOLDERS, argv[i], "command line",
                           &err) != VNS_OK) {
            fprintf(stderr, "vnsearch-index: %s\n", err.msg);
            vns_config_free(cfg);
            return 2;
        }
    }
    if (print_cfg) {
        rc = vns_config_print(cfg, stdout, &err);
        if (rc != VNS_OK)
            fprintf(stderr, "vnsearch-index: %s\n", err.msg);
        vns_config_free(cfg);
        return rc == VNS_OK ? 0 : 2;
    }
    setup_log(cfg);
    if (mo.mode != MAINT_NONE || mo.json || mo.merge) {
        mo.db = vns_config_str(cfg, VNS_CONF_DB);
        mo.db = mo.db != NULL ? mo.db : VNS_DEFAULT_DB;
        mo.npaths = argc - optind;
        rc = maint_run(&mo);
        vns_config_free(cfg);
        return rc;
    }
    nfolders = vns_config_folders(cfg, &folders);
    if (nfolders == 0) {
        usage(stderr);
        vns_config_free(cfg);
        return 2;
    }
    db = vns_config_str(cfg, VNS_CONF_DB);
    if (db == NULL)
        db = VNS_DEFAULT_DB;
    mpath = vns_config_str(cfg, VNS_CONF_MANIFEST);
    o.jobs = vns_config_uint(cfg, VNS_CONF_JOBS, 0);
    o.commit_docs = vns_config_uint(cfg, VNS_CONF_COMMIT_EVERY, 0);
    if (enough_memory(o.jobs) != 0 || setup_ocr(cfg) != 0) {
        vns_config_free(cfg);
        return 2;
    }
    if (mpath != NULL && vns_manifest_open(mpath, &manifest, &err) != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        vns_config_free(cfg);
        return 2;
    }
    u.tty = isatty(STDERR_FILENO);
    u.start = now();
    o.roots = folders;
    o.nroots = nfolders;
    o.manifest = manifest;
    o.on_event = on_event;
    o.ctx = &u;
    o.shards = vns_config_uint(cfg, VNS_CONF_SHARDS, 0);
    if (rebuild) {
        rc = rebuild_run(db, &o, &u, watch);
        vns_manifest_free(manifest);
        vns_config_free(cfg);
        return rc;
    }
    rc = shape(db, o.shards, &err);
    if (rc == VNS_OK)
        rc = vns_index_open(db, VNS_INDEX_WRITE, &ix, &err);
    if (rc != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        vns_manifest_free(manifest);
        vns_config_free(cfg);
        return 2;
    }
    if (watch) {
        rc = watch_run(ix, &o, db, u.quiet);
        vns_index_close(ix);
        vns_manifest_free(manifest);
        vns_config_free(cfg);
        return rc;
    }
    rc = vns_crawl(ix, &o, &st, &err);
    draw(&u, &st, 1);
    if (rc != VNS_OK) {
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
        /* the writer's own count may hold what never reached the disk
         * (disk full): count what a reader sees, the last commit */
        vns_index_close(ix);
        ix = NULL;
        if (vns_index_open(db, VNS_INDEX_READ, &ix, NULL) == VNS_OK)
            vns_index_doccount(ix, &docs, NULL);
        vns_logf(VNS_LOG_ERROR,
                 "stopped: %s keeps its last commit (%llu documents); run "
                 "again once the cause is fixed, committed files are not "
                 "read again",
                 db, (unsigned long long)docs);
    } else {
        vns_index_doccount(ix, &docs, NULL);
    }
    vns_index_close(ix);
    if (rc == VNS_OK && !no_compact)
        compact_after(db, &st, docs);
    vns_manifest_free(manifest);
    /* "(N re-read)": touched files read again and found the same */
    snprintf(reread, sizeof(reread), " (%llu re-read)",
             (unsigned long long)st.reread);
    printf("indexed %llu, updated %llu, unchanged %llu%s, removed %llu, "
           "skipped %llu, failed %llu in %.2f s; %s holds %llu documents\n",
           (unsigned long long)st.added, (unsigned long long)st.updated,
           (unsigned long long)st.unchanged, st.reread ? reread : "",
           (unsigned long long)st.removed, (unsigned long long)st.skipped,
           (unsigned long long)st.failed, now() - u.start, db,
           (unsigned long long)docs);
    ocr_summary(now() - u.start);
    vns_config_free(cfg);
    if (rc != VNS_OK)
        return 2;
    return st.failed ? 1 : 0;
}
