/* Keeping an index: compaction swapped in under the writer lock, backup and
 * restore, the check, the statistics. Xapian's part is in xapian.cc. */
#define _GNU_SOURCE /* renameat2 */
#include "vnsearch/maintain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "docrec.h"
#include "index_impl.h"
#include "lock.h"
#include "packdict.h"
#include "shard.h"
#include "textpack.h"

#define LOCK_NAME "vnsearch.lock" /* lock.c's */
#define TMP_SUFFIX ".compact-tmp"
#define PARTIAL_SUFFIX ".partial"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* dir + "/" + name into out, or VNS_EINVAL when it does not fit. */
static int join(char *out, size_t cap, const char *dir, const char *name,
                struct vns_err *err)
{
    if (snprintf(out, cap, "%s/%s", dir, name) >= (int)cap)
        return vns_err_set(err, VNS_EINVAL, "%s/%s: path too long", dir, name);
    return VNS_OK;
}

/* Files Xapian writes in a database folder: compaction makes its own. */
static int is_xapian_file(const char *name)
{
    static const char *const exact[] = {"iamglass", "iamchert", "flintlock",
                                        "XAPIANDB"};
    static const char *const ends[] = {".glass", ".DB", ".baseA", ".baseB",
                                       ".tmp"};
    size_t n = strlen(name);

    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(name, exact[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        size_t e = strlen(ends[i]);
        if (n >= e && strcmp(name + n - e, ends[i]) == 0)
            return 1;
    }
    return strncmp(name, "changes", 7) == 0; /* replication changesets */
}

/* A shard's folder in a sharded index ("shard3"). */
static int is_shard_dir(const char *name)
{
    size_t n = strlen(name);

    return n > 5 && strncmp(name, "shard", 5) == 0 &&
           strspn(name + 5, "0123456789") == n - 5;
}

/* The sizes of the files in dir (and in its shards' folders), and the
 * newest change. */
static int folder_bytes(const char *dir, uint64_t *bytes, time_t *newest,
                        struct vns_err *err)
{
    char path[PATH_MAX];
    struct dirent *e;
    uint64_t sum = 0;
    time_t t = 0;
    DIR *d = opendir(dir);
    int rc = VNS_OK;

    if (d == NULL)
        return vns_err_set(err, errno == ENOENT ? VNS_ENOTFOUND : VNS_EIO,
                           "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL && rc == VNS_OK) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        rc = join(path, sizeof(path), dir, e->d_name, err);
        if (rc == VNS_OK && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            sum += (uint64_t)st.st_size;
            if (is_xapian_file(e->d_name) && st.st_mtime > t)
                t = st.st_mtime;
        } else if (rc == VNS_OK && S_ISDIR(st.st_mode) &&
                   is_shard_dir(e->d_name)) {
            uint64_t b = 0;
            time_t bt = 0;
            rc = folder_bytes(path, &b, &bt, err);
            sum += b;
            if (bt > t)
                t = bt;
        }
    }
    closedir(d);
    if (rc == VNS_OK) {
        *bytes = sum;
        if (newest != NULL)
            *newest = t;
    }
    return rc;
}

/* Remove path and everything below it; a missing path is fine. */
static int remove_tree(const char *path, struct vns_err *err)
{
    char sub[PATH_MAX];
    struct dirent *e;
    struct stat st;
    DIR *d;
    int rc = VNS_OK;

    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? VNS_OK
                   : vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0)
            return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
        return VNS_OK;
    }
    d = opendir(path);
    if (d == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    while ((e = readdir(d)) != NULL && rc == VNS_OK) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        rc = join(sub, sizeof(sub), path, e->d_name, err);
        if (rc == VNS_OK)
            rc = remove_tree(sub, err);
    }
    closedir(d);
    if (rc == VNS_OK && rmdir(path) != 0)
        rc = vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    return rc;
}

static int sync_path(const char *path, struct vns_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = VNS_OK;

    if (fd < 0)
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    if (fsync(fd) != 0 && errno != EINVAL) /* EINVAL: cannot be synced */
        rc = vns_err_set(err, VNS_EIO, "%s: fsync: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static int copy_file(const char *from, const char *to, mode_t mode,
                     struct vns_err *err)
{
    char buf[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
    ssize_t n = 0;
    int rc = VNS_OK;

    if (in < 0)
        return vns_err_set(err, VNS_EIO, "%s: %s", from, strerror(errno));
    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
    if (out < 0) {
        rc = vns_err_set(err, VNS_EIO, "%s: %s", to, strerror(errno));
        goto out;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0) {
                rc = vns_err_set(err, VNS_EIO, "%s: %s", to, strerror(errno));
                goto out;
            }
            off += w;
        }
    }
    if (n < 0)
        rc = vns_err_set(err, VNS_EIO, "%s: %s", from, strerror(errno));
    else if (fsync(out) != 0)
        rc = vns_err_set(err, VNS_EIO, "%s: fsync: %s", to, strerror(errno));
out:
    if (out >= 0)
        close(out);
    close(in);
    return rc;
}

