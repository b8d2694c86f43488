/* Outside programs on hostile input (pdftotext): fork and exec with limits,
 * pipes polled against a deadline, the child killed and reaped. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* stderr is for the reason of a failure: its end is what matters. */
#define ERR_KEEP 4096
/* Bytes fed to stdin per send, read per read. */
#define CHUNK 65536
/* A child that closed its pipes is polled for its exit this often. */
#define REAP_POLL_MS 10

void vns_sandbox_result_fini(struct vns_sandbox_result *r)
{
    if (r == NULL)
        return;
    free(r->out);
    free(r->errtext);
    *r = (struct vns_sandbox_result){0};
}

/* The executable argv[0] names: itself when it holds a '/', else the
 * first match along PATH. */
static bool resolve(const char *name, char *path, size_t pathsz)
{
    const char *dirs = getenv("PATH"), *p, *end;
    struct stat st;

    if (strchr(name, '/') != NULL) {
        if (strlen(name) >= pathsz)
            return false;
        strcpy(path, name);
        return access(path, X_OK) == 0 && stat(path, &st) == 0 &&
               S_ISREG(st.st_mode);
    }
    if (dirs == NULL || dirs[0] == '\0')
        dirs = "/usr/bin:/bin";
    for (p = dirs; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
        size_t n;

        end = strchr(p, ':');
        if (end == NULL)
            end = p + strlen(p);
        n = (size_t)(end - p);
        if (n == 0 || n + 1 + strlen(name) + 1 > pathsz)
            continue;
        memcpy(path, p, n);
        path[n] = '/';
        strcpy(path + n + 1, name);
        if (access(path, X_OK) == 0 && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode))
            return true;
    }
    return false;
}

