/* Writer lock with the holder's PID, on flock(2): released by the kernel
 * when the holder exits or is killed, so a crash never leaves it stale. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME "vnsearch.lock"

int vns_lock_take(const char *dir, int *fd, struct vns_err *err)
{
    char path[4200], buf[32];
    ssize_t n;
    int f;

    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return vns_err_set(err, VNS_EIO, "%s: cannot create: %s", dir,
                           strerror(errno));
    if (snprintf(path, sizeof(path), "%s/%s", dir, LOCK_NAME) >=
        (int)sizeof(path))
        return vns_err_set(err, VNS_EINVAL, "%s: path too long", dir);
    f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (f < 0)
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        long pid = 0;
        n = pread(f, buf, sizeof(buf) - 1, 0);
        buf[n > 0 ? n : 0] = '\0';
        pid = strtol(buf, NULL, 10);
        close(f);
        if (e != EWOULDBLOCK)
            return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(e));
        if (pid > 0)
            return vns_err_set(err, VNS_EBUSY,
                               "%s: index is locked by PID %ld (another "
                               "vnsearch-index is writing it)",
                               dir, pid);
        return vns_err_set(err, VNS_EBUSY,
                           "%s: index is locked by another writer", dir);
    }
    n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, buf, (size_t)n, 0) != n) {
        int e = errno;
        close(f);
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(e));
    }
    *fd = f;
    return VNS_OK;
}

void vns_lock_release(int fd)
{
    if (fd < 0)
        return;
    /* the PID left in the file is read only when the lock is held */
    flock(fd, LOCK_UN);
    close(fd);
}