/* Carry over the files of from that are not Xapian's (nor the lock, which
 * the new folder gets its own of) into to, and give to from's mode and,
 * when we may, its owner: an index compacted by root stays the service
 * user's. Everything in to is synced. */
static int carry_files(const char *from, const char *to, struct vns_err *err)
{
    char src[PATH_MAX], dst[PATH_MAX];
    struct stat top, st;
    struct dirent *e;
    DIR *d;
    int rc = VNS_OK;

    if (stat(from, &top) != 0)
        return vns_err_set(err, VNS_EIO, "%s: %s", from, strerror(errno));
    d = opendir(from);
    if (d == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", from, strerror(errno));
    while ((e = readdir(d)) != NULL && rc == VNS_OK) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, LOCK_NAME) == 0 || is_xapian_file(e->d_name))
            continue;
        rc = join(src, sizeof(src), from, e->d_name, err);
        if (rc == VNS_OK)
            rc = join(dst, sizeof(dst), to, e->d_name, err);
        if (rc != VNS_OK)
            break;
        if (lstat(src, &st) != 0) {
            rc = vns_err_set(err, VNS_EIO, "%s: %s", src, strerror(errno));
            break;
        }
        if (S_ISDIR(st.st_mode) && is_shard_dir(e->d_name))
            continue; /* compaction made its own */
        if (!S_ISREG(st.st_mode)) {
            /* the old folder is removed after the swap: nothing else may
             * live there */
            rc = vns_err_set(err, VNS_EINVAL,
                             "%s: not a plain file, in the index folder: "
                             "move it out first",
                             src);
            break;
        }
        if (access(dst, F_OK) == 0)
            continue; /* compaction wrote it */
        rc = copy_file(src, dst, st.st_mode, err);
    }
    closedir(d);
    if (rc != VNS_OK)
        return rc;
    /* the new folder as the old one: mode, owner, and on disk */
    d = opendir(to);
    if (d == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", to, strerror(errno));
    while ((e = readdir(d)) != NULL && rc == VNS_OK) {
        if (e->d_name[0] == '.')
            continue;
        rc = join(dst, sizeof(dst), to, e->d_name, err);
        if (rc != VNS_OK)
            break;
        if (geteuid() == 0 && lchown(dst, top.st_uid, top.st_gid) != 0)
            rc = vns_err_set(err, VNS_EIO, "%s: %s", dst, strerror(errno));
        if (rc == VNS_OK && lstat(dst, &st) == 0 && S_ISREG(st.st_mode))
            rc = sync_path(dst, err);
    }
    closedir(d);
    if (rc == VNS_OK && chmod(to, top.st_mode & 07777) != 0)
        rc = vns_err_set(err, VNS_EIO, "%s: %s", to, strerror(errno));
    if (rc == VNS_OK && geteuid() == 0 &&
        chown(to, top.st_uid, top.st_gid) != 0)
        rc = vns_err_set(err, VNS_EIO, "%s: %s", to, strerror(errno));
    if (rc == VNS_OK)
        rc = sync_path(to, err);
    return rc;
}

/* The folder holding path (a path without a trailing slash). */
static void parent_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash == NULL ? 0 : (size_t)(slash - path);

    if (slash == NULL)
        snprintf(out, cap, ".");
    else if (n == 0)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)n, path);
}

/* Is there a readable index in dir? VNS_ENOTFOUND or the open's error. */
static int has_index(const char *dir, struct vns_err *err)
{
    struct vns_xdb *db = NULL;
    int rc = vns_xdb_open(dir, VNS_XDB_READ, &db, err);

    vns_xdb_close(db);
    return rc;
}

/* dir as an absolute path without symbolic links: the folder the swap
 * renames, not a link to it. */
static int real_dir(const char *dir, char *out, struct vns_err *err)
{
    if (realpath(dir, out) == NULL)
        return vns_err_set(err, errno == ENOENT ? VNS_ENOTFOUND : VNS_EIO,
                           "%s: %s", dir, strerror(errno));
    if (strcmp(out, "/") == 0)
        return vns_err_set(err, VNS_EINVAL, "%s: not an index folder", dir);
    return VNS_OK;
}

/* Compact the index in src into the new folder dst: one database, or
 * each shard of a sharded one into a folder of the same name beside a
 * copy of the stub; merge makes the shards one database. */
