/* The watch: inotify events on every folder under the roots become paths
 * to look at again, handed to vns_crawl_paths in batches. What a path
 * means (hidden, ignored, a sidecar's file...) is decided by crawl.c. */
#include "vnsearch/watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "index_impl.h"

#define DEBOUNCE_MS 300
#define SETTLE_MS 3000
/* a steady stream of events still gets a batch this often */
#define MAX_WAIT_MS 1000
/* a root that went away is looked for again this often */
#define RETRY_MS 2000
#define SIDECAR ".meta.json"

/* IN_ONLYDIR, IN_DONT_FOLLOW: folders only, links not followed (as the
 * walk); IN_EXCL_UNLINK: no events from files already deleted. */
#define MASK                                                                   \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |    \
     IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |      \
     IN_DONT_FOLLOW | IN_EXCL_UNLINK)

/* A watched folder. */
struct wdir {
    int wd;
    size_t root;
    char *rel; /* under its root, "" for the root itself */
};

enum pstate {
    P_READY, /* closed, moved, deleted: read at the next batch */
    P_OPEN   /* being written: read once closed, or quiet for settle_ms */
};

/* A path to look at again. */
struct pend {
    size_t root;
    char *rel;
    enum pstate state;
    double last; /* its last event, seconds */
};

struct watcher {
    struct vns_index *ix;
    const struct vns_watch_opts *o;
    struct vns_crawl_opts copts; /* for batches: never forced */
    int fd;
    size_t nroots;
    char **roots;   /* absolute folder per root, NULL while it is missing */
    char **only;    /* a file root: its name, else NULL */
    struct wdir *d; /* sorted by wd */
    size_t nd, capd;
    struct pend *p;
    size_t np, capp;
    size_t *slot; /* open addressing over p: index + 1, 0 empty */
    size_t nslot;
    double first_ready; /* the oldest READY path's event, 0: none */
    double last_event;
    double last_retry;
    int overflow;
    int nospc_said; /* the watch limit was reported */
    dev_t db_dev;
    ino_t db_ino;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);

    if (s == NULL)
        return NULL;
    memcpy(s, a, la);
    if (la > 0 && lb > 0)
        s[la++] = '/';
    memcpy(s + la, b, lb + 1);
    return s;
}

static void report(struct watcher *w, enum vns_crawl_event ev, const char *path,
                   const char *msg)
{
    const struct vns_crawl_opts *c = w->o->crawl;
    struct vns_crawl_stats st = {0};

    if (c->on_event != NULL)
        c->on_event(ev, path, msg, &st, c->ctx);
}

/* Is rel the same as folder k, or under it? */
static int inside(const char *k, const char *rel)
{
    size_t n = strlen(k);

    return n == 0 ||
           (strncmp(k, rel, n) == 0 && (rel[n] == '\0' || rel[n] == '/'));
}

/* ---- watched folders, by wd ---- */

