/* bench/compare's Recoll anchor: run every query of a gen-notices queries
 * file as one recollq process ("any term", the GUI's simple search), map
 * its file URLs back to document ids, keep the top 100 the truth-derived
 * filter allows, write a TREC run; latency includes starting recollq. */
#include "runlist.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_DEPTH 100
#define MAX_OUTPUT (64u << 20) /* recollq's answer to one query */

extern char **environ;

/* Decodes the base64 of in[0..n) into out (room for n bytes); returns the
 * length, or -1 on a byte that is not base64. */
static long unbase64(const char *in, size_t n, char *out)
{
    unsigned acc = 0;
    int bits = 0;
    long o = 0;

    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        int v;

        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=')
            break;
        else
            return -1;
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits & 0xFF);
        }
    }
    out[o] = '\0';
    return o;
}

/* Runs argv with its stdout into *buf (NUL-terminated, grown up to
 * MAX_OUTPUT); returns the exit status, or -1 when it could not run. */
static int run(char *const argv[], char **buf, size_t *cap, size_t *len)
{
    posix_spawn_file_actions_t fa;
    int fd[2], status = -1;
    pid_t pid;
    ssize_t got;

    *len = 0;
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    for (;;) {
        char drain[4096];

        if (*len + 1 == *cap && *cap < MAX_OUTPUT) {
            char *more = realloc(*buf, *cap * 2);
            if (more == NULL)
                abort();
            *buf = more;
            *cap *= 2;
        }
        /* past the ceiling the rest is read and dropped, so that recollq
         * is never left blocked on a full pipe */
        if (*len + 1 == *cap)
            got = read(fd[0], drain, sizeof(drain));
        else
            got = read(fd[0], *buf + *len, *cap - *len - 1);
        if (got <= 0)
            break;
        if (*len + 1 < *cap)
            *len += (size_t)got;
    }
    (*buf)[*len] = '\0';
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    struct runlist rl;
    FILE *out;
    size_t errors = 0, cap = 1 << 16, len, prefix_len;
    char *buf = malloc(cap), prefix[4096];
    double t0;

    if (argc != 6) {
        fprintf(stderr, "usage: recoll_query CONFDIR DOCS QUERIES RUN "
                        "ALLOW.tsv\n");
        return 2;
    }
    /* recollq answers file:// URLs of the paths recollindex walked */
    prefix_len =
        (size_t)snprintf(prefix, sizeof(prefix), "file://%s/", argv[2]);
    if (buf == NULL || prefix_len >= sizeof(prefix) ||
        runlist_load(&rl, argv[3], argv[5]) != 0)
        return 1;
    out = fopen(argv[4], "w");
    if (out == NULL) {
        perror(argv[4]);
        return 1;
    }
    t0 = runlist_now();
    for (size_t i = 0; i < rl.n; i++) {
        struct rl_query *q = &rl.q[i];
        double t = runlist_now();
        char text[4096];
        /* filtered: every match, the filter applies to the whole order */
        char *cmd[] = {"recollq", "-c",
                       argv[1],   "-o",
                       "-n",      q->filtered ? "0" : "100",
                       "-F",      "url relevancyrating",
                       text,      NULL};
        char *kept[RUN_DEPTH];
        int rank = 0, rc;

        /* a leading '-' would read as an option */
        snprintf(text, sizeof(text), "%s%s", q->text[0] == '-' ? " " : "",
                 q->text);
        rc = run(cmd, &buf, &cap, &len);
        if (rc != 0) {
            fprintf(stderr, "recoll_query: %s: recollq exited %d\n", q->qid,
                    rc);
            errors++;
        }
        /* result lines: "base64(url) base64(rating)"; the count line and
         * anything else do not decode to a URL under DOCS */
        for (char *line = buf, *next; rc == 0 && rank < RUN_DEPTH && *line;
             line = next) {
            char *nl = strchr(line, '\n'), *sp, url[8192], rating[64];
            const char *id;
            int dup = 0;

            next = nl ? nl + 1 : line + strlen(line);
            if (nl)
                *nl = '\0';
            sp = strchr(line, ' ');
            if (sp == NULL || (size_t)(sp - line) >= sizeof(url) ||
                strlen(sp + 1) >= sizeof(rating) ||
                unbase64(line, (size_t)(sp - line), url) < 0 ||
                unbase64(sp + 1, strlen(sp + 1), rating) < 0 ||
                strncmp(url, prefix, prefix_len) != 0)
                continue;
            id = url + prefix_len;
            if (!runlist_allows(&rl, q, id))
                continue;
            /* parts of one file (pages of a long text, members of an
             * archive) share its URL: the file counts once, at its best */
            for (int k = 0; k < rank && !dup; k++)
                dup = strcmp(kept[k], id) == 0;
            if (dup)
                continue;
            kept[rank] = strdup(id);
            if (kept[rank] == NULL)
                abort();
            fprintf(out, "%s Q0 %s %d %.0f recoll\n", q->qid, id, rank + 1,
                    atof(rating));
            rank++;
        }
        for (int k = 0; k < rank; k++)
            free(kept[k]);
        rl.ms[i] = (runlist_now() - t) * 1000.0;
    }
    fprintf(stderr, "recoll_query: %zu queries in %.2f s\n", rl.n,
            runlist_now() - t0);
    runlist_report(&rl, errors);
    free(buf);
    runlist_fini(&rl);
    return fclose(out) == 0 ? 0 : 1;
}