static int compact_tree(const char *src, const char *dst, int merge,
                        struct vns_err *err)
{
    char stub[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
    struct vns_shard *sh = NULL;
    size_t n = 0;
    int rc;

    if (!vns_stub_locate(src, stub, sizeof(stub)))
        return vns_xdb_compact(src, dst, 0, err);
    if (merge)
        return vns_xdb_compact(src, dst, 1, err);
    if (mkdir(dst, 0777) != 0 && errno != EEXIST)
        return vns_err_set(err, VNS_EIO, "%s: %s", dst, strerror(errno));
    rc = vns_stub_read(stub, &sh, &n, err);
    for (size_t i = 0; i < n && rc == VNS_OK; i++) {
        if (sh[i].port != 0 || !is_shard_dir(sh[i].name))
            rc = vns_err_set(err, VNS_EINVAL,
                             "%s: shard %s is not one of its own folders: "
                             "compact it where it lives",
                             src, sh[i].name);
        if (rc == VNS_OK)
            rc = join(from, sizeof(from), src, sh[i].name, err);
        if (rc == VNS_OK)
            rc = join(to, sizeof(to), dst, sh[i].name, err);
        if (rc == VNS_OK)
            rc = vns_xdb_compact(from, to, 0, err);
    }
    if (rc == VNS_OK)
        rc = join(to, sizeof(to), dst, VNS_STUB_NAME, err);
    if (rc == VNS_OK)
        rc = copy_file(stub, to, 0644, err);
    free(sh);
    return rc;
}

/* Put a compacted copy of the index in src where the index in real is:
 * built in real.compact-tmp under the writer lock of real, then swapped
 * with one rename, the old folder removed. */
static int swap_in(const char *real, const char *src, int merge,
                   struct vns_compact_result *out, struct vns_err *err)
{
    struct vns_compact_result res = {0};
    char tmp[PATH_MAX], parent[PATH_MAX];
    int lock = -1, newlock = -1, swapped = 0;
    double t0 = now();
    int rc;

    if (snprintf(tmp, sizeof(tmp), "%s%s", real, TMP_SUFFIX) >=
        (int)sizeof(tmp))
        return vns_err_set(err, VNS_EINVAL, "%s: path too long", real);
    parent_of(real, parent, sizeof(parent));
    /* no indexer commits from here to the end; one that starts after the
     * swap takes the new folder's lock, which is ours too until then */
    rc = vns_lock_take(real, &lock, err);
    if (rc != VNS_OK)
        return rc;
    rc = folder_bytes(real, &res.bytes_before, NULL, err);
    /* a folder left by a run that died: only a lock holder makes one */
    if (rc == VNS_OK)
        rc = remove_tree(tmp, err);
    if (rc == VNS_OK)
        rc = compact_tree(src, tmp, merge, err);
    /* the new folder's own lock, before carry_files gives every file in
     * it the index's owner */
    if (rc == VNS_OK)
        rc = vns_lock_take(tmp, &newlock, err);
    if (rc == VNS_OK)
        rc = carry_files(real, tmp, err);
    if (rc != VNS_OK)
        goto out;
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, real, RENAME_EXCHANGE) == 0) {
        res.exchanged = 1;
    } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
        /* no atomic exchange here: a reader opening in between the two
         * renames finds no index and tries again */
        char old[PATH_MAX + 16];
        snprintf(old, sizeof(old), "%s.compact-old", real);
        if (rename(real, old) != 0) {
            rc = vns_err_set(err, VNS_EIO, "%s: rename: %s", real,
                             strerror(errno));
            goto out;
        }
        if (rename(tmp, real) != 0) {
            rc = vns_err_set(err, VNS_EIO, "%s: rename: %s", tmp,
                             strerror(errno));
            rename(old, real); /* put the old one back */
            goto out;
        }
        if (rename(old, tmp) != 0)
            remove_tree(old, NULL);
    } else {
        rc = vns_err_set(err, VNS_EIO, "%s: cannot swap in %s: %s", real, tmp,
                         strerror(errno));
        goto out;
    }
    swapped = 1;
    sync_path(parent, NULL);
    res.seconds = now() - t0;
    rc = folder_bytes(real, &res.bytes_after, NULL, err);
out:
    /* before the swap: the half-built copy; after: the old index, whose
     * files stay readable to readers that still have them open */
    if (remove_tree(tmp, swapped ? err : NULL) != VNS_OK && swapped)
        rc = VNS_EIO;
    vns_lock_release(lock);
    vns_lock_release(newlock);
    if (rc == VNS_OK && out != NULL)
        *out = res;
    return rc;
}

static int compact(const char *dir, int merge, struct vns_compact_result *out,
                   struct vns_err *err)
{
    char real[PATH_MAX];
    int rc = has_index(dir, err);