static size_t dir_pos(const struct watcher *w, int wd)
{
    size_t lo = 0, hi = w->nd;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->d[mid].wd < wd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct wdir *dir_find(struct watcher *w, int wd)
{
    size_t i = dir_pos(w, wd);

    return i < w->nd && w->d[i].wd == wd ? &w->d[i] : NULL;
}

static int dir_put(struct watcher *w, int wd, size_t root, const char *rel)
{
    size_t i = dir_pos(w, wd);
    char *copy = strdup(rel);

    if (copy == NULL)
        return -1;
    if (i < w->nd && w->d[i].wd == wd) { /* the same folder, renamed */
        free(w->d[i].rel);
        w->d[i].root = root;
        w->d[i].rel = copy;
        return 0;
    }
    if (w->nd == w->capd) {
        size_t cap = w->capd ? w->capd * 2 : 64;
        struct wdir *d = realloc(w->d, cap * sizeof(*d));
        if (d == NULL) {
            free(copy);
            return -1;
        }
        w->d = d;
        w->capd = cap;
    }
    memmove(&w->d[i + 1], &w->d[i], (w->nd - i) * sizeof(*w->d));
    w->d[i] = (struct wdir){wd, root, copy};
    w->nd++;
    /* copy belongs to w->d[i] now (freed with the table) */
    // cppcheck-suppress memleak
    return 0;
}

static void dir_drop_at(struct watcher *w, size_t i)
{
    free(w->d[i].rel);
    memmove(&w->d[i], &w->d[i + 1], (w->nd - i - 1) * sizeof(*w->d));
    w->nd--;
}

/* Stop watching rel and the folders under it (moved out, deleted). */
static void dir_drop_under(struct watcher *w, size_t root, const char *rel)
{
    for (size_t i = w->nd; i-- > 0;) {
        if (w->d[i].root != root || !inside(rel, w->d[i].rel))
            continue;
        inotify_rm_watch(w->fd, w->d[i].wd);
        dir_drop_at(w, i);
    }
}

/* Watch the folder path (rel under root) and every folder below it, as
 * the walk would reach them: links and hidden names are left out. */
static int watch_tree(struct watcher *w, size_t root, const char *rel,
                      const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *de;
    int wd, rc = 0;

    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) ||
        (st.st_dev == w->db_dev && st.st_ino == w->db_ino))
        return 0;
    wd = inotify_add_watch(w->fd, path, MASK);
    if (wd < 0) {
        if (errno == ENOSPC) {
            /* once: the next folders would say the same */
            if (!w->nospc_said)
                report(w, VNS_CRAWL_WARNING, path,
                       "no more inotify watches (sysctl "
                       "fs.inotify.max_user_watches): changes here and in "
                       "folders not followed yet are not seen");
            w->nospc_said = 1;
        } else if (errno != ENOENT && errno != ENOTDIR) {
            report(w, VNS_CRAWL_WARNING, path, strerror(errno));
        }
        return 0;
    }
    if (dir_put(w, wd, root, rel) != 0)
        return -1;
    dir = opendir(path);
    if (dir == NULL)
        return 0; /* gone already: its parent's event says so */
    while (rc == 0 && (de = readdir(dir)) != NULL) {
        char *crel, *cpath;
        if (de->d_name[0] == '.')
            continue; /* ".", "..", hidden */
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        crel = join(rel, de->d_name);
        cpath = join(path, de->d_name);
        if (crel == NULL || cpath == NULL)
            rc = -1;
        else
            rc = watch_tree(w, root, crel, cpath);
        free(crel);
        free(cpath);
    }
    closedir(dir);
    return rc;
}

/* ---- paths to look at again ---- */

static size_t pend_hash(size_t root, const char *rel)
{
    return (size_t)vns_hash64(rel, strlen(rel), root);
}

static int slots_build(struct watcher *w, size_t want)
{
    size_t n = 64;

    while (n < want * 2)
        n *= 2;
    free(w->slot);
    w->slot = calloc(n, sizeof(*w->slot));
    if (w->slot == NULL)
        return -1;
    w->nslot = n;
    for (size_t i = 0; i < w->np; i++) {
        size_t h = pend_hash(w->p[i].root, w->p[i].rel) & (n - 1);
        while (w->slot[h] != 0)
            h = (h + 1) & (n - 1);
        w->slot[h] = i + 1;
    }
    return 0;
}

/* Note an event on rel: state P_READY or P_OPEN. attrib: an attribute
 * change, which does not end a write in progress. */
static int pend_mark(struct watcher *w, size_t root, const char *rel,
                     enum pstate state, int attrib, double t)
{
    size_t h;
    struct pend *p = NULL;

    if ((w->np + 1) * 2 > w->nslot && slots_build(w, w->np + 1) != 0)
        return -1;
    h = pend_hash(root, rel) & (w->nslot - 1);
    while (w->slot[h] != 0) {
        struct pend *q = &w->p[w->slot[h] - 1];
        if (q->root == root && strcmp(q->rel, rel) == 0) {
            p = q;
            break;
        }
        h = (h + 1) & (w->nslot - 1);
    }
    if (p == NULL) {
        char *copy = strdup(rel);
        if (copy == NULL)
            return -1;
        if (w->np == w->capp) {
            size_t cap = w->capp ? w->capp * 2 : 64;
            struct pend *np = realloc(w->p, cap * sizeof(*np));
            if (np == NULL) {
                free(copy);
                return -1;
            }
            w->p = np;
            w->capp = cap;
        }
        p = &w->p[w->np++];
        *p = (struct pend){root, copy, state, t};
        w->slot[h] = w->np;
    } else if (!(attrib && p->state == P_OPEN)) {
        p->state = state;
    }
    p->last = t;
    w->last_event = t;
    if (p->state == P_READY && w->first_ready == 0)
        w->first_ready = t;
    return 0;
}

