/* The indexing run: walk the roots in a fixed order, skip unchanged files,
 * build documents on worker threads, write them in walk order on the
 * calling thread, commit as it goes, then remove the files that are gone.
 * The same for some paths only: a watcher's batches (watch.c). */
#include "vnsearch/crawl.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hash.h"
#include "index_impl.h"
#include "shard.h"

/* Name patterns (fnmatch) listed in a folder's IGNORE_FILE, one per line,
 * '#' for comments: matching entries of that folder are skipped. */
#define IGNORE_FILE VNS_IGNORE_FILE
#define IGNORE_MAX 65536
#define IGNORE_PATTERNS 256
/* Tasks a worker may run ahead of the writers, and the files' bytes of
 * those prepared and waiting to be written: both bound memory. A commit
 * stops a writer for a while (merging the batch's postings, then the
 * syncs); with room for only 8 tasks a job the workers soon stood idle
 * behind it. 8 -> 64, indexing viwiki (7,860 files, 85 MB) with --jobs
 * 1, wall clock 37.9-47.6 s -> 34.7-41.7 s (three runs each, in turns). */
#define AHEAD_PER_JOB 64
#define AHEAD_BYTES (64u << 20)
/* The workers' nice value over the writers': a writer (one a shard) is
 * the run's serial part, and workers that outnumber the free cores took
 * turns with it (--jobs 2 on 2 cores was slower than --jobs 1). The
 * same viwiki with --jobs 2, three runs each in turns: 38.1-42.0 s; with
 * the room for 64 alone 40.0-41.0 s; with both 34.2-35.5 s. */
#define WORKER_NICE 5

struct entry {
    char *path;
    char *id;
    size_t root; /* index into the roots */
};

/* What the decision pass leaves for the workers. */
struct task {
    const struct entry *e;
    char *over;     /* overrides JSON, or NULL */
    char stamp[96]; /* size:mtime:overrides */
    char *old_hash; /* stored hash, or NULL for a new document */
    uint32_t docid; /* existing document, or 0 */
    unsigned shard; /* the shard its id goes to (0: one database) */
};

enum result_kind {
    R_PREPARED,
    R_SAME,
    R_FAILED
};

struct result {
    int ready;
    enum result_kind kind;
    struct vns_prepared p;
    char hash[20];
    char msg[256];
    uint64_t bytes;
};

/* A set of strings (the ids seen under a root), open addressing. */
struct strset {
    char **slot;
    size_t cap, n;
};

struct run {
    struct vns_index *ix;
    const struct vns_crawl_opts *o;
    struct vns_crawl_stats *st;
    struct entry *ents;
    size_t nents, capents;
    char **roots; /* absolute folders (a file root: its folder) */
    int *sweep;   /* per root: remove what is gone (folders that walked) */
    struct strset *seen;
    dev_t db_dev;
    ino_t db_ino;
    /* the worker pipeline: workers prepare tasks in order, one writer
     * per shard writes that shard's; at[s] is the task writer s waits
     * for (ntasks when done): workers run at most ahead past the least */
    struct task *tasks;
    struct result *res;
    size_t ntasks, next, ahead;
    uint64_t waiting; /* bytes of the results ready and not yet written */
    size_t at[VNS_MAX_SHARDS];
    unsigned nshards;
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    /* counts and events, which writers of several shards report at once */
    pthread_mutex_t report;
};

static void event(struct run *r, enum vns_crawl_event ev, const char *path,
                  const char *msg)
{
    if (r->o->on_event != NULL)
        r->o->on_event(ev, path, msg, r->st, r->o->ctx);
}

/* The least task a writer still waits for (r->mu held). */
static size_t lowest(const struct run *r)
{
    size_t low = r->ntasks;

    for (unsigned s = 0; s < r->nshards; s++)
        if (r->at[s] < low)
            low = r->at[s];
    return low;
}

/* Whether a worker may take the next task now (r->mu held): within the
 * tasks ahead of the least a writer waits for, and, past that one, while
 * the prepared results hold less than AHEAD_BYTES of files. */
static int may_take(const struct run *r)
{
    size_t low = lowest(r);

    return r->next <= low ||
           (r->next < low + r->ahead && r->waiting < AHEAD_BYTES);
}