    if (rc == VNS_OK)
        rc = real_dir(dir, real, err);
    if (rc == VNS_OK)
        rc = swap_in(real, real, merge, out, err);
    return rc;
}

int vns_index_compact(const char *dir, struct vns_compact_result *out,
                      struct vns_err *err)
{
    return compact(dir, 0, out, err);
}

int vns_index_merge(const char *dir, struct vns_compact_result *out,
                    struct vns_err *err)
{
    return compact(dir, 1, out, err);
}

/* May dir be replaced by a restore? A missing or empty folder, or one
 * with an index (even a damaged one): never any other folder, which the
 * swap would remove. */
static int replaceable(const char *dir, struct vns_err *err)
{
    static const char *const ok[] = {".", "..", LOCK_NAME, "flintlock"};
    char path[PATH_MAX];
    struct dirent *e;
    int rc = VNS_OK, other = 0;
    DIR *d;

    if (join(path, sizeof(path), dir, "iamglass", err) != VNS_OK)
        return VNS_EINVAL;
    if (access(path, F_OK) == 0)
        return VNS_OK;
    if (join(path, sizeof(path), dir, VNS_STUB_NAME, err) != VNS_OK)
        return VNS_EINVAL;
    if (access(path, F_OK) == 0)
        return VNS_OK;
    d = opendir(dir);
    if (d == NULL)
        return errno == ENOENT
                   ? VNS_OK
                   : vns_err_set(err, VNS_EIO, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL && !other) {
        other = 1;
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
            if (strcmp(e->d_name, ok[i]) == 0)
                other = 0;
    }
    closedir(d);
    if (other)
        rc = vns_err_set(err, VNS_EINVAL,
                         "%s: holds files but no index: not replaced", dir);
    return rc;
}

int vns_index_restore(const char *dir, const char *from,
                      struct vns_compact_result *out, struct vns_err *err)
{
    char real[PATH_MAX] = "", src[PATH_MAX] = "";
    int lock = -1;
    int rc = has_index(from, err);

    if (rc == VNS_OK)
        rc = replaceable(dir, err);
    if (rc == VNS_OK)
        rc = real_dir(from, src, err);
    /* a missing index folder is made (and locked) as an indexer would */
    if (rc == VNS_OK)
        rc = vns_lock_take(dir, &lock, err);
    vns_lock_release(lock);
    if (rc == VNS_OK)
        rc = real_dir(dir, real, err);
    if (rc == VNS_OK && strcmp(real, src) == 0)
        rc = vns_err_set(err, VNS_EINVAL, "%s: restoring an index onto itself",
                         dir);
    if (rc == VNS_OK)
        rc = swap_in(real, src, 0, out, err);
    return rc;
}

int vns_index_discard(const char *dir, struct vns_err *err)
{
    int rc = replaceable(dir, err);

    return rc == VNS_OK ? remove_tree(dir, err) : rc;
}

