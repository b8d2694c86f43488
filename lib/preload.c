/* Reading an index's tables into the page cache (preload.h). */
#include "preload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shard.h"

/* Xapian's glass tables a search reads, the most read first: postings
 * and values, document data, then what older indexes and spelling keep.
 * termlist.glass (a third of an index) is read by a writer replacing a
 * document, never by a search. */
static const char *const tables[] = {"postlist.glass", "docdata.glass",
                                     "position.glass", "spelling.glass",
                                     "synonym.glass"};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))
#define CHUNK ((size_t)1 << 20)

static int stopping(const atomic_int *stop)
{
    return stop != NULL && atomic_load(stop);
}

/* Read file path into the page cache, at most *left bytes (taken off). */
static void read_one(const char *path, char *buf, uint64_t *left,
                     const atomic_int *stop, struct vns_preload_stats *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    off_t at = 0;

    if (fd < 0) {
        if (errno != ENOENT) /* a table an index may lack is no fault */
            st->unreadable++;
        return;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st->unreadable++;
        close(fd);
        return;
    }
    st->files++;
    while (*left > 0 && !stopping(stop)) {
        ssize_t got = pread(fd, buf, *left < CHUNK ? (size_t)*left : CHUNK, at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            st->unreadable++;
        if (got <= 0)
            break;
        at += got;
        st->bytes += (uint64_t)got;
        *left -= (uint64_t)got;
    }
    close(fd);
}

int vns_preload_index(const char *path, uint64_t budget, const atomic_int *stop,
                      struct vns_preload_stats *st, struct vns_err *err)
{
    struct vns_shard *sh = NULL, one = {0};
    size_t n = 1;
    char stub[4096], file[4352];
    char *buf = NULL;
    struct stat sb;
    int rc = VNS_OK;

    *st = (struct vns_preload_stats){0};
    if (vns_stub_locate(path, stub, sizeof(stub))) {
        rc = vns_stub_read(stub, &sh, &n, err);
        if (rc != VNS_OK)
            return rc;
    } else if (stat(path, &sb) != 0) {
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return vns_err_set(err, VNS_EIO, "%s: not an index folder", path);
    } else {
        snprintf(one.path, sizeof(one.path), "%s", path);
        sh = &one;
    }
    buf = malloc(CHUNK);
    if (buf == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    /* table by table across the shards: every shard's postings before
     * any shard's document data */
    for (size_t t = 0; t < NTABLES && budget > 0 && !stopping(stop); t++)
        for (size_t i = 0; i < n && budget > 0 && !stopping(stop); i++) {
            if (sh[i].port != 0) /* remote: its own machine's cache */
                continue;
            if (snprintf(file, sizeof(file), "%s/%s", sh[i].path, tables[t]) >=
                (int)sizeof(file)) {
                st->unreadable++;
                continue;
            }
            read_one(file, buf, &budget, stop, st);
        }
out:
    free(buf);
    if (sh != &one)
        free(sh);
    return rc;
}

uint64_t vns_preload_default_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

    if (pages <= 0 || size <= 0)
        return (uint64_t)256 << 20; /* unknown: a modest share */
    return (uint64_t)pages * (uint64_t)size / 2;
}
