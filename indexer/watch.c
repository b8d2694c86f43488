/* vnsearch-index --watch: a self-pipe for SIGTERM/SIGINT, the first run's
 * summary and one log line per batch; lib/watch.c follows the folders. */
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "logline.h"

struct watch_ui {
    struct vns_index *ix;
    const char *db;
    int quiet, tty;
    int pipe_w;
};

static volatile sig_atomic_t stop_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;

    (void)sig;
    if (stop_fd >= 0 && write(stop_fd, "x", 1) < 0) {
        /* the pipe is full: a stop is pending already */
    }
    errno = saved;
}

/* Until the first crawl is done a signal ends the program at once (what
 * was committed stays); from then on it ends the batch and commits. */
static void catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static void on_batch(const struct vns_crawl_stats *s, int first, void *ctx)
{
    struct watch_ui *u = ctx;
    uint64_t docs = 0;
    char n[5][24];

    if (first) {
        stop_fd = u->pipe_w;
        catch_signals();
    }
    vns_index_doccount(u->ix, &docs, NULL);
    if (u->tty && !u->quiet)
        fputs("\r\033[K", stderr); /* the progress line */
    if (first) {
        /* the summary a run ends with */
        printf("indexed %llu, updated %llu, unchanged %llu, removed %llu, "
               "failed %llu; %s holds %llu documents; watching for changes\n",
               (unsigned long long)s->added, (unsigned long long)s->updated,
               (unsigned long long)s->unchanged, (unsigned long long)s->removed,
               (unsigned long long)s->failed, u->db, (unsigned long long)docs);
        fflush(stdout);
        return;
    }
    /* then one info line per batch: --quiet leaves them out */
    snprintf(n[0], sizeof(n[0]), "%llu", (unsigned long long)s->added);
    snprintf(n[1], sizeof(n[1]), "%llu", (unsigned long long)s->updated);
    snprintf(n[2], sizeof(n[2]), "%llu", (unsigned long long)s->removed);
    snprintf(n[3], sizeof(n[3]), "%llu", (unsigned long long)s->failed);
    snprintf(n[4], sizeof(n[4]), "%llu", (unsigned long long)docs);
    vns_log(VNS_LOG_INFO, "batch committed", "indexed", n[0], "updated", n[1],
            "removed", n[2], "failed", n[3], "documents", n[4],
            (const char *)NULL);
}

int watch_run(struct vns_index *ix, const struct vns_crawl_opts *o,
              const char *db, int quiet)
{
    struct watch_ui u = {ix, db, quiet, isatty(STDERR_FILENO), -1};
    struct vns_watch_opts wo = {0};
    struct vns_err err = {0};
    int fds[2], rc;

    if (pipe(fds) != 0) {
        vns_logf(VNS_LOG_ERROR, "pipe: %s", strerror(errno));
        return 2;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
    }
    u.pipe_w = fds[1];
    wo.crawl = o;
    wo.stop_fd = fds[0];
    wo.on_batch = on_batch;
    wo.ctx = &u;
    rc = vns_watch(ix, &wo, &err);
    if (rc != VNS_OK)
        vns_log(VNS_LOG_ERROR, err.msg, (const char *)NULL);
    else
        vns_log(VNS_LOG_INFO, "stopped, everything committed",
                (const char *)NULL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    stop_fd = -1;
    close(fds[0]);
    close(fds[1]);
    return rc == VNS_OK ? 0 : 2;
}