/* A backup inside the index folder would go with its next compaction. */
static int inside(const char *dir, const char *parent, struct vns_err *err)
{
    char a[PATH_MAX], b[PATH_MAX];
    size_t n;

    if (realpath(dir, a) == NULL || realpath(parent, b) == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", parent, strerror(errno));
    n = strlen(a);
    if (strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/'))
        return vns_err_set(err, VNS_EINVAL,
                           "%s: inside the index folder: back up elsewhere",
                           parent);
    return VNS_OK;
}

int vns_index_backup(const char *dir, const char *to,
                     struct vns_compact_result *out, struct vns_err *err)
{
    struct vns_compact_result res = {0};
    char partial[PATH_MAX], parent[PATH_MAX], dest[PATH_MAX];
    struct stat st;
    double t0 = now();
    int rc = has_index(dir, err);

    if (rc != VNS_OK)
        return rc;
    snprintf(dest, sizeof(dest), "%s", to);
    for (size_t n = strlen(dest); n > 1 && dest[n - 1] == '/';)
        dest[--n] = '\0';
    if (lstat(dest, &st) == 0)
        return vns_err_set(err, VNS_EINVAL,
                           "%s: already exists (a backup goes to a new "
                           "folder)",
                           dest);
    if (snprintf(partial, sizeof(partial), "%s%s", dest, PARTIAL_SUFFIX) >=
        (int)sizeof(partial))
        return vns_err_set(err, VNS_EINVAL, "%s: path too long", dest);
    if (lstat(partial, &st) == 0)
        return vns_err_set(err, VNS_EINVAL,
                           "%s: already exists (a backup that did not "
                           "finish?): remove it first",
                           partial);
    parent_of(dest, parent, sizeof(parent));
    rc = inside(dir, parent, err);
    if (rc == VNS_OK)
        rc = folder_bytes(dir, &res.bytes_before, NULL, err);
    /* from the last commit: the indexer may go on meanwhile */
    if (rc == VNS_OK)
        rc = compact_tree(dir, partial, 0, err);
    if (rc == VNS_OK)
        rc = carry_files(dir, partial, err);
    if (rc == VNS_OK && rename(partial, dest) != 0)
        rc = vns_err_set(err, VNS_EIO, "%s: rename: %s", partial,
                         strerror(errno));
    if (rc != VNS_OK) {
        remove_tree(partial, NULL);
        return rc;
    }
    sync_path(parent, NULL);
    res.seconds = now() - t0;
    rc = folder_bytes(dest, &res.bytes_after, NULL, err);
    if (rc == VNS_OK && out != NULL)
        *out = res;
    return rc;
}

/* ---- check ---- */

struct checker {
    vns_check_fn fn;
    void *ctx;
    uint64_t faults;
    uint64_t shown; /* document faults told one by one, then counted */
    uint64_t hidden;
};

static void say(struct checker *c, int fault, const char *fmt, ...)
    VNS_PRINTF(3, 4);

static void say(struct checker *c, int fault, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (fault)
        c->faults++;
    if (c->fn != NULL)
        c->fn(fault, line, c->ctx);
}

/* A fault of one document: the first 20 are told, the rest counted. */
static void doc_fault(struct checker *c, uint32_t docid, const char *id,
                      const char *what)
{
    if (c->shown >= 20) {
        c->faults++;
        c->hidden++;
        return;
    }
    c->shown++;
    say(c, 1, "document #%u%s%s%s: %s", docid, id ? " (" : "", id ? id : "",
        id ? ")" : "", what);
}

/* Xapian's account, line by line, without the tables that are fine: a
 * fault is told with its table ("postlist: EOF reading block 2"). */
static void xapian_lines(struct checker *c, char *rep)
{
    char *save = NULL, table[64] = "";

    for (char *l = strtok_r(rep, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(l);
        if (n > 1 && n < sizeof(table) && l[n - 1] == ':' &&
            strchr(l, ' ') == NULL) {
            snprintf(table, sizeof(table), "%.*s", (int)(n - 1), l);
            continue;
        }
        if (strncmp(l, "blocksize=", 10) == 0 || strstr(l, "checked OK") ||
            strstr(l, "checked okay") ||
            strcmp(l, "Continuing check anyway") == 0)
            continue;
        /* counted by the caller (Xapian's total), shown as faults here */
        if (c->fn != NULL) {
            char line[1024];
            snprintf(line, sizeof(line), "%s%s%s", table, table[0] ? ": " : "",
                     l);
            c->fn(strstr(l, "rror") != NULL, line, c->ctx);
        }
    }
}

/* Does the stored text (textpack.h) unpack? */
static int text_readable(const char *v, size_t len)
{
    char *t = malloc(len + 1);
    size_t n = len;
    int rc;

    if (t == NULL)
        return 1; /* no memory is not damage */
    memcpy(t, v, len);
    t[len] = '\0';
    rc = vns_text_unpack(&t, &n, NULL);
    free(t);
    return rc == VNS_OK;
}

static void check_doc(struct checker *c, struct vns_xdb *db,
                      const struct vns_xhit *h, uint64_t *notext)
{
    struct vns_docrec rec = {0};
    struct vns_err e = {0};
    char idt[VNS_MAX_ID + 2];
    const char *id = h->values[0], *mj, *text;
    size_t mlen, tlen;
    int parts_bad = 0;
    uint32_t found = 0;
    json_t *meta;

    if (vns_docrec_decode(h->data, h->data_len, &rec, &e) != VNS_OK)
        doc_fault(c, h->docid, NULL, "record unreadable");
    else if (vns_docrec_parts(h->values[3], h->value_len[3], &rec, &e) !=
             VNS_OK)
        parts_bad = 1;
    if (h->value_len[0] == 0) {
        doc_fault(c, h->docid, rec.id, "no id value");
        id = rec.id;
    } else if (rec.id != NULL && strcmp(rec.id, id) != 0) {
        doc_fault(c, h->docid, id, "the record names another id");
    }
    if (parts_bad) {
        doc_fault(c, h->docid, id, "metadata, checkpoints and text unreadable");
        goto ids;
    }
    /* the parts, or (an older document) the value slots */
    mj = rec.whole ? rec.meta : h->values[1];
    mlen = rec.whole ? strlen(rec.meta) : h->value_len[1];
    text = rec.whole ? rec.packed : h->values[2];
    tlen = rec.whole ? rec.packed_len : h->value_len[2];
    meta = mlen ? json_loadb(mj, mlen, 0, NULL) : NULL;
    if (!json_is_object(meta))
        doc_fault(c, h->docid, id,
                  mlen ? "metadata unreadable" : "no metadata");
    json_decref(meta);
    if (tlen == 0)
        (*notext)++;
    else if (!text_readable(text, tlen))
        doc_fault(c, h->docid, id, "stored text damaged");
ids:
    if (id != NULL && id[0] != '\0') {
        if (vns_index_id_term(id, idt, sizeof(idt), &e) != VNS_OK)
            doc_fault(c, h->docid, id, "id too long for an id term");
        else if (vns_xdb_find(db, idt, &found, &e) != VNS_OK)
            doc_fault(c, h->docid, id, "no id term (cannot be replaced)");
        else if (found != h->docid)
            doc_fault(c, h->docid, id, "its id term finds another document");
    }
    vns_docrec_fini(&rec);
}

struct idterms {
    struct checker *c;
    uint64_t n;
};

static int on_idterm(const char *term, size_t len, uint64_t tf, void *ctx)
{
    struct idterms *t = ctx;

    t->n++;
    if (tf > 1 && t->c->shown < 20) {
        t->c->shown++;
        say(t->c, 1, "id %.*s: held by %llu documents", (int)(len - 1),
            term + 1, (unsigned long long)tf);
    } else if (tf > 1) {
        t->c->faults++;
        t->c->hidden++;
    }
    return 0;
}

/* Our layer: the stamp, every document's id term, record and values. */
static void check_ours(struct checker *c, struct vns_xdb *db)
{
    static const unsigned fetch[] = {VNS_SLOT_ID, VNS_SLOT_META, VNS_SLOT_TEXT,
                                     VNS_SLOT_SHOWN};
    const struct vns_xq all = {.op = VNS_XQ_ALL};
    struct vns_xsearch o = {
        .limit = 1000, .sort_slot = -1, .fetch = fetch, .nfetch = 4};
    struct idterms ids = {c, 0};
    struct vns_err e = {0};
    uint64_t docs = 0, walked = 0, notext = 0;
    char *fmt = NULL;
    int rc;

    rc = vns_xdb_doccount(db, &docs, &e);
    if (rc == VNS_OK)
        rc = vns_xdb_get_metadata(db, VNS_FORMAT_KEY, &fmt, &e);
    if (rc != VNS_OK) {
        say(c, 1, "cannot read: %s", e.msg);
        return;
    }
    if (docs > 0 && !vns_index_format_readable(fmt))
        say(c, 1, "layout: format '%s', this vnsearch reads '2' and '%s'", fmt,
            VNS_INDEX_FORMAT);
    else
        say(c, 0, "layout: format %s", fmt[0] ? fmt : "(none, empty index)");
    free(fmt);
    for (;;) {
        struct vns_xresults res = {0};
        rc = vns_xdb_run(db, &all, &o, &res, &e);
        if (rc != VNS_OK)
            break;
        for (size_t i = 0; i < res.n; i++)
            check_doc(c, db, &res.hits[i], &notext);
        walked += res.n;
        size_t n = res.n;
        vns_xresults_fini(&res);
        if (n < o.limit)
            break;
        o.offset += n;
    }
    if (rc == VNS_OK)
        rc = vns_xdb_terms(db, VNS_PREFIX_ID, on_idterm, &ids, &e);
    if (rc != VNS_OK) {
        say(c, 1, "documents: cannot read them all: %s", e.msg);
        return;
    }
    if (walked != docs)
        say(c, 1, "documents: %llu counted, %llu found",
            (unsigned long long)docs, (unsigned long long)walked);
    if (ids.n != walked)
        say(c, 1, "id terms: %llu for %llu documents",
            (unsigned long long)ids.n, (unsigned long long)walked);
    if (c->hidden > 0)
        say(c, 0, "... and %llu more document faults",
            (unsigned long long)c->hidden);
    say(c, 0,
        "documents: %llu read, each checked for its record, id term, "
        "id and metadata values",
        (unsigned long long)walked);
    if (notext > 0)
        say(c, 0,
            "documents without text (searchable by metadata only): "
            "%llu",
            (unsigned long long)notext);
}

/* Xapian's check of the database in dir, told as lines. */
static int check_tables(struct checker *c, const char *dir, const char *name,
                        struct vns_err *err)
{
    uint64_t n = 0;
    char *rep = NULL;
    int rc = vns_xdb_check(dir, &n, &rep, err);

    if (rc != VNS_OK)
        return rc;
    if (n == 0) {
        say(c, 0, "xapian%s%s: every table is sound", name ? " " : "",
            name ? name : "");
    } else {
        say(c, 0, "xapian%s%s: %llu fault%s in the tables:", name ? " " : "",
            name ? name : "", (unsigned long long)n, n == 1 ? "" : "s");
        xapian_lines(c, rep);
        c->faults += n;
    }
    free(rep);
    return VNS_OK;
}

/* Register shard s's packing dictionaries (packdict.h), so its
 * documents unpack in check_ours. */
static void register_dicts(struct checker *c, const struct vns_shard *s)
{
    struct vns_xdb *db = NULL;
    struct vns_err e = {0};
    int rc = s->port != 0 ? vns_xdb_open_remote(s->host, s->port,
                                                VNS_REMOTE_TIMEOUT_MS, &db, &e)
                          : vns_xdb_open(s->path, VNS_XDB_READ, &db, &e);

    if (rc == VNS_OK)
        rc = vns_packdict_register_db(db, &e);
    if (rc != VNS_OK)
        say(c, 1, "shard %s: packing dictionaries: %s", s->name, e.msg);
    vns_xdb_close(db);
}

int vns_index_check(const char *dir, vns_check_fn fn, void *ctx,
                    uint64_t *faults, struct vns_err *err)
{
    struct checker c = {fn, ctx, 0, 0, 0};
    struct vns_xdb *db = NULL;
    struct vns_shard *sh = NULL;
    struct vns_err e = {0};
    char stub[PATH_MAX];
    size_t n = 0;
    int rc;

    if (!vns_stub_locate(dir, stub, sizeof(stub))) {
        rc = check_tables(&c, dir, NULL, err);
    } else {
        /* each shard's tables, then ours over them all */
        rc = vns_stub_read(stub, &sh, &n, err);
        for (size_t i = 0; i < n && rc == VNS_OK; i++) {
            if (sh[i].port != 0) {
                say(&c, 0, "xapian %s: remote, checked where it lives",
                    sh[i].name);
                register_dicts(&c, &sh[i]);
                continue;
            }
            rc = check_tables(&c, sh[i].path, sh[i].name, &e);
            if (rc == VNS_OK)
                register_dicts(&c, &sh[i]);
            if (rc == VNS_ENOTFOUND) {
                say(&c, 1, "shard %s: %s", sh[i].name, e.msg);
                rc = VNS_OK;
            } else if (rc != VNS_OK && err != NULL) {
                *err = e;
            }
        }
    }
    free(sh);
    if (rc != VNS_OK)
        return rc;
    if (vns_xdb_open(dir, VNS_XDB_READ, &db, &e) != VNS_OK) {
        say(&c, 1, "cannot open: %s", e.msg);
    } else {
        /* one database: its own; shards registered theirs above */
        if (n == 0 && vns_packdict_register_db(db, &e) != VNS_OK)
            say(&c, 1, "packing dictionaries: %s", e.msg);
        check_ours(&c, db);
    }
    vns_xdb_close(db);
    *faults = c.faults;
    return VNS_OK;
}

/* ---- statistics ---- */

struct tally {
    struct vns_stat_count *v;
    size_t n, cap;
    uint64_t total;
    int year; /* count the first 4 bytes only ("2021-11-29") */
};

static int tally_push(struct tally *t, const char *val, size_t len,
                      uint64_t count)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        void *p = realloc(t->v, cap * sizeof(*t->v));
        if (p == NULL)
            return VNS_ENOMEM;
        t->v = p;
        t->cap = cap;
    }
    t->v[t->n].value = strndup(val, len);
    if (t->v[t->n].value == NULL)
        return VNS_ENOMEM;
    t->v[t->n++].count = count;
    return VNS_OK;
}

static int tally_add(struct tally *t, const char *val, size_t len)
{
    if (t->year && len > 4)
        len = 4;
    t->total++;
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->v[i].value) == len &&
            memcmp(t->v[i].value, val, len) == 0) {
            t->v[i].count++;
            return VNS_OK;
        }
    return tally_push(t, val, len, 1);
}