static void set_limit(int resource, rlim_t value)
{
    struct rlimit rl = {value, value};

    setrlimit(resource, &rl);
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void child(const char *path, char *const argv[], int in, int out,
                  int errfd, const struct vns_sandbox_limits *lim, int max_fd)
{
    struct sigaction dfl;
    sigset_t none;

    setpgid(0, 0);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
        _exit(126);
        /* every other descriptor of the indexer (the index, other files)
         * stays out of reach */
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
        for (int fd = 3; fd < max_fd; fd++)
            close(fd);
    /* an ignored SIGPIPE or a blocked signal would survive exec */
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGPIPE, &dfl, NULL);
    sigaction(SIGXCPU, &dfl, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (lim->cpu_seconds > 0) {
        /* SIGXCPU at the soft limit, SIGKILL one second later */
        struct rlimit rl = {lim->cpu_seconds, lim->cpu_seconds + 1};

        setrlimit(RLIMIT_CPU, &rl);
    }
    if (lim->memory > 0)
        set_limit(RLIMIT_AS, (rlim_t)lim->memory);
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_FSIZE, 0);
    execve(path, argv, environ);
    _exit(127);
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct run {
    pid_t pid;
    int in, out, errfd; /* our ends, -1 once closed */
    const char *input;
    size_t inlen, sent;
    char *buf; /* stdout */
    size_t len, cap, max;
    char errbuf[ERR_KEEP];
    size_t errlen;
    bool killed;
    enum vns_sandbox_end end;
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void kill_child(struct run *r, enum vns_sandbox_end why)
{
    if (r->killed)
        return;
    /* the whole group: a shell's children go too */
    if (kill(-r->pid, SIGKILL) != 0)
        kill(r->pid, SIGKILL);
    r->killed = true;
    r->end = why;
}

static void feed(struct run *r)
{
    size_t n = r->inlen - r->sent < CHUNK ? r->inlen - r->sent : CHUNK;
    ssize_t got =
        send(r->in, r->input + r->sent, n, MSG_NOSIGNAL | MSG_DONTWAIT);

    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got < 0) {
        close_fd(&r->in); /* the child stopped reading: fine */
        return;
    }
    r->sent += (size_t)got;
    if (r->sent == r->inlen)
        close_fd(&r->in);
}

static int drain_out(struct run *r, struct vns_err *err, const char *name)
{
    char chunk[CHUNK];
    ssize_t got = read(r->out, chunk, sizeof(chunk));
    size_t n;

    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return VNS_OK;
    if (got <= 0) {
        close_fd(&r->out);
        return VNS_OK;
    }
    n = (size_t)got;
    if (n > r->max - r->len) {
        n = r->max - r->len;
        kill_child(r, VNS_SANDBOX_CUT);
        close_fd(&r->out);
    }
    if (n == 0) /* the output was full already */
        return VNS_OK;
    if (r->buf == NULL || r->len + n + 1 > r->cap) {
        size_t cap = r->cap > 0 ? r->cap : CHUNK;
        char *p;

        while (cap < r->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if (cap > r->max + 1)
            cap = r->max + 1;
        p = realloc(r->buf, cap);
        if (p == NULL) {
            kill_child(r, VNS_SANDBOX_CUT);
            return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
        }
        r->buf = p;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, chunk, n);
    r->len += n;
    return VNS_OK;
}

static void drain_err(struct run *r)
{
    char chunk[ERR_KEEP];
    ssize_t got = read(r->errfd, chunk, sizeof(chunk));
    size_t n, drop;

    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got <= 0) {
        close_fd(&r->errfd);
        return;
    }
    n = (size_t)got;
    /* keep the last ERR_KEEP - 1 bytes: poppler says why at the end */
    if (r->errlen + n > ERR_KEEP - 1) {
        drop = r->errlen + n - (ERR_KEEP - 1);
        if (drop > r->errlen)
            drop = r->errlen;
        memmove(r->errbuf, r->errbuf + drop, r->errlen - drop);
        r->errlen -= drop;
    }
    if (n > ERR_KEEP - 1 - r->errlen) {
        memcpy(r->errbuf + r->errlen, chunk + n - (ERR_KEEP - 1 - r->errlen),
               ERR_KEEP - 1 - r->errlen);
        r->errlen = ERR_KEEP - 1;
    } else {
        memcpy(r->errbuf + r->errlen, chunk, n);
        r->errlen += n;
    }
}

/* Poll stdin, stdout and stderr until both outputs close, the output is
 * too long or the deadline passes. */
static int pump(struct run *r, long long deadline, struct vns_err *err,
                const char *name)
{
    int rc = VNS_OK;

    while ((r->out >= 0 || r->errfd >= 0) && !r->killed) {
        struct pollfd fds[3];
        nfds_t n = 0;
        int wait_ms = -1, got;

        if (r->in >= 0)
            fds[n++] = (struct pollfd){.fd = r->in, .events = POLLOUT};
        if (r->out >= 0)
            fds[n++] = (struct pollfd){.fd = r->out, .events = POLLIN};
        if (r->errfd >= 0)
            fds[n++] = (struct pollfd){.fd = r->errfd, .events = POLLIN};
        if (deadline > 0) {
            long long left = deadline - now_ms();

            if (left <= 0) {
                kill_child(r, VNS_SANDBOX_TIMEOUT);
                break;
            }
            wait_ms = left > INT_MAX ? INT_MAX : (int)left;
        }
        got = poll(fds, n, wait_ms);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            kill_child(r, VNS_SANDBOX_TIMEOUT);
            return vns_err_set(err, VNS_EIO, "%s: poll: %s", name,
                               strerror(errno));
        }
        for (nfds_t i = 0; i < n && rc == VNS_OK; i++) {
            if (fds[i].revents == 0)
                continue;
            if (fds[i].fd == r->in)
                feed(r);
            else if (fds[i].fd == r->out)
                rc = drain_out(r, err, name);
            else if (fds[i].fd == r->errfd)
                drain_err(r);
        }
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

/* Wait for the child; one that closed its pipes but lingers is killed at
 * the deadline all the same. */
static int reap(struct run *r, long long deadline)
{
    int status = 0;

    for (;;) {
        pid_t got = waitpid(r->pid, &status, r->killed ? 0 : WNOHANG);

        if (got == r->pid)
            return status;
        if (got < 0 && errno != EINTR)
            return status;
        if (got == 0) {
            if (deadline > 0 && now_ms() >= deadline)
                kill_child(r, VNS_SANDBOX_TIMEOUT);
            else
                nanosleep(&(struct timespec){0, REAP_POLL_MS * 1000000L}, NULL);
        }
    }
}

/* Socket pairs rather than pipes: close-on-exec from the start (no race
 * with a fork elsewhere) and send() can refuse to raise SIGPIPE. */
static int open_pipes(int in[2], int out[2], int errp[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, errp) != 0)
        return -1;
    return 0;
}

int vns_sandbox_run(const char *const argv[], const char *input, size_t inlen,
                    const struct vns_sandbox_limits *lim,
                    struct vns_sandbox_result *res, struct vns_err *err)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
    struct run r = {.pid = -1, .in = -1, .out = -1, .errfd = -1};
    struct vns_sandbox_result got = {0};
    struct rlimit nofile;
    char path[PATH_MAX];
    long long deadline = 0;
    int rc = VNS_OK, status, max_fd = 1024;

    if (argv == NULL || argv[0] == NULL || lim == NULL || res == NULL ||
        (input == NULL && inlen > 0))
        return vns_err_set(err, VNS_EINVAL, "sandbox: no program");
    if (!resolve(argv[0], path, sizeof(path)))
        return vns_err_set(err, VNS_ENOTFOUND, "%s: program not found",
                           argv[0]);
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
        nofile.rlim_cur != RLIM_INFINITY)
        max_fd = nofile.rlim_cur < 65536 ? (int)nofile.rlim_cur : 65536;
    if (open_pipes(in, out, errp) != 0) {
        rc =
            vns_err_set(err, VNS_EIO, "%s: pipe: %s", argv[0], strerror(errno));
        goto out;
    }
    if (lim->timeout_ms > 0)
        deadline = now_ms() + lim->timeout_ms;
    r.pid = fork();
    if (r.pid < 0) {
        rc =
            vns_err_set(err, VNS_EIO, "%s: fork: %s", argv[0], strerror(errno));
        goto out;
    }
    if (r.pid == 0)
        child(path, (char *const *)argv, in[1], out[1], errp[1], lim, max_fd);
    setpgid(r.pid, r.pid); /* also here: no race with kill(-pid) */
    close_fd(&in[1]);
    close_fd(&out[1]);
    close_fd(&errp[1]);
    r.in = in[0];
    r.out = out[0];
    r.errfd = errp[0];
    in[0] = out[0] = errp[0] = -1;
    fcntl(r.in, F_SETFL, O_NONBLOCK);
    fcntl(r.out, F_SETFL, O_NONBLOCK);
    fcntl(r.errfd, F_SETFL, O_NONBLOCK);
    r.input = input;
    r.inlen = inlen;
    r.max = lim->max_output;
    if (inlen == 0)
        close_fd(&r.in);
    rc = pump(&r, deadline, err, argv[0]);
    close_fd(&r.in);
    close_fd(&r.out);
    close_fd(&r.errfd);
    status = reap(&r, deadline);
    r.pid = -1;
    if (rc != VNS_OK)
        goto out;
    got.out = malloc(r.len + 1);
    got.errtext = malloc(r.errlen + 1);
    if (got.out == NULL || got.errtext == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", argv[0]);
        goto out;
    }
    if (r.len > 0)
        memcpy(got.out, r.buf, r.len);
    got.out[r.len] = '\0';
    got.out_len = r.len;
    memcpy(got.errtext, r.errbuf, r.errlen);
    got.errtext[r.errlen] = '\0';
    if (r.killed) {
        got.end = r.end;
        got.code = SIGKILL;
    } else if (WIFSIGNALED(status)) {
        got.end = VNS_SANDBOX_SIGNALED;
        got.code = WTERMSIG(status);
    } else {
        got.end = VNS_SANDBOX_EXITED;
        got.code = WEXITSTATUS(status);
    }
    *res = got; /* moved: the caller owns it now */
    got = (struct vns_sandbox_result){0};
out:
    vns_sandbox_result_fini(&got);
    free(r.buf);
    close_fd(&in[0]);
    close_fd(&in[1]);
    close_fd(&out[0]);
    close_fd(&out[1]);
    close_fd(&errp[0]);
    close_fd(&errp[1]);
    return rc;
}
