/* vnsearch-index: walk files and folders, add each file to the index,
 * report every file that could not go in, and end with one summary line. */
#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vnsearch/vnsearch.h"

/* Commit every so many documents, so a crash loses little. */
#define COMMIT_EVERY 1000

struct run {
    struct vns_index *ix;
    struct vns_manifest *manifest; /* --manifest, or NULL */
    dev_t db_dev; /* the index folder itself is never indexed */
    ino_t db_ino;
    int verbose, quiet;
    unsigned long indexed, skipped, failed, pending;
    int fatal;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vnsearch-index [--db DIR] [--manifest FILE] [-q] [-v] "
            "PATH...\n"
            "Index the files under each PATH (folders are walked).\n"
            "  --db DIR    index folder (default $VNSEARCH_DB, else %s)\n"
            "  --manifest FILE  metadata overrides: JSON Lines or CSV, an id\n"
            "              (the path under PATH) plus any fields; a sidecar\n"
            "              FILE.meta.json beside a file wins over it\n"
            "  -q, --quiet only errors and the summary\n"
            "  -v, --verbose  one line per file\n"
            "Exit: 0 all files went in, 1 some failed (the rest is "
            "committed), 2 fatal error.\n",
            VNS_DEFAULT_DB);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Errors of the index itself stop the run; errors of one file do not. */
static int is_fatal(int code)
{
    return code == VNS_EINDEX || code == VNS_EBUSY || code == VNS_ENOMEM ||
           code == VNS_EINTERNAL;
}

static void index_file(struct run *r, const char *path, const char *id)
{
    struct vns_err err = {0};
    struct vns_file_info info = {0};
    char *over = NULL;
    int rc = vns_overrides_for(r->manifest, id, path, &over, &err);

    if (rc == VNS_OK)
        rc = vns_index_add_file(r->ix, path, id, over, &info, &err);
    free(over);

    if (rc != VNS_OK) {
        fprintf(stderr, "vnsearch-index: %s\n", err.msg);
        if (is_fatal(rc))
            r->fatal = 1;
        else
            r->failed++;
        return;
    }
    r->indexed++;
    if (info.bad_utf8 > 0 && !r->quiet)
        fprintf(stderr,
                "vnsearch-index: %s: warning: %zu invalid UTF-8 sequences "
                "replaced\n",
                path, info.bad_utf8);
    if (r->verbose)
        fprintf(stderr, "indexed %s (%s, %zu bytes of text)\n", id, info.format,
                info.text_len);
    if (++r->pending >= COMMIT_EVERY) {
        r->pending = 0;
        if (vns_index_commit(r->ix, &err) != VNS_OK) {
            fprintf(stderr, "vnsearch-index: commit: %s\n", err.msg);
            r->fatal = 1;
        }
    }
}

/* Name patterns (fnmatch) listed in a folder's IGNORE_FILE, one per
 * line, '#' for comments: matching entries of that folder are skipped. */
#define IGNORE_FILE ".vnsearch-ignore"
#define IGNORE_MAX 65536

struct ignores {
    char *buf;
    char *pat[256];
    size_t n;
};

static void ignores_load(struct ignores *ig, const char *dir)
{
    char *path = NULL;
    FILE *f;
    size_t len;

    ig->buf = NULL;
    ig->n = 0;
    if (asprintf(&path, "%s/%s", dir, IGNORE_FILE) < 0)
        return;
    f = fopen(path, "r");
    free(path);
    if (f == NULL)
        return;
    ig->buf = malloc(IGNORE_MAX + 1);
    if (ig->buf != NULL) {
        len = fread(ig->buf, 1, IGNORE_MAX, f);
        ig->buf[len] = '\0';
        for (char *line = strtok(ig->buf, "\r\n"); line && ig->n < 256;
             line = strtok(NULL, "\r\n"))
            if (line[0] != '#' && line[0] != '\0')
                ig->pat[ig->n++] = line;
    }
    fclose(f);
}

static int ignored(const struct ignores *ig, const char *name)
{
    for (size_t i = 0; i < ig->n; i++)
        if (fnmatch(ig->pat[i], name, 0) == 0)
            return 1;
    return 0;
}

/* Walk dir; ids are paths relative to the root (rel). Symbolic links to
 * folders are not followed, so a link loop cannot trap the walk. */