static int on_value(uint32_t docid, const char *val, size_t len, void *ctx)
{
    (void)docid;
    return tally_add(ctx, val, len) != VNS_OK;
}

static int by_count(const void *a, const void *b)
{
    const struct vns_stat_count *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* The values of slot, counted; documents without one under "". */
static int count_slot(struct vns_index *ix, unsigned slot, int year,
                      uint64_t docs, struct vns_stat_count **out, size_t *n,
                      struct vns_err *err)
{
    struct tally t = {.year = year};
    int rc = vns_xdb_values(ix->db, slot, on_value, &t, err);

    if (rc == VNS_OK && t.total < docs)
        rc = tally_push(&t, "", 0, docs - t.total) != VNS_OK;
    if (rc > 0)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", ix->dir);
    if (rc != VNS_OK) {
        for (size_t i = 0; i < t.n; i++)
            free(t.v[i].value);
        free(t.v);
        return rc;
    }
    qsort(t.v, t.n, sizeof(*t.v), by_count);
    *out = t.v;
    *n = t.n;
    return VNS_OK;
}

static int count_term(const char *term, size_t len, uint64_t tf, void *ctx)
{
    (void)term;
    (void)len;
    (void)tf;
    ++*(uint64_t *)ctx;
    return 0;
}

int vns_index_stats(struct vns_index *ix, struct vns_index_stats *out,
                    struct vns_err *err)
{
    struct vns_index_stats st = {0};
    char *v = NULL;
    time_t newest = 0;
    int rc;

    rc = vns_xdb_doccount(ix->db, &st.documents, err);
    if (rc == VNS_OK)
        rc = vns_xdb_terms(ix->db, "", count_term, &st.terms, err);
    if (rc == VNS_OK)
        rc = folder_bytes(ix->dir, &st.bytes, &newest, err);
    if (rc == VNS_OK)
        rc = vns_xdb_revision(ix->db, &st.revision, err);
    if (rc == VNS_OK)
        rc = vns_xdb_get_metadata(ix->db, VNS_FORMAT_KEY, &v, err);
    if (rc == VNS_OK)
        snprintf(st.format, sizeof(st.format), "%s", v);
    free(v);
    v = NULL;
    if (rc == VNS_OK)
        rc = vns_xdb_get_metadata(ix->db, VNS_COMMITTED_KEY, &v, err);
    if (rc == VNS_OK) {
        /* an index from before the stamp: its files' last change */
        st.last_commit = v[0] ? strtoll(v, NULL, 10) : (int64_t)newest;
        st.commit_from_meta = v[0] != '\0';
    }
    free(v);
    if (rc == VNS_OK)
        rc = vns_packdict_count(ix, &st.dictionaries, err);
    if (rc == VNS_OK)
        rc = count_slot(ix, VNS_SLOT_PROVINCE, 0, st.documents, &st.provinces,
                        &st.nprovinces, err);
    if (rc == VNS_OK)
        rc = count_slot(ix, VNS_SLOT_TYPE, 0, st.documents, &st.types,
                        &st.ntypes, err);
    if (rc == VNS_OK)
        rc = count_slot(ix, VNS_SLOT_DATE, 1, st.documents, &st.years,
                        &st.nyears, err);
    if (rc != VNS_OK) {
        vns_index_stats_fini(&st);
        return rc;
    }
    *out = st;
    return VNS_OK;
}

static void free_counts(struct vns_stat_count *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].value);
    free(v);
}

