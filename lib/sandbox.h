/* Running an outside program on hostile input: fork and exec (no shell),
 * CPU, memory and output limits, a wall-clock timeout, reaping. */
#ifndef VNSEARCH_LIB_SANDBOX_H
#define VNSEARCH_LIB_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"

/* What the child may use; 0 means no limit of that kind (max_output 0
 * keeps nothing). */
struct vns_sandbox_limits {
    unsigned cpu_seconds; /* RLIMIT_CPU: SIGXCPU, then SIGKILL */
    size_t memory;        /* RLIMIT_AS, bytes of address space */
    size_t max_output;    /* stdout bytes kept; one more and it is killed */
    unsigned timeout_ms;  /* wall clock, then SIGKILL to its process group */
};

/* How the child ended. */
enum vns_sandbox_end {
    VNS_SANDBOX_EXITED,   /* code is its exit status */
    VNS_SANDBOX_SIGNALED, /* code is the signal (SIGXCPU: CPU limit) */
    VNS_SANDBOX_TIMEOUT,  /* killed at the wall-clock timeout */
    VNS_SANDBOX_CUT       /* killed for printing more than max_output */
};

struct vns_sandbox_result {
    enum vns_sandbox_end end;
    int code;
    char *out; /* stdout, malloc'd, NUL-terminated, at most max_output */
    size_t out_len;
    char *errtext; /* the last 4 KiB of stderr, malloc'd, NUL-terminated */
};
void vns_sandbox_result_fini(struct vns_sandbox_result *r);

/* Run argv[0] (a path, or a name looked up in PATH) with argv, feeding it
 * input[0..inlen) on stdin, under lim. The child gets its own process
 * group, no core dumps, no file writes (RLIMIT_FSIZE 0) and no descriptor
 * but 0, 1 and 2. Returns VNS_OK with *res filled (free it with
 * vns_sandbox_result_fini) whatever the child did; VNS_ENOTFOUND when
 * the program is not found, VNS_EIO when a pipe or fork fails, VNS_ENOMEM.
 * err names the program. SIGPIPE is never raised in the caller. */
int vns_sandbox_run(const char *const argv[], const char *input, size_t inlen,
                    const struct vns_sandbox_limits *lim,
                    struct vns_sandbox_result *res, struct vns_err *err);

#endif