static void pend_clear(struct watcher *w)
{
    for (size_t i = 0; i < w->np; i++)
        free(w->p[i].rel);
    w->np = 0;
    w->first_ready = 0;
    if (w->slot != NULL)
        memset(w->slot, 0, w->nslot * sizeof(*w->slot));
}

/* ---- roots ---- */

/* Find root i again (absolute folder; a file root: its folder and name)
 * and watch it. Missing: left NULL, looked for again later. */
static int root_watch(struct watcher *w, size_t i)
{
    const char *root = w->o->crawl->roots[i];
    char *abs = realpath(root, NULL), *slash;
    struct stat st;
    int wd;

    if (abs == NULL || stat(abs, &st) != 0) {
        free(abs);
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        w->roots[i] = abs;
        return watch_tree(w, i, "", abs);
    }
    /* a file: watch its folder for that name alone */
    slash = strrchr(abs, '/');
    w->only[i] = strdup(slash + 1);
    slash[slash == abs ? 1 : 0] = '\0';
    w->roots[i] = abs;
    if (w->only[i] == NULL)
        return -1;
    wd = inotify_add_watch(w->fd, abs, MASK);
    if (wd >= 0 && dir_put(w, wd, i, "") != 0)
        return -1;
    return 0;
}

static int roots_watch(struct watcher *w)
{
    for (size_t i = 0; i < w->nroots; i++)
        if (w->roots[i] == NULL && root_watch(w, i) != 0)
            return -1;
    return 0;
}

/* Root i's folder was deleted or moved away: stop following it. Its
 * documents stay, as a crawl leaves those of a missing root. */
static void root_lost(struct watcher *w, size_t i)
{
    report(w, VNS_CRAWL_WARNING, w->o->crawl->roots[i],
           "the folder is gone: its documents stay until it is back");
    dir_drop_under(w, i, "");
    free(w->roots[i]);
    free(w->only[i]);
    w->roots[i] = w->only[i] = NULL;
}

/* Look for lost roots; one that is back is walked whole. */
static int roots_retry(struct watcher *w, double t)
{
    w->last_retry = t;
    for (size_t i = 0; i < w->nroots; i++) {
        if (w->roots[i] != NULL)
            continue;
        if (root_watch(w, i) != 0)
            return -1;
        if (w->roots[i] != NULL &&
            pend_mark(w, i, w->only[i] ? w->only[i] : "", P_READY, 0, t) != 0)
            return -1;
    }
    return 0;
}

static int roots_missing(const struct watcher *w)
{
    for (size_t i = 0; i < w->nroots; i++)
        if (w->roots[i] == NULL)
            return 1;
    return 0;
}

/* ---- events ---- */

static int on_inotify(struct watcher *w, const struct inotify_event *ev,
                      double t)
{
    struct wdir *d;
    const char *name = ev->len > 0 ? ev->name : "";
    size_t root, n = strlen(name), k = strlen(SIDECAR);
    char *rel;
    int rc = 0;

    if (ev->mask & IN_Q_OVERFLOW) {
        w->overflow = 1;
        return 0;
    }
    d = dir_find(w, ev->wd);
    if (d == NULL)
        return 0; /* a folder we stopped following */
    root = d->root;
    if (ev->mask & IN_IGNORED) { /* the kernel dropped the watch */
        dir_drop_at(w, (size_t)(d - w->d));
        return 0;
    }
    if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        /* a folder under the root: its parent's event says where it went */
        if (d->rel[0] == '\0')
            root_lost(w, root);
        return 0;
    }
    if (n == 0)
        return 0;
    if (strcmp(name, VNS_IGNORE_FILE) == 0 && w->only[root] == NULL)
        return pend_mark(w, root, d->rel, P_READY, 0, t); /* walk it again */
    if (name[0] == '.')
        return 0; /* hidden: editors' swap files and the like */
    if (ev->mask & IN_ISDIR) {
        if (w->only[root] != NULL ||
            !(ev->mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)))
            return 0;
        rel = join(d->rel, name);
        if (rel == NULL)
            return -1;
        if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
            dir_drop_under(w, root, rel);
        } else {
            char *path = join(w->roots[root], rel);
            rc = path == NULL ? -1 : watch_tree(w, root, rel, path);
            free(path);
        }
        if (rc == 0)
            rc = pend_mark(w, root, rel, P_READY, 0, t);
        free(rel);
        return rc;
    }
    rel = join(d->rel, name);
    if (rel == NULL)
        return -1;
    /* a sidecar stands for its file */
    if (n > k && strcmp(name + n - k, SIDECAR) == 0)
        rel[strlen(rel) - k] = '\0';
    if (w->only[root] != NULL && strcmp(rel, w->only[root]) != 0) {
        free(rel);
        return 0;
    }
    if (ev->mask & (IN_CREATE | IN_MODIFY))
        rc = pend_mark(w, root, rel, P_OPEN, 0, t);
    else
        rc = pend_mark(w, root, rel, P_READY, (ev->mask & IN_ATTRIB) != 0, t);
    free(rel);
    return rc;
}

