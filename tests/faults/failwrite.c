/* LD_PRELOAD fault injector for tests/cli/test_faults.sh: the disk fills
 * up. Writes to regular files under $VNS_FAIL_DIR succeed until
 * $VNS_FAIL_AFTER bytes have gone there, then fail with ENOSPC, as do
 * fsync and fdatasync of those files. Everything else passes through. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong written;

/* Whether fd is a regular file under $VNS_FAIL_DIR. */
static int watched(int fd)
{
    const char *dir = getenv("VNS_FAIL_DIR");
    char link[64], path[PATH_MAX];
    struct stat st;
    ssize_t n;

    if (dir == NULL || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, path, sizeof(path) - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return strncmp(path, dir, strlen(dir)) == 0;
}

/* Counts len bytes for fd; nonzero when the disk is "full". */
static int full(int fd, size_t len)
{
    const char *after = getenv("VNS_FAIL_AFTER");

    if (after == NULL || !watched(fd))
        return 0;
    if (atomic_fetch_add(&written, (long long)len) + (long long)len >
        atoll(after)) {
        errno = ENOSPC;
        return 1;
    }
    return 0;
}

static int spent(int fd)
{
    const char *after = getenv("VNS_FAIL_AFTER");

    if (after == NULL || !watched(fd) || atomic_load(&written) <= atoll(after))
        return 0;
    errno = ENOSPC;
    return 1;
}

#define NEXT(name, type) ((type)dlsym(RTLD_NEXT, name))

ssize_t write(int fd, const void *buf, size_t len)
{
    if (full(fd, len))
        return -1;
    return NEXT("write", ssize_t(*)(int, const void *, size_t))(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
    if (full(fd, len))
        return -1;
    return NEXT("pwrite", ssize_t(*)(int, const void *, size_t, off_t))(
        fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
    if (full(fd, len))
        return -1;
    return NEXT("pwrite64", ssize_t(*)(int, const void *, size_t, off_t))(
        fd, buf, len, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    size_t len = 0;

    for (int i = 0; i < n; i++)
        len += iov[i].iov_len;
    if (full(fd, len))
        return -1;
    return NEXT("writev", ssize_t(*)(int, const struct iovec *, int))(fd, iov,
                                                                      n);
}

int fsync(int fd)
{
    if (spent(fd))
        return -1;
    return NEXT("fsync", int (*)(int))(fd);
}

int fdatasync(int fd)
{
    if (spent(fd))
        return -1;
    return NEXT("fdatasync", int (*)(int))(fd);
}
