/* The log file: whole lines written with one write(2) on an O_APPEND
 * descriptor, so threads never interleave; SIGHUP swaps the file under it. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = STDERR_FILENO;
static char *log_path;

static int open_file(const char *path, struct vns_err *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0)
        return vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
    return fd;
}

int log_open(const char *path, struct vns_err *err)
{
    int fd;

    if (path == NULL)
        return VNS_OK;
    fd = open_file(path, err);
    if (fd < 0)
        return fd;
    log_path = strdup(path);
    if (log_path == NULL) {
        close(fd);
        return vns_err_set(err, VNS_ENOMEM, "log: out of memory");
    }
    log_fd = fd;
    return VNS_OK;
}

int log_reopen(struct vns_err *err)
{
    int fd;

    if (log_path == NULL)
        return VNS_OK;
    fd = open_file(log_path, err);
    if (fd < 0)
        return fd;
    /* dup2 swaps the file atomically: a concurrent write goes to one
     * file or the other, whole */
    if (dup2(fd, log_fd) < 0) {
        close(fd);
        return vns_err_set(err, VNS_EIO, "%s: %s", log_path, strerror(errno));
    }
    close(fd);
    return VNS_OK;
}

void log_close(void)
{
    if (log_path != NULL)
        close(log_fd);
    log_fd = STDERR_FILENO;
    free(log_path);
    log_path = NULL;
}

static size_t stamp(char *out, size_t cap)
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    return strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ ", &tm);
}

static void write_line(char *line, size_t len, size_t cap)
{
    if (len >= cap - 1)
        len = cap - 2;
    line[len++] = '\n';
    while (len > 0) {
        ssize_t n = write(log_fd, line, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        line += n;
        len -= (size_t)n;
    }
}

void log_request(const char *method, const char *path, int status, double ms)
{
    char line[640];
    size_t n = stamp(line, sizeof(line));
    int k;

    k = snprintf(line + n, sizeof(line) - n, "%s %s %d %.3fms", method, path,
                 status, ms);
    if (k > 0)
        n += (size_t)k;
    write_line(line, n, sizeof(line));
}

void log_msg(const char *fmt, ...)
{
    char line[640];
    size_t n = stamp(line, sizeof(line));
    va_list ap;
    int k;

    n += (size_t)snprintf(line + n, sizeof(line) - n, "vnsearchd: ");
    va_start(ap, fmt);
    k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    if (k > 0)
        n += (size_t)k;
    write_line(line, n, sizeof(line));
}