/* Read every event queued; VNS_OK or an error. */
static int drain(struct watcher *w, struct vns_err *err)
{
    _Alignas(struct inotify_event) char buf[65536];

    for (;;) {
        ssize_t len = read(w->fd, buf, sizeof(buf));
        double t = now();
        if (len < 0 && errno == EINTR)
            continue;
        if (len < 0 && errno == EAGAIN)
            return VNS_OK;
        if (len <= 0)
            return vns_err_set(err, VNS_EIO, "inotify: %s",
                               len < 0 ? strerror(errno) : "end of file");
        for (char *q = buf; q < buf + len;) {
            const struct inotify_event *ev = (const void *)q;
            if (on_inotify(w, ev, t) != 0)
                return vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
            q += sizeof(*ev) + ev->len;
        }
    }
}

/* ---- batches ---- */

/* Hand the due paths to vns_crawl_paths (one commit); files still being
 * written wait for their close or settle_ms of quiet. */
static int batch(struct watcher *w, double t, struct vns_err *err)
{
    double settle = (w->o->settle_ms ? w->o->settle_ms : SETTLE_MS) / 1e3;
    struct vns_crawl_path *paths;
    struct vns_crawl_stats st = {0};
    size_t n = 0, keep = 0;
    int rc = VNS_OK;

    paths = malloc((w->np ? w->np : 1) * sizeof(*paths));
    if (paths == NULL)
        return vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
    for (size_t i = 0; i < w->np; i++)
        if (w->p[i].state == P_READY || t - w->p[i].last >= settle)
            paths[n++] = (struct vns_crawl_path){w->p[i].root, w->p[i].rel};
    if (n > 0) {
        rc = vns_crawl_paths(w->ix, &w->copts, paths, n, &st, err);
        if (rc == VNS_OK && w->o->on_batch != NULL)
            w->o->on_batch(&st, 0, w->o->ctx);
    }
    free(paths);
    /* keep the files still being written */
    for (size_t i = 0; i < w->np; i++) {
        if (w->p[i].state == P_READY || t - w->p[i].last >= settle)
            free(w->p[i].rel);
        else
            w->p[keep++] = w->p[i];
    }
    w->np = keep;
    w->first_ready = 0;
    if (slots_build(w, w->np) != 0 && rc == VNS_OK)
        rc = vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
    return rc;
}

/* When the next batch (or root retry) is due, in seconds; < 0: none. */
static double next_due(const struct watcher *w)
{
    double deb = (w->o->debounce_ms ? w->o->debounce_ms : DEBOUNCE_MS) / 1e3;
    double settle = (w->o->settle_ms ? w->o->settle_ms : SETTLE_MS) / 1e3;
    double due = -1;

    if (w->first_ready > 0) {
        due = w->last_event + deb;
        if (w->first_ready + MAX_WAIT_MS / 1e3 < due)
            due = w->first_ready + MAX_WAIT_MS / 1e3;
    }
    for (size_t i = 0; i < w->np; i++)
        if (w->p[i].state == P_OPEN && (due < 0 || w->p[i].last + settle < due))
            due = w->p[i].last + settle;
    if (roots_missing(w) && (due < 0 || w->last_retry + RETRY_MS / 1e3 < due))
        due = w->last_retry + RETRY_MS / 1e3;
    return due;
}