void vns_index_stats_fini(struct vns_index_stats *st)
{
    if (st == NULL)
        return;
    free_counts(st->provinces, st->nprovinces);
    free_counts(st->types, st->ntypes);
    free_counts(st->years, st->nyears);
    *st = (struct vns_index_stats){0};
}

static json_t *counts_json(const struct vns_stat_count *v, size_t n)
{
    json_t *o = json_object();

    for (size_t i = 0; o != NULL && i < n; i++)
        if (json_object_set_new(o, v[i].value,
                                json_integer((json_int_t)v[i].count))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

int vns_index_stats_json(const struct vns_index_stats *st, const char *dir,
                         char **out, struct vns_err *err)
{
    json_t *o = json_object(), *p = counts_json(st->provinces, st->nprovinces),
           *t = counts_json(st->types, st->ntypes),
           *y = counts_json(st->years, st->nyears), *when = json_null();
    char iso[32];
    int rc = VNS_OK;

    if (st->last_commit > 0) {
        time_t tt = (time_t)st->last_commit;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_decref(when);
        when = json_string(iso);
    }
    if (o == NULL || p == NULL || t == NULL || y == NULL || when == NULL ||
        json_object_set_new(o, "db", json_string(dir)) ||
        json_object_set_new(o, "documents",
                            json_integer((json_int_t)st->documents)) ||
        json_object_set_new(o, "terms", json_integer((json_int_t)st->terms)) ||
        json_object_set_new(o, "bytes", json_integer((json_int_t)st->bytes)) ||
        json_object_set_new(o, "revision",
                            json_integer((json_int_t)st->revision)) ||
        json_object_set(o, "last_commit", when) ||
        json_object_set_new(o, "format", json_string(st->format)) ||
        json_object_set(o, "provinces", p) || json_object_set(o, "types", t) ||
        json_object_set(o, "years", y) ||
        json_object_set_new(o, "dictionaries",
                            json_integer((json_int_t)st->dictionaries))) {
        rc = vns_err_set(err, VNS_EBADDATA,
                         "%s: statistics are not valid UTF-8 or out of memory",
                         dir);
        goto out;
    }
    *out = json_dumps(o, JSON_PRESERVE_ORDER);
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", dir);
out:
    json_decref(when);
    json_decref(p);
    json_decref(t);
    json_decref(y);
    json_decref(o);
    return rc;
}