static int set_add(struct strset *s, const char *str)
{
    if (s->n * 2 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        char **slot = calloc(cap, sizeof(*slot));
        if (slot == NULL)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slot[i] == NULL)
                continue;
            size_t h = vns_hash64(s->slot[i], strlen(s->slot[i]), 0) % cap;
            while (slot[h] != NULL)
                h = (h + 1) % cap;
            slot[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t h = vns_hash64(str, strlen(str), 0) % s->cap;
    while (s->slot[h] != NULL) {
        if (strcmp(s->slot[h], str) == 0)
            return 0;
        h = (h + 1) % s->cap;
    }
    s->slot[h] = (char *)str; /* borrowed from the entries */
    s->n++;
    return 0;
}

static int set_has(const struct strset *s, const char *str)
{
    if (s->cap == 0)
        return 0;
    size_t h = vns_hash64(str, strlen(str), 0) % s->cap;
    while (s->slot[h] != NULL) {
        if (strcmp(s->slot[h], str) == 0)
            return 1;
        h = (h + 1) % s->cap;
    }
    return 0;
}

/* ---- the walk ---- */

struct ignores {
    char *buf;
    char *pat[IGNORE_PATTERNS];
    size_t n;
};

static void ignores_load(struct ignores *ig, const char *dir)
{
    char path[4200];
    FILE *f;
    size_t len;

    ig->buf = NULL;
    ig->n = 0;
    if (snprintf(path, sizeof(path), "%s/%s", dir, IGNORE_FILE) >=
        (int)sizeof(path))
        return;
    f = fopen(path, "r");
    if (f == NULL)
        return;
    ig->buf = malloc(IGNORE_MAX + 1);
    if (ig->buf != NULL) {
        char *save = NULL;
        len = fread(ig->buf, 1, IGNORE_MAX, f);
        ig->buf[len] = '\0';
        for (char *line = strtok_r(ig->buf, "\r\n", &save);
             line && ig->n < IGNORE_PATTERNS;
             line = strtok_r(NULL, "\r\n", &save))
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

static char *join(const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = malloc(la + ls + lb + 1);

    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, sep, ls);
        memcpy(s + la + ls, b, lb + 1);
    }
    return s;
}

static int add_entry(struct run *r, char *path, char *id, size_t root)
{
    if (r->nents == r->capents) {
        size_t cap = r->capents ? r->capents * 2 : 1024;
        struct entry *e = realloc(r->ents, cap * sizeof(*e));
        if (e == NULL)
            return -1;
        r->ents = e;
        r->capents = cap;
    }
    r->ents[r->nents++] = (struct entry){path, id, root};
    return 0;
}

static void failed(struct run *r, const char *path, const char *msg)
{
    r->st->failed++;
    event(r, VNS_CRAWL_FAILED, path, msg);
}

static void skipped(struct run *r, const char *path, const char *why)
{
    r->st->skipped++;
    event(r, VNS_CRAWL_SKIPPED, path, why);
}

/* Walk dir (ids relative to the root: rel) in name order. Links to
 * folders are not followed, so a link loop cannot trap the walk. */
static int walk(struct run *r, const char *dir, const char *rel, size_t root)
{
    struct dirent **names = NULL;
    struct ignores ig;
    int n = scandir(dir, &names, NULL, alphasort), rc = 0;

    if (n < 0) {
        failed(r, dir, strerror(errno));
        return 0;
    }
    ignores_load(&ig, dir);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char *path = NULL, *id = NULL;
        struct stat lst, st;

        if (rc != 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            goto next;
        path = join(dir, "/", name);
        id = *rel ? join(rel, "/", name) : join("", "", name);
        if (path == NULL || id == NULL) {
            rc = -1;
            goto next;
        }
        if (name[0] == '.') {
            skipped(r, path, "hidden");
            goto next;
        }
        if (vns_is_sidecar(name)) {
            skipped(r, path, "metadata for its neighbour");
            goto next;
        }
        if (ignored(&ig, name)) {
            skipped(r, path, "listed in " IGNORE_FILE);
            goto next;
        }
        if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
            failed(r, path,
                   errno == ELOOP ? "symbolic link loop" : strerror(errno));
            goto next;
        }
        if (S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode))
                skipped(r, path, "link to a folder");
            else if (st.st_dev == r->db_dev && st.st_ino == r->db_ino)
                skipped(r, path, "the index itself");
            else
                rc = walk(r, path, id, root);
        } else if (S_ISREG(st.st_mode)) {
            if (add_entry(r, path, id, root) != 0) {
                rc = -1;
                goto next;
            }
            path = id = NULL; /* kept by the entry */
        } else {
            failed(r, path, "not a regular file");
        }
    next:
        free(path);
        free(id);
        free(names[i]);
    }
    free(names);
    free(ig.buf);
    return rc;
}

/* ---- deciding what to read ---- */