/* The queue overflowed: events were lost. Follow every folder afresh and
 * crawl every root (only what changed is read). */
static int rescan(struct watcher *w, struct vns_err *err)
{
    struct vns_crawl_stats st = {0};
    int rc;

    report(w, VNS_CRAWL_WARNING, NULL,
           "inotify queue overflowed: crawling every folder again");
    w->overflow = 0;
    close(w->fd);
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0)
        return vns_err_set(err, VNS_EIO, "inotify: %s", strerror(errno));
    while (w->nd > 0)
        dir_drop_at(w, w->nd - 1);
    for (size_t i = 0; i < w->nroots; i++) {
        free(w->roots[i]);
        free(w->only[i]);
        w->roots[i] = w->only[i] = NULL;
    }
    pend_clear(w);
    if (roots_watch(w) != 0)
        return vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
    rc = vns_crawl(w->ix, &w->copts, &st, err);
    if (rc == VNS_OK && w->o->on_batch != NULL)
        w->o->on_batch(&st, 0, w->o->ctx);
    return rc;
}

static int loop(struct watcher *w, struct vns_err *err)
{
    int stopping = 0, rc;

    for (;;) {
        struct pollfd pf[2] = {{w->fd, POLLIN, 0}, {w->o->stop_fd, POLLIN, 0}};
        double due = next_due(w), t = now();
        int timeout = due < 0 ? -1 : due <= t ? 0 : (int)((due - t) * 1e3) + 1;

        if (poll(pf, 2, timeout) < 0 && errno != EINTR)
            return vns_err_set(err, VNS_EIO, "poll: %s", strerror(errno));
        if (pf[1].revents != 0)
            stopping = 1;
        if ((pf[0].revents != 0 || stopping) && (rc = drain(w, err)) != VNS_OK)
            return rc;
        if (w->overflow && (rc = rescan(w, err)) != VNS_OK)
            return rc;
        t = now();
        if (roots_missing(w) && t >= w->last_retry + RETRY_MS / 1e3 &&
            roots_retry(w, t) != 0)
            return vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
        due = next_due(w);
        if (stopping || (due >= 0 && t >= due)) {
            rc = batch(w, t, err);
            if (rc != VNS_OK || stopping)
                return rc;
        }
    }
}

int vns_watch(struct vns_index *ix, const struct vns_watch_opts *opts,
              struct vns_err *err)
{
    struct watcher w = {0};
    struct vns_crawl_stats st = {0};
    struct stat sb;
    int rc;

    w.ix = ix;
    w.o = opts;
    w.copts = *opts->crawl;
    w.copts.force = 0;
    w.nroots = opts->crawl->nroots;
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.fd < 0)
        return vns_err_set(err, VNS_EIO, "inotify: %s", strerror(errno));
    if (stat(ix->dir, &sb) == 0) {
        w.db_dev = sb.st_dev;
        w.db_ino = sb.st_ino;
    }
    w.roots = calloc(w.nroots + 1, sizeof(*w.roots));
    w.only = calloc(w.nroots + 1, sizeof(*w.only));
    if (w.roots == NULL || w.only == NULL || slots_build(&w, 0) != 0) {
        rc = vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
        goto out;
    }
    /* watches first: what changes while the crawl runs is not missed */
    w.last_retry = now();
    if (roots_watch(&w) != 0) {
        rc = vns_err_set(err, VNS_ENOMEM, "watch: out of memory");
        goto out;
    }
    rc = vns_crawl(ix, opts->crawl, &st, err);
    if (rc != VNS_OK)
        goto out;
    if (opts->on_batch != NULL)
        opts->on_batch(&st, 1, opts->ctx);
    rc = loop(&w, err);
out:
    close(w.fd);
    while (w.nd > 0)
        dir_drop_at(&w, w.nd - 1);
    free(w.d);
    pend_clear(&w);
    free(w.p);
    free(w.slot);
    for (size_t i = 0; w.roots != NULL && i < w.nroots; i++)
        free(w.roots[i]);
    for (size_t i = 0; w.only != NULL && i < w.nroots; i++)
        free(w.only[i]);
    free(w.roots);
    free(w.only);
    return rc;
}
