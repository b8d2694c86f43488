/* The log file: an O_APPEND descriptor that lib/logline.c writes whole
 * lines to, so threads never interleave; SIGHUP swaps the file under it. */
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

int log_open(const char *path, enum vns_log_level level,
             enum vns_log_format format, struct vns_err *err)
{
    int fd;

    vns_log_setup("vnsearchd", level, format, STDERR_FILENO);
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
    vns_log_setup("vnsearchd", level, format, fd);
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
    vns_log_setup("vnsearchd", VNS_LOG_INFO, VNS_LOG_LOGFMT, STDERR_FILENO);
    if (log_path != NULL)
        close(log_fd);
    log_fd = STDERR_FILENO;
    free(log_path);
    log_path = NULL;
}

void log_request(const char *method, const char *path, int status, double ms)
{
    char st[16], took[32];

    if (!vns_log_on(VNS_LOG_INFO))
        return;
    snprintf(st, sizeof(st), "%d", status);
    snprintf(took, sizeof(took), "%.3f", ms);
    vns_log(VNS_LOG_INFO, "request", "method", method, "path", path, "status",
            st, "ms", took, (const char *)NULL);
}
