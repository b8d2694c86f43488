/* Sharded indexes: the stub file, the choice of a document's shard, and
 * searching on when a remote shard stops answering (--allow-partial). */
#include "shard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "index_impl.h"
#include "xapian.h"

#define STUB_MAX (64 * 1024) /* bytes of a stub file we read */

int vns_stub_locate(const char *path, char *out, size_t cap)
{
    struct stat st;

    if (path == NULL || stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return snprintf(out, cap, "%s", path) < (int)cap;
    if (!S_ISDIR(st.st_mode) ||
        snprintf(out, cap, "%s/" VNS_STUB_NAME, path) >= (int)cap)
        return 0;
    return stat(out, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder of the stub file (relative shard paths start there). */
static void stub_folder(const char *stub, char *out, size_t cap)
{
    const char *slash = strrchr(stub, '/');

    if (slash == NULL)
        snprintf(out, cap, ".");
    else if (slash == stub)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - stub), stub);
}

/* "HOST:PORT" or "[V6]:PORT" into s. */
static int parse_hostport(const char *hp, struct vns_shard *s)
{
    const char *colon = strrchr(hp, ':');
    const char *h = hp;
    size_t hl;
    char *end;
    unsigned long port;

    if (colon == NULL)
        return -1;
    hl = (size_t)(colon - hp);
    if (hl >= 2 && hp[0] == '[' && hp[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (hl == 0 || hl >= sizeof(s->host) || *end != '\0' || errno != 0 ||
        port == 0 || port > 65535 || colon[1] == '\0')
        return -1;
    memcpy(s->host, h, hl);
    s->host[hl] = '\0';
    s->port = (unsigned)port;
    snprintf(s->name, sizeof(s->name), "%s", hp);
    return 0;
}

/* One line of the stub into s; 1 when it is a shard, 0 a blank or a
 * comment, -1 bad (why says how). */
static int parse_line(char *line, const char *folder, struct vns_shard *s,
                      const char **why)
{
    char *w[4] = {0};
    size_t n = 0;

    for (char *p = strtok(line, " \t\r"); p != NULL && n < 4;
         p = strtok(NULL, " \t\r"))
        w[n++] = p;
    if (n == 0 || w[0][0] == '#')
        return 0;
    *s = (struct vns_shard){0};
    if (strcmp(w[0], "auto") == 0 || strcmp(w[0], "glass") == 0 ||
        strcmp(w[0], "chert") == 0) {
        if (n != 2) {
            *why = "expected \"auto PATH\"";
            return -1;
        }
        int len =
            w[1][0] == '/'
                ? snprintf(s->path, sizeof(s->path), "%s", w[1])
                : snprintf(s->path, sizeof(s->path), "%s/%s", folder, w[1]);
        if (len >= (int)sizeof(s->path)) {
            *why = "path too long";
            return -1;
        }
        snprintf(s->name, sizeof(s->name), "%s", w[1]);
        return 1;
    }
    if (strcmp(w[0], "remote") == 0) {
        if (n == 2 && parse_hostport(w[1], s) == 0)
            return 1;
        if (n == 4 && strcmp(w[1], "tcp") == 0) {
            char hp[300];
            if (snprintf(hp, sizeof(hp), "%s:%s", w[2], w[3]) <
                    (int)sizeof(hp) &&
                parse_hostport(hp, s) == 0)
                return 1;
        }
        *why = "expected \"remote HOST:PORT\" (a xapian-tcpsrv; remote "
               "programs are not supported)";
        return -1;
    }
    *why = "unknown kind of database (auto, glass, remote)";
    return -1;
}

int vns_stub_read(const char *stub, struct vns_shard **out, size_t *n,
                  struct vns_err *err)
{
    char folder[4096], *text = NULL, *line, *next;
    struct vns_shard *sh = NULL;
    size_t count = 0, len = 0, lineno = 0;
    FILE *f = fopen(stub, "rb");
    int rc = VNS_OK;

    if (f == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", stub, strerror(errno));
    text = malloc(STUB_MAX + 1);
    sh = calloc(VNS_MAX_SHARDS, sizeof(*sh));
    if (text == NULL || sh == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", stub);
        goto out;
    }
    len = fread(text, 1, STUB_MAX + 1, f);
    if (ferror(f))
        rc = vns_err_set(err, VNS_EIO, "%s: %s", stub, strerror(errno));
    else if (len > STUB_MAX)
        rc = vns_err_set(err, VNS_ETOOBIG, "%s: a stub file over %d bytes",
                         stub, STUB_MAX);
    else if (memchr(text, '\0', len) != NULL)
        rc = vns_err_set(err, VNS_EBADDATA, "%s: not a stub file (binary)",
                         stub);
    if (rc != VNS_OK)
        goto out;
    text[len] = '\0';
    stub_folder(stub, folder, sizeof(folder));
    for (line = text; line != NULL; line = next) {
        const char *why = NULL;
        struct vns_shard s;
        int r;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        r = parse_line(line, folder, &s, &why);
        if (r < 0) {
            rc = vns_err_set(err, VNS_EINVAL, "%s:%zu: %s", stub, lineno, why);
            goto out;
        }
        if (r == 0)
            continue;
        if (count == VNS_MAX_SHARDS) {
            rc = vns_err_set(err, VNS_ETOOBIG, "%s: more than %d shards", stub,
                             VNS_MAX_SHARDS);
            goto out;
        }
        sh[count++] = s;
    }
    if (count == 0) {
        rc = vns_err_set(err, VNS_EINVAL, "%s: lists no database", stub);
        goto out;
    }
    *out = sh;
    *n = count;
    sh = NULL;
out:
    fclose(f);
    free(text);
    free(sh);
    return rc;
}

/* Does the stub at path list exactly shard0..shard<n-1>? */
static int stub_is(const char *stub, unsigned n)
{
    struct vns_shard *sh = NULL;
    size_t got = 0;
    int same;

    if (vns_stub_read(stub, &sh, &got, NULL) != VNS_OK)
        return 0;
    same = got == n;
    for (size_t i = 0; same && i < got; i++) {
        char want[32];
        snprintf(want, sizeof(want), "shard%zu", i);
        same = sh[i].port == 0 && strcmp(sh[i].name, want) == 0;
    }
    free(sh);
    return same;
}

int vns_stub_create(const char *dir, unsigned n, struct vns_err *err)
{
    char stub[4200], tmp[4300];
    struct stat st;
    FILE *f;

    if (n < 2 || n > VNS_MAX_SHARDS)
        return vns_err_set(err, VNS_EINVAL, "%s: %u shards (2 to %d)", dir, n,
                           VNS_MAX_SHARDS);
    if (snprintf(stub, sizeof(stub), "%s/" VNS_STUB_NAME, dir) >=
        (int)sizeof(stub))
        return vns_err_set(err, VNS_EINVAL, "%s: path too long", dir);
    if (stat(stub, &st) == 0) {
        if (stub_is(stub, n))
            return VNS_OK;
        return vns_err_set(err, VNS_EINVAL,
                           "%s: has %u shards, not %u: --rebuild --shards %u "
                           "builds it again",
                           dir, vns_stub_count(dir), n, n);
    }
    if (snprintf(tmp, sizeof(tmp), "%s/iamglass", dir) < (int)sizeof(tmp) &&
        stat(tmp, &st) == 0)
        return vns_err_set(err, VNS_EINVAL,
                           "%s: holds an index of one database: --rebuild "
                           "--shards %u builds it again in shards",
                           dir, n);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return vns_err_set(err, VNS_EIO, "%s: cannot create: %s", dir,
                           strerror(errno));
    snprintf(tmp, sizeof(tmp), "%s.tmp", stub);
    f = fopen(tmp, "w");
    if (f == NULL)
        return vns_err_set(err, VNS_EIO, "%s: %s", tmp, strerror(errno));
    fprintf(f,
            "# vnsearch: %u shards; a document's shard is the FNV-1a "
            "hash of its id modulo %u\n",
            n, n);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shard%u\n", i);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        fclose(f);
        unlink(tmp);
        return vns_err_set(err, VNS_EIO, "%s: %s", tmp, strerror(errno));
    }
    fclose(f);
    if (rename(tmp, stub) != 0) {
        unlink(tmp);
        return vns_err_set(err, VNS_EIO, "%s: %s", stub, strerror(errno));
    }
    return VNS_OK;
}

unsigned vns_stub_count(const char *dir)
{
    struct vns_shard *sh = NULL;
    char stub[4200];
    size_t n = 0;

    if (!vns_stub_locate(dir, stub, sizeof(stub)) ||
        vns_stub_read(stub, &sh, &n, NULL) != VNS_OK)
        return 1;
    free(sh);
    return (unsigned)n;
}

unsigned vns_shard_of(const char *id, size_t len, unsigned n)
{
    return n <= 1 ? 0 : (unsigned)(vns_hash64(id, len, 0) % n);
}

void vns_shard_docid(uint32_t docid, unsigned n, unsigned *shard,
                     uint32_t *local)
{
    *shard = (unsigned)((docid - 1) % n);
    *local = (docid - 1) / n + 1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_one(struct vns_index *ix, struct vns_shard *s,
                    struct vns_err *err)
{
    if (s->port != 0) {
        if (ix->mode == VNS_INDEX_WRITE)
            return vns_err_set(err, VNS_EINVAL,
                               "%s: remote shard %s: an indexer writes local "
                               "shards only",
                               ix->dir, s->name);
        return vns_xdb_open_remote(s->host, s->port, VNS_REMOTE_TIMEOUT_MS,
                                   &s->db, err);
    }
    return vns_xdb_open(
        s->path, ix->mode == VNS_INDEX_WRITE ? VNS_XDB_WRITE : VNS_XDB_READ,
        &s->db, err);
}

/* ix->db over the shards that are open. */
static int combine(struct vns_index *ix, struct vns_err *err)
{
    struct vns_xdb *open[VNS_MAX_SHARDS];
    size_t n = 0;

    vns_xdb_close(ix->db);
    ix->db = NULL;
    ix->missing = 0;
    for (size_t i = 0; i < ix->nshards; i++) {
        if (ix->shards[i].db != NULL)
            open[n++] = ix->shards[i].db;
        else
            ix->missing++;
    }
    if (n == 0)
        return vns_err_set(err, VNS_EREMOTE, "%s: no shard answers", ix->dir);
    return vns_xdb_combine(ix->dir, open, n, &ix->db, err);
}

int vns_shards_open(struct vns_index *ix, const char *stub, struct vns_err *err)
{
    struct vns_err first = {0};
    int rc = vns_stub_read(stub, &ix->shards, &ix->nshards, err);

    if (rc != VNS_OK)
        return rc;
    for (size_t i = 0; i < ix->nshards; i++) {
        struct vns_err e = {0};
        struct vns_shard *s = &ix->shards[i];
        rc = open_one(ix, s, &e);
        if (rc == VNS_OK)
            continue;
        if (!ix->allow_partial || ix->mode == VNS_INDEX_WRITE)
            return vns_err_set(err, rc, "%s: %s", ix->dir, e.msg);
        if (first.code == VNS_OK)
            vns_err_set(&first, rc, "%s: %s", ix->dir, e.msg);
    }
    ix->retried_at = now();
    rc = combine(ix, err);
    if (rc != VNS_OK && first.code != VNS_OK && err != NULL)
        *err = first; /* say why the last one is missing */
    return rc;
}

void vns_shards_close(struct vns_index *ix)
{
    vns_xdb_close(ix->db); /* the combined reader goes before its parts */
    ix->db = NULL;
    for (size_t i = 0; ix->shards != NULL && i < ix->nshards; i++)
        vns_xdb_close(ix->shards[i].db);
    free(ix->shards);
    ix->shards = NULL;
    ix->nshards = 0;
}

int vns_shards_retry(struct vns_index *ix, int force, int *changed,
                     struct vns_err *err)
{
    size_t back = 0;

    *changed = 0;
    if (ix->missing == 0 ||
        (!force && now() - ix->retried_at < VNS_SHARD_RETRY_SECONDS))
        return VNS_OK;
    ix->retried_at = now();
    for (size_t i = 0; i < ix->nshards; i++)
        if (ix->shards[i].db == NULL &&
            open_one(ix, &ix->shards[i], NULL) == VNS_OK)
            back++;
    if (back == 0)
        return VNS_OK;
    *changed = 1;
    return combine(ix, err);
}

int vns_shards_recover(struct vns_index *ix, struct vns_err *err)
{
    size_t gone = 0;

    if (!ix->allow_partial || ix->nshards == 0 || err == NULL ||
        err->code != VNS_EREMOTE)
        return err != NULL ? err->code : VNS_EREMOTE;
    for (size_t i = 0; i < ix->nshards; i++) {
        struct vns_shard *s = &ix->shards[i];
        uint64_t rev;
        int moved;
        if (s->db == NULL || s->port == 0)
            continue;
        /* one exchange with it: does it still answer? */
        if (vns_xdb_reopen(s->db, &moved, NULL) == VNS_OK &&
            vns_xdb_revision(s->db, &rev, NULL) == VNS_OK)
            continue;
        vns_xdb_close(s->db);
        s->db = NULL;
        gone++;
    }
    if (gone == 0)
        return err->code; /* not a shard we can leave out */
    ix->retried_at = now();
    return combine(ix, err);
}

size_t vns_shards_missing(const struct vns_index *ix, char *out, size_t cap)
{
    size_t n = 0, used = 0;

    if (cap > 0)
        out[0] = '\0';
    for (size_t i = 0; i < ix->nshards; i++) {
        if (ix->shards[i].db != NULL)
            continue;
        if (cap > used) {
            int w = snprintf(out + used, cap - used, "%s%s", n ? ", " : "",
                             ix->shards[i].name);
            used += w > 0 ? (size_t)w : 0;
        }
        n++;
    }
    return n;
}