static void make_stamp(const struct stat *st, const char *over, char *out,
                       size_t cap)
{
    uint64_t oh = over ? vns_hash64(over, strlen(over), 0) : 0;

    snprintf(out, cap, "%lld:%lld.%09ld:%016llx", (long long)st->st_size,
             (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
             (unsigned long long)oh);
}

/* Stamp every entry; those whose stamp moved become tasks. */
static int decide(struct run *r, struct vns_err *err)
{
    r->tasks = calloc(r->nents ? r->nents : 1, sizeof(*r->tasks));
    if (r->tasks == NULL)
        return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    for (size_t i = 0; i < r->nents; i++) {
        const struct entry *e = &r->ents[i];
        struct task t = {.e = e};
        struct vns_err fe = {0};
        char idt[VNS_MAX_ID + 2], *old = NULL;
        struct stat st;
        int rc;

        if (set_add(&r->seen[e->root], e->id) != 0)
            return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
        if (stat(e->path, &st) != 0) {
            failed(r, e->path, strerror(errno));
            r->st->done++;
            continue;
        }
        if (vns_overrides_for(r->o->manifest, e->id, e->path, &t.over, &fe) !=
            VNS_OK) {
            failed(r, e->path, fe.msg);
            r->st->done++;
            continue;
        }
        make_stamp(&st, t.over, t.stamp, sizeof(t.stamp));
        if (vns_index_id_term(e->id, idt, sizeof(idt), &fe) != VNS_OK) {
            failed(r, e->path, fe.msg);
            free(t.over);
            r->st->done++;
            continue;
        }
        t.shard = vns_index_shard_of(r->ix, idt);
        rc = vns_xdb_find(r->ix->db, idt, &t.docid, &fe);
        if (rc == VNS_OK) {
            rc = vns_xdb_get_value(r->ix->db, t.docid, VNS_SLOT_STAMP, &old,
                                   NULL, err);
            if (rc != VNS_OK)
                return rc;
            if (!r->o->force && strcmp(old, t.stamp) == 0) {
                free(old);
                free(t.over);
                r->st->unchanged++;
                r->st->done++;
                continue;
            }
            free(old);
            rc = vns_xdb_get_value(r->ix->db, t.docid, VNS_SLOT_HASH,
                                   &t.old_hash, NULL, err);
            if (rc != VNS_OK)
                return rc;
        } else if (rc != VNS_ENOTFOUND) {
            *err = fe;
            return rc;
        }
        r->tasks[r->ntasks++] = t;
    }
    return VNS_OK;
}

/* ---- workers ---- */

static void work_one(struct run *r, struct vns_worker *w, const struct task *t,
                     struct result *res)
{
    const struct entry *e = t->e;
    struct vns_source src = {e->path,
                             e->id,
                             r->roots[e->root],
                             t->over,
                             t->stamp,
                             res->hash,
                             r->ix->held + (uint64_t)(t - r->tasks) + 1};
    struct vns_blob b = {0};
    struct vns_err err = {0};
    uint64_t h;

    if (vns_blob_read(e->path, VNS_MAX_FILE, &b, &err) != VNS_OK) {
        res->kind = R_FAILED;
        snprintf(res->msg, sizeof(res->msg), "%s", err.msg);
        return;
    }
    res->bytes = b.len;
    h = vns_hash64(b.data, b.len, 0);
    if (t->over != NULL)
        h = vns_hash64(t->over, strlen(t->over), h);
    snprintf(res->hash, sizeof(res->hash), "%016llx", (unsigned long long)h);
    if (!r->o->force && t->old_hash != NULL &&
        strcmp(t->old_hash, res->hash) == 0) {
        res->kind = R_SAME; /* touched, not changed */
    } else if (vns_prepare_blob(r->ix, w, &src, b.data, b.len, &res->p, &err) ==
               VNS_OK) {
        res->kind = R_PREPARED;
    } else {
        res->kind = R_FAILED;
        snprintf(res->msg, sizeof(res->msg), "%s", err.msg);
    }
    vns_blob_fini(&b);
}

struct worker_arg {
    struct run *r;
    struct vns_worker w;
};

/* Below the writers, which come first when both could run: Linux gives
 * each thread its own nice value (OCR helpers a worker starts inherit
 * it). One that cannot be set is no error. */
static void yield_to_writers(void)
{
    pid_t tid = (pid_t)syscall(SYS_gettid);
    int nice;

    errno = 0;
    nice = getpriority(PRIO_PROCESS, (id_t)tid);
    if (errno == 0 && nice < 19)
        (void)setpriority(PRIO_PROCESS, (id_t)tid,
                          nice + WORKER_NICE < 19 ? nice + WORKER_NICE : 19);
}

static void *worker_main(void *arg)
{
    struct worker_arg *a = arg;
    struct run *r = a->r;

    yield_to_writers();
    for (;;) {
        size_t i;
        pthread_mutex_lock(&r->mu);
        while (!r->stop && r->next < r->ntasks && !may_take(r))
            pthread_cond_wait(&r->space, &r->mu);
        if (r->stop || r->next >= r->ntasks) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        i = r->next++;
        pthread_mutex_unlock(&r->mu);
        work_one(r, &a->w, &r->tasks[i], &r->res[i]);
        pthread_mutex_lock(&r->mu);
        r->res[i].ready = 1;
        r->waiting += r->res[i].bytes;
        pthread_cond_broadcast(&r->ready);
        pthread_mutex_unlock(&r->mu);
    }
}

/* ---- the writers ---- */

static int commit(struct run *r, struct vns_err *err)
{
    int rc = vns_index_commit(r->ix, err);

    if (rc == VNS_OK) {
        r->st->commits++;
        event(r, VNS_CRAWL_COMMIT, NULL, NULL);
    }
    return rc;
}

static int commit_shard(struct run *r, unsigned shard, struct vns_err *err)
{
    int rc = vns_index_commit_shard(r->ix, shard, err);

    if (rc == VNS_OK) {
        pthread_mutex_lock(&r->report);
        r->st->commits++;
        event(r, VNS_CRAWL_COMMIT, NULL, NULL);
        pthread_mutex_unlock(&r->report);
    }
    return rc;
}

/* Write result i into its shard; returns an error of the index only. */
static int write_one(struct run *r, size_t i, size_t *docs, size_t *bytes,
                     struct vns_err *err)
{
    const struct task *t = &r->tasks[i];
    struct result *res = &r->res[i];
    int rc = VNS_OK;

    if (res->kind == R_SAME) /* same content: keep the new stamp */
        rc =
            vns_index_set_value(r->ix, t->docid, VNS_SLOT_STAMP, t->stamp, err);
    else if (res->kind == R_PREPARED)
        rc = vns_index_put(r->ix, &res->p, err);
    *bytes += res->bytes;
    pthread_mutex_lock(&r->report);
    r->st->bytes += res->bytes;
    switch (rc == VNS_OK ? res->kind : R_FAILED) {
    case R_FAILED:
        if (rc == VNS_OK)
            failed(r, t->e->path, res->msg);
        break;
    case R_SAME:
        r->st->unchanged++;
        r->st->reread++;
        break;
    case R_PREPARED:
        if (t->docid != 0) {
            r->st->updated++;
            event(r, VNS_CRAWL_UPDATED, t->e->path, NULL);
        } else {
            r->st->added++;
            event(r, VNS_CRAWL_ADDED, t->e->path, NULL);
        }
        if (res->p.info.bad_utf8 > 0) {
            char msg[96];
            snprintf(msg, sizeof(msg), "%zu invalid UTF-8 sequences replaced",
                     res->p.info.bad_utf8);
            event(r, VNS_CRAWL_WARNING, t->e->path, msg);
        }
        (*docs)++;
        break;
    }
    if (rc == VNS_OK) {
        r->st->done++;
        event(r, VNS_CRAWL_PROGRESS, t->e->path, NULL);
    }
    pthread_mutex_unlock(&r->report);
    vns_prepared_fini(&res->p);
    return rc;
}

struct writer_arg {
    struct run *r;
    unsigned shard;
    int rc;
    struct vns_err err;
};

/* Write the tasks of one shard in order, committing every so often; the
 * first error stops the whole run. */
static void *writer_main(void *arg)
{
    struct writer_arg *a = arg;
    struct run *r = a->r;
    size_t docs = 0, bytes = 0;
    uint64_t written = 0; /* files' bytes written, not yet off r->waiting */
    /* 250: Xapian's batch of postings stays small enough to search fast
     * (small seed 11, one job, CPU seconds: 2,000: 39; 500: 24-27; 250:
     * 22-23; 100: 21; peak RSS 357, 193, 155, 125 MB) */
    size_t cdocs = r->o->commit_docs ? r->o->commit_docs : 250;
    size_t cbytes = r->o->commit_bytes ? r->o->commit_bytes : 64u << 20;

    /* the shards share the memory one database would have */
    cdocs = cdocs / r->nshards ? cdocs / r->nshards : 1;
    cbytes = cbytes / r->nshards ? cbytes / r->nshards : 1;
    for (size_t i = 0; i < r->ntasks && a->rc == VNS_OK; i++) {
        if (r->tasks[i].shard != a->shard)
            continue;
        pthread_mutex_lock(&r->mu);
        r->waiting -= written; /* the last one's, counted while it waited */
        written = 0;
        r->at[a->shard] = i;
        pthread_cond_broadcast(&r->space);
        while (!r->res[i].ready && !r->stop)
            pthread_cond_wait(&r->ready, &r->mu);
        int stopped = !r->res[i].ready;
        pthread_mutex_unlock(&r->mu);
        if (stopped)
            break; /* another writer failed */
        a->rc = write_one(r, i, &docs, &bytes, &a->err);
        written = r->res[i].bytes;
        if (a->rc == VNS_OK && (docs >= cdocs || bytes >= cbytes)) {
            a->rc = commit_shard(r, a->shard, &a->err);
            docs = bytes = 0;
        }
    }
    pthread_mutex_lock(&r->mu);
    r->waiting -= written;
    r->at[a->shard] = r->ntasks;
    if (a->rc != VNS_OK)
        r->stop = 1;
    pthread_cond_broadcast(&r->space);
    pthread_cond_broadcast(&r->ready);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* One writer per shard: this thread for one database, threads for more. */
static int write_all(struct run *r, struct vns_err *err)
{
    struct writer_arg a[VNS_MAX_SHARDS];
    pthread_t th[VNS_MAX_SHARDS];
    unsigned started = 0;
    int rc = VNS_OK;

    for (unsigned s = 0; s < r->nshards; s++)
        a[s] = (struct writer_arg){r, s, VNS_OK, {0}};
    if (r->nshards == 1) {
        writer_main(&a[0]);
    } else {
        for (; started < r->nshards; started++)
            if (pthread_create(&th[started], NULL, writer_main, &a[started]) !=
                0)
                break;
        if (started < r->nshards) {
            /* the shards without a thread are written here, in turn */
            for (unsigned s = started; s < r->nshards; s++)
                writer_main(&a[s]);
        }
        for (unsigned s = 0; s < started; s++)
            pthread_join(th[s], NULL);
    }
    for (unsigned s = 0; s < r->nshards && rc == VNS_OK; s++)
        if (a[s].rc != VNS_OK) {
            rc = a[s].rc;
            if (err != NULL)
                *err = a[s].err;
        }
    return rc;
}

static int pipeline(struct run *r, struct vns_err *err)
{
    unsigned jobs = r->o->jobs;
    struct worker_arg *args = NULL;
    pthread_t *th = NULL;
    size_t started = 0;
    int rc = VNS_OK;

    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    if (jobs > 64)
        jobs = 64;
    r->res = calloc(r->ntasks ? r->ntasks : 1, sizeof(*r->res));
    args = calloc(jobs, sizeof(*args));
    th = calloc(jobs, sizeof(*th));
    if (r->res == NULL || args == NULL || th == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
        goto out;
    }
    r->ahead = (size_t)jobs * AHEAD_PER_JOB;
    for (unsigned j = 0; j < jobs && r->ntasks > 0; j++) {
        args[j].r = r;
        rc = vns_worker_init(&args[j].w, err);
        if (rc != VNS_OK)
            goto out;
        if (pthread_create(&th[j], NULL, worker_main, &args[j]) != 0) {
            vns_worker_fini(&args[j].w);
            rc = vns_err_set(err, VNS_ENOMEM, "index run: no thread");
            goto out;
        }
        started++;
    }
    rc = write_all(r, err);
out:
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_broadcast(&r->space);
    pthread_mutex_unlock(&r->mu);
    for (size_t j = 0; j < started; j++) {
        pthread_join(th[j], NULL);
        vns_worker_fini(&args[j].w);
    }
    if (r->res != NULL)
        for (size_t i = 0; i < r->ntasks; i++)
            vns_prepared_fini(&r->res[i].p);
    free(args);
    free(th);
    return rc;
}

/* ---- removing what is gone ---- */

struct sweep {
    struct run *r;
    size_t root;
    struct vns_err *err;
};

static int sweep_one(uint32_t docid, void *arg)
{
    struct sweep *s = arg;
    char *id = NULL, idt[VNS_MAX_ID + 2], *path;
    int rc;

    rc = vns_xdb_get_value(s->r->ix->db, docid, VNS_SLOT_ID, &id, NULL, s->err);
    if (rc != VNS_OK)
        return rc;
    if (id[0] != '\0' && !set_has(&s->r->seen[s->root], id) &&
        vns_index_id_term(id, idt, sizeof(idt), NULL) == VNS_OK) {
        rc = vns_index_delete_term(s->r->ix, idt, s->err);
        if (rc == VNS_OK) {
            s->r->st->removed++;
            path = join(s->r->roots[s->root], "/", id);
            event(s->r, VNS_CRAWL_REMOVED, path ? path : id, NULL);
            free(path);
        }
    }
    free(id);
    return rc;
}

static int sweep(struct run *r, struct vns_err *err)
{
    char term[240];

    for (size_t i = 0; i < r->o->nroots; i++) {
        struct sweep s = {r, i, err};
        int rc;
        if (!r->sweep[i])
            continue;
        vns_index_root_term(r->roots[i], term, sizeof(term));
        rc = vns_xdb_postlist(r->ix->db, term, sweep_one, &s, err);
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

/* ---- the run ---- */

/* Resolve root i into r->roots[i]: the absolute folder (a file root: its
 * folder, and *file gets the file's name, malloc'd). A missing root is
 * reported and left NULL: not an empty one, so nothing of it is removed. */
static int resolve_root(struct run *r, size_t i, char **file,
                        struct vns_err *err)
{
    const char *root = r->o->roots[i];
    char *abs = realpath(root, NULL), *dir, *slash;
    struct stat st;

    *file = NULL;
    if (abs == NULL || stat(abs, &st) != 0) {
        failed(r, root,
               errno == ELOOP ? "symbolic link loop" : strerror(errno));
        free(abs);
        return VNS_OK;
    }
    if (S_ISDIR(st.st_mode)) {
        r->roots[i] = abs;
        return VNS_OK;
    }
    slash = strrchr(abs, '/');
    dir = slash == abs ? join("/", "", "") : join("", "", abs);
    if (dir != NULL && slash != abs)
        dir[slash - abs] = '\0';
    *file = join("", "", slash + 1);
    free(abs);
    if (dir == NULL || *file == NULL) {
        free(dir);
        free(*file);
        *file = NULL;
        return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    }
    r->roots[i] = dir;
    return VNS_OK;
}

/* Walk one root: a folder, or a single file (id: its name). */
static int walk_root(struct run *r, size_t i, struct vns_err *err)
{
    const char *root = r->o->roots[i];
    char *file = NULL, *path;
    int rc = resolve_root(r, i, &file, err);

    if (rc != VNS_OK || r->roots[i] == NULL)
        return rc;
    if (file == NULL) {
        r->sweep[i] = 1;
        if (walk(r, root, "", i) != 0)
            return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
        return VNS_OK;
    }
    /* a file: its folder is the root, the file alone is looked at */
    path = join("", "", root);
    if (path == NULL || add_entry(r, path, file, i) != 0) {
        free(path);
        free(file);
        return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    }
    return VNS_OK;
}

static int run_init(struct run *r, struct vns_index *ix,
                    const struct vns_crawl_opts *opts,
                    struct vns_crawl_stats *stats, struct vns_err *err)
{
    struct stat st;

    *stats = (struct vns_crawl_stats){0};
    r->ix = ix;
    r->o = opts;
    r->st = stats;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->ready, NULL);
    pthread_cond_init(&r->space, NULL);
    pthread_mutex_init(&r->report, NULL);
    r->nshards = vns_index_nshards(ix);
    if (ix->mode != VNS_INDEX_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: index opened read-only",
                           ix->dir);
    r->roots = calloc(opts->nroots + 1, sizeof(*r->roots));
    r->sweep = calloc(opts->nroots + 1, sizeof(*r->sweep));
    r->seen = calloc(opts->nroots + 1, sizeof(*r->seen));
    if (r->roots == NULL || r->sweep == NULL || r->seen == NULL)
        return vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    if (stat(ix->dir, &st) == 0) {
        r->db_dev = st.st_dev;
        r->db_ino = st.st_ino;
    }
    if (ix->old_format && !opts->force)
        return vns_err_set(err, VNS_EINDEX,
                           "%s: built by another version of vnsearch: rebuild "
                           "it with vnsearch-index --force",
                           ix->dir);
    return vns_index_vocab(ix, err);
}

static void run_fini(struct run *r)
{
    const struct vns_crawl_opts *opts = r->o;

    for (size_t i = 0; i < r->ntasks; i++) {
        free(r->tasks[i].over);
        free(r->tasks[i].old_hash);
    }
    free(r->tasks);
    free(r->res);
    for (size_t i = 0; i < r->nents; i++) {
        free(r->ents[i].path);
        free(r->ents[i].id);
    }
    free(r->ents);
    for (size_t i = 0; r->roots != NULL && i < opts->nroots; i++)
        free(r->roots[i]);
    for (size_t i = 0; r->seen != NULL && i < opts->nroots; i++)
        free(r->seen[i].slot);
    free(r->roots);
    free(r->sweep);
    free(r->seen);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->ready);
    pthread_cond_destroy(&r->space);
    pthread_mutex_destroy(&r->report);
}

int vns_crawl(struct vns_index *ix, const struct vns_crawl_opts *opts,
              struct vns_crawl_stats *stats, struct vns_err *err)
{
    struct run r = {0};
    int rc;

    rc = run_init(&r, ix, opts, stats, err);
    for (size_t i = 0; i < opts->nroots && rc == VNS_OK; i++)
        rc = walk_root(&r, i, err);
    stats->total = r.nents;
    if (rc == VNS_OK)
        rc = decide(&r, err);
    if (rc == VNS_OK)
        rc = pipeline(&r, err);
    if (rc == VNS_OK)
        rc = sweep(&r, err);
    if (rc == VNS_OK && ix->old_format) /* every file re-read (--force) */
        rc = vns_index_set_format(ix, err);
    if (rc == VNS_OK)
        rc = commit(&r, err);
    run_fini(&r);
    return rc;
}

/* ---- some paths only ---- */

/* Byte order, but '/' first: a folder's paths follow it at once. */
static int path_cmp(const void *pa, const void *pb)
{
    const struct vns_crawl_path *a = pa, *b = pb;
    const unsigned char *x = (const unsigned char *)a->rel;
    const unsigned char *y = (const unsigned char *)b->rel;

    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    for (; *x != '\0' && *x == *y; x++, y++)
        ;
    if (*x == *y)
        return 0;
    if (*x == '\0' || *y == '\0')
        return *x == '\0' ? -1 : 1;
    if (*x == '/' || *y == '/')
        return *x == '/' ? -1 : 1;
    return *x < *y ? -1 : 1;
}

/* Is rel (under the folder dir) the same or inside folder k? */
static int inside(const char *k, const char *rel)
{
    size_t n = strlen(k);

    return n == 0 ||
           (strncmp(k, rel, n) == 0 && (rel[n] == '\0' || rel[n] == '/'));
}

/* Add the files of rel (a file, or a folder: walked) as entries when a
 * walk from root i would reach it: each name on the way is looked at as
 * walk() does (hidden, sidecar, .vnsearch-ignore, links to folders, the
 * index itself). Nothing is added when rel is gone or out of the walk. */
static void visit(struct run *r, size_t i, const char *rel, int *oom)
{
    char *dir = join("", "", r->roots[i]), *copy = join("", "", rel);
    char *save = NULL, *path = NULL;
    struct stat lst, st;

    if (dir == NULL || copy == NULL)
        goto oom;
    for (char *name = strtok_r(copy, "/", &save); name != NULL;
         name = strtok_r(NULL, "/", &save)) {
        struct ignores ig;
        int skip;

        if (name[0] == '.' || vns_is_sidecar(name))
            goto out;
        ignores_load(&ig, dir);
        skip = ignored(&ig, name);
        free(ig.buf);
        path = join(dir, "/", name);
        if (skip || path == NULL)
            goto out;
        if (lstat(path, &lst) != 0 || stat(path, &st) != 0)
            goto out;
        if (S_ISDIR(st.st_mode) &&
            (S_ISLNK(lst.st_mode) ||
             (st.st_dev == r->db_dev && st.st_ino == r->db_ino)))
            goto out;
        free(dir);
        dir = path;
        path = NULL;
    }
    if (stat(dir, &st) != 0)
        goto out;
    if (S_ISDIR(st.st_mode)) {
        if (walk(r, dir, rel, i) != 0)
            goto oom;
    } else if (S_ISREG(st.st_mode)) {
        char *id = join("", "", rel);
        if (id == NULL || add_entry(r, dir, id, i) != 0) {
            free(id);
            goto oom;
        }
        dir = NULL; /* kept by the entry */
    } else {
        failed(r, dir, "not a regular file");
    }
    goto out;
oom:
    *oom = 1;
out:
    free(path);
    free(dir);
    free(copy);
}

struct gone {
    struct run *r;
    size_t root;
    char **ids;
    size_t n, cap;
};

static int collect_gone(const char *term, size_t len, uint64_t tf, void *ctx)
{
    struct gone *g = ctx;
    char *id;

    (void)tf;
    id = strndup(term + 1, len - 1);
    if (id == NULL)
        return -1;
    if (set_has(&g->r->seen[g->root], id)) {
        free(id);
        return 0;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        char **ids = realloc(g->ids, cap * sizeof(*ids));
        if (ids == NULL) {
            free(id);
            return -1;
        }
        g->ids = ids;
        g->cap = cap;
    }
    g->ids[g->n++] = id;
    return 0;
}

/* Remove the documents of rel and of everything under it that the run
 * did not see. Ids are looked up by their Q term: no pass over the root. */
static int sweep_under(struct run *r, size_t i, const char *rel,
                       struct vns_err *err)
{
    struct gone g = {r, i, NULL, 0, 0};
    char term[VNS_MAX_ID + 3];
    uint32_t docid;
    int rc = VNS_OK;

    if (vns_index_id_term(rel, term, sizeof(term), NULL) != VNS_OK)
        return VNS_OK; /* such an id cannot be in the index */
    if (!set_has(&r->seen[i], rel)) {
        rc = vns_xdb_find(r->ix->db, term, &docid, err);
        if (rc == VNS_OK) {
            rc = collect_gone(term, strlen(term), 0, &g) ? VNS_ENOMEM : 0;
        } else if (rc == VNS_ENOTFOUND) {
            rc = VNS_OK;
        }
    }
    if (rc == VNS_OK && strlen(term) + 1 < sizeof(term)) {
        strcat(term, "/");
        rc = vns_xdb_terms(r->ix->db, term, collect_gone, &g, err);
    }
    if (rc == -1 || rc == VNS_ENOMEM)
        rc = vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    /* deleted after the term walk: not while it runs */
    for (size_t k = 0; k < g.n && rc == VNS_OK; k++) {
        char *path;
        vns_index_id_term(g.ids[k], term, sizeof(term), NULL);
        rc = vns_index_delete_term(r->ix, term, err);
        if (rc != VNS_OK)
            break;
        r->st->removed++;
        path = join(r->roots[i], "/", g.ids[k]);
        event(r, VNS_CRAWL_REMOVED, path ? path : g.ids[k], NULL);
        free(path);
    }
    for (size_t k = 0; k < g.n; k++)
        free(g.ids[k]);
    free(g.ids);
    return rc;
}

int vns_crawl_paths(struct vns_index *ix, const struct vns_crawl_opts *opts,
                    const struct vns_crawl_path *paths, size_t npaths,
                    struct vns_crawl_stats *stats, struct vns_err *err)
{
    struct vns_crawl_path *p = NULL;
    struct run r = {0};
    char **file = NULL;
    size_t n = 0;
    int rc, oom = 0;

    rc = run_init(&r, ix, opts, stats, err);
    if (rc == VNS_OK) {
        p = malloc((npaths ? npaths : 1) * sizeof(*p));
        file = calloc(opts->nroots + 1, sizeof(*file));
        if (p == NULL || file == NULL)
            rc = vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
    }
    if (rc != VNS_OK)
        goto out;
    /* sorted, without those inside another: each file once */
    memcpy(p, paths, npaths * sizeof(*p));
    qsort(p, npaths, sizeof(*p), path_cmp);
    for (size_t k = 0; k < npaths && rc == VNS_OK; k++) {
        if (p[k].root >= opts->nroots)
            continue;
        /* only the roots named: a missing one is reported when asked for */
        if (k == 0 || p[k - 1].root != p[k].root)
            rc = resolve_root(&r, p[k].root, &file[p[k].root], err);
        if (r.roots[p[k].root] == NULL)
            continue;
        if (n > 0 && p[n - 1].root == p[k].root &&
            inside(p[n - 1].rel, p[k].rel))
            continue;
        p[n++] = p[k];
    }
    if (rc != VNS_OK)
        goto out;
    for (size_t k = 0; k < n && !oom; k++) {
        size_t i = p[k].root;
        if (file[i] != NULL) {
            /* a file root: only its own name is looked at */
            char *path = join(r.roots[i], "/", file[i]);
            char *id = join("", "", file[i]);
            struct stat st;
            if (strcmp(p[k].rel, file[i]) != 0 || path == NULL || id == NULL ||
                stat(path, &st) != 0 || add_entry(&r, path, id, i) != 0) {
                oom = path == NULL || id == NULL;
                free(path);
                free(id);
            }
        } else if (p[k].rel[0] == '\0') {
            r.sweep[i] = 1;
            oom = walk(&r, r.roots[i], "", i) != 0;
        } else {
            visit(&r, i, p[k].rel, &oom);
        }
    }
    if (oom) {
        rc = vns_err_set(err, VNS_ENOMEM, "index run: out of memory");
        goto out;
    }
    stats->total = r.nents;
    rc = decide(&r, err);
    if (rc == VNS_OK)
        rc = pipeline(&r, err);
    if (rc == VNS_OK)
        rc = sweep(&r, err);
    for (size_t k = 0; k < n && rc == VNS_OK; k++)
        if (p[k].rel[0] != '\0')
            rc = sweep_under(&r, p[k].root, p[k].rel, err);
    if (rc == VNS_OK)
        rc = commit(&r, err);
out:
    for (size_t i = 0; file != NULL && i < opts->nroots; i++)
        free(file[i]);
    free(file);
    free(p);
    run_fini(&r);
    return rc;
}