static void walk(struct run *r, const char *dir, const char *rel)
{
    struct dirent **names = NULL;
    struct ignores ig;
    int n = scandir(dir, &names, NULL, alphasort);

    if (n < 0) {
        fprintf(stderr, "vnsearch-index: %s: %s\n", dir, strerror(errno));
        r->failed++;
        return;
    }
    ignores_load(&ig, dir);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char *path = NULL, *id = NULL;
        struct stat lst, st;

        if (r->fatal || name[0] == '.') {
            /* hidden files and folders (.git, editor droppings) */
            if (!r->fatal && strcmp(name, ".") && strcmp(name, ".."))
                r->skipped++;
            goto next;
        }
        if (vns_is_sidecar(name)) {
            /* metadata for its neighbour, read with it */
            r->skipped++;
            goto next;
        }
        if (ignored(&ig, name)) {
            r->skipped++;
            if (r->verbose)
                fprintf(stderr, "skipped %s/%s: listed in %s\n", dir, name,
                        IGNORE_FILE);
            goto next;
        }
        if (asprintf(&path, "%s/%s", dir, name) < 0 ||
            asprintf(&id, "%s%s%s", rel, *rel ? "/" : "", name) < 0) {
            fprintf(stderr, "vnsearch-index: out of memory\n");
            r->fatal = 1;
            goto next;
        }
        if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
            fprintf(stderr, "vnsearch-index: %s: %s\n", path,
                    errno == ELOOP ? "symbolic link loop" : strerror(errno));
            r->failed++;
            goto next;
        }
        if (S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode) ||
                (st.st_dev == r->db_dev && st.st_ino == r->db_ino)) {
                r->skipped++;
                if (r->verbose)
                    fprintf(stderr, "skipped %s: %s\n", path,
                            S_ISLNK(lst.st_mode) ? "link to a folder"
                                                 : "the index itself");
            } else {
                walk(r, path, id);
            }
        } else if (S_ISREG(st.st_mode)) {
            index_file(r, path, id);
        } else {
            fprintf(stderr, "vnsearch-index: %s: not a regular file\n", path);
            r->failed++;
        }
    next:
        free(path);
        free(id);
        free(names[i]);
    }
    free(names);
    free(ig.buf);
}

static void index_root(struct run *r, const char *root)
{
    struct stat st;
    const char *base;

    if (stat(root, &st) != 0) {
        fprintf(stderr, "vnsearch-index: %s: %s\n", root,
                errno == ELOOP ? "symbolic link loop" : strerror(errno));
        r->failed++;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        walk(r, root, "");
        return;
    }
    base = strrchr(root, '/');
    index_file(r, root, base ? base + 1 : root);
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"manifest", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct run r = {0};
    struct vns_err err = {0};
    const char *db = getenv("VNSEARCH_DB"), *manifest = NULL;
    struct stat st;
    uint64_t docs = 0;
    double t0 = now();
    int c, rc;

    if (db == NULL || *db == '\0')
        db = VNS_DEFAULT_DB;
    while ((c = getopt_long(argc, argv, "qvh", longs, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'm':
            manifest = optarg;
            break;
        case 'q':
            r.quiet = 1;
            break;
        case 'v':
            r.verbose = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("vnsearch-index %s\n", VNS_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (manifest != NULL &&
        vns_manifest_open(manifest, &r.manifest, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch-index: %s\n", err.msg);
        return 2;
    }
    rc = vns_index_open(db, VNS_INDEX_WRITE, &r.ix, &err);
    if (rc != VNS_OK) {
        fprintf(stderr, "vnsearch-index: %s\n", err.msg);
        vns_manifest_free(r.manifest);
        return 2;
    }
    if (stat(db, &st) == 0) {
        r.db_dev = st.st_dev;
        r.db_ino = st.st_ino;
    }
    for (int i = optind; i < argc && !r.fatal; i++)
        index_root(&r, argv[i]);
    rc = vns_index_commit(r.ix, &err);
    if (rc != VNS_OK) {
        fprintf(stderr, "vnsearch-index: commit: %s\n", err.msg);
        r.fatal = 1;
    }
    vns_index_doccount(r.ix, &docs, NULL);
    vns_index_close(r.ix);
    vns_manifest_free(r.manifest);
    printf("indexed %lu, skipped %lu, failed %lu in %.2f s; %s holds %llu "
           "documents\n",
           r.indexed, r.skipped, r.failed, now() - t0, db,
           (unsigned long long)docs);
    if (r.fatal)
        return 2;
    return r.failed ? 1 : 0;
}
