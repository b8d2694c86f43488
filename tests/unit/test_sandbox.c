/* Unit tests for lib/sandbox.c: children that loop, sleep, allocate or
 * print too much are stopped, and the caller never notices SIGPIPE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define MiB (1024u * 1024)
/* The file the FSIZE case tries to write to; removed afterwards. */
#define FSIZE_FILE "/tmp/vns-test-sandbox-fsize"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_runs(void **state)
{
    static const char big_input[] = "x";
    static const struct {
        const char *what;
        const char *argv[6];
        const char *input;
        struct vns_sandbox_limits lim;
        enum vns_sandbox_end end;
        int code;
        const char *out;    /* stdout exactly, or NULL */
        size_t out_len;     /* with out == NULL: its length */
        const char *errtxt; /* in stderr, or NULL */
        double max_seconds;
    } cases[] = {
        {"stdin to stdout",
         {"cat", NULL},
         "Thông báo\n",
         {0, 0, 1024, 5000},
         VNS_SANDBOX_EXITED,
         0,
         "Thông báo\n",
         0,
         NULL,
         5},
        {"exit code and stderr",
         {"sh", "-c", "echo 'Syntax Error: bad xref' >&2; exit 3", NULL},
         NULL,
         {0, 0, 1024, 5000},
         VNS_SANDBOX_EXITED,
         3,
         "",
         0,
         "Syntax Error: bad xref\n",
         5},
        {"a loop is killed by the CPU limit",
         {"sh", "-c", "while :; do :; done", NULL},
         NULL,
         {1, 0, 1024, 20000},
         VNS_SANDBOX_SIGNALED,
         SIGXCPU,
         "",
         0,
         NULL,
         10},
        {"a sleeper is killed at the timeout",
         {"sleep", "30", NULL},
         NULL,
         {0, 0, 1024, 300},
         VNS_SANDBOX_TIMEOUT,
         SIGKILL,
         "",
         0,
         NULL,
         5},
        {"its children too",
         {"sh", "-c", "sleep 30 & sleep 30; wait", NULL},
         NULL,
         {0, 0, 1024, 300},
         VNS_SANDBOX_TIMEOUT,
         SIGKILL,
         "",
         0,
         NULL,
         5},
        {"too much output is cut",
         {"yes", "Thông báo", NULL},
         NULL,
         {0, 0, 64 * 1024, 5000},
         VNS_SANDBOX_CUT,
         SIGKILL,
         NULL,
         64 * 1024,
         NULL,
         5},
        {"an allocation over RLIMIT_AS fails",
         {"python3", "-c", "b = bytearray(1 << 30)", NULL},
         NULL,
         {10, 256 * MiB, 1024, 10000},
         VNS_SANDBOX_EXITED,
         1,
         "",
         0,
         "MemoryError",
         10},
        {"a child that stops reading its input",
         {"head", "-c", "4", NULL},
         big_input,
         {0, 0, 1024, 5000},
         VNS_SANDBOX_EXITED,
         0,
         "xxxx",
         0,
         NULL,
         5},
        {"no file writes (RLIMIT_FSIZE 0)",
         {"sh", "-c", "printf x > " FSIZE_FILE, NULL},
         NULL,
         {0, 0, 1024, 5000},
         VNS_SANDBOX_SIGNALED,
         SIGXFSZ,
         "",
         0,
         NULL,
         5},
    };
    char *input = malloc(4 * MiB);

    (void)state;
    assert_non_null(input);
    memset(input, 'x', 4 * MiB);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_sandbox_result res = {0};
        struct vns_err err = {0};
        struct timespec t0;
        const char *in = cases[i].input;
        size_t inlen = in != NULL ? strlen(in) : 0;
        double took;

        if (in == big_input) { /* 4 MiB, far past the socket buffers */
            in = input;
            inlen = 4 * MiB;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (vns_sandbox_run(cases[i].argv, in, inlen, &cases[i].lim, &res,
                            &err) != VNS_OK)
            fail_msg("%s: %s", cases[i].what, err.msg);
        took = seconds_since(&t0);
        if (res.end != cases[i].end || res.code != cases[i].code)
            fail_msg("%s: ended %d with %d, want %d with %d (stderr: %s)",
                     cases[i].what, res.end, res.code, cases[i].end,
                     cases[i].code, res.errtext);
        if (cases[i].out != NULL)
            assert_string_equal(res.out, cases[i].out);
        else
            assert_int_equal(res.out_len, cases[i].out_len);
        if (cases[i].errtxt != NULL &&
            strstr(res.errtext, cases[i].errtxt) == NULL)
            fail_msg("%s: stderr \"%s\" lacks \"%s\"", cases[i].what,
                     res.errtext, cases[i].errtxt);
        if (took > cases[i].max_seconds)
            fail_msg("%s: took %.1f s", cases[i].what, took);
        vns_sandbox_result_fini(&res);
    }
    unlink(FSIZE_FILE);
    free(input);
}

/* No shell: a command line is one program name, not words to split. */
static void test_not_found(void **state)
{
    static const struct {
        const char *prog, *msg;
    } cases[] = {
        {"vns-no-such-program", "vns-no-such-program: program not found"},
        {"/nonexistent/pdftotext", "/nonexistent/pdftotext: program not found"},
        {"cat /etc/passwd", "cat /etc/passwd: program not found"},
        {"/etc", "/etc: program not found"},
    };
    static const struct vns_sandbox_limits lim = {0, 0, 1024, 1000};

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[] = {cases[i].prog, NULL};
        struct vns_sandbox_result res = {.out_len = 42};
        struct vns_err err = {0};

        assert_int_equal(vns_sandbox_run(argv, NULL, 0, &lim, &res, &err),
                         VNS_ENOTFOUND);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(res.out_len, 42); /* untouched */
    }
}

/* Only the end of a long stderr is kept: poppler says why last. */
static void test_stderr_tail(void **state)
{
    static const char *const argv[] = {
        "sh", "-c",
        "i=0; while [ $i -lt 2000 ]; do echo \"Syntax Error ($i): noise\" >&2;"
        " i=$((i+1)); done; echo 'Syntax Error: the reason' >&2; exit 1",
        NULL};
    static const struct vns_sandbox_limits lim = {0, 0, 1024, 10000};
    struct vns_sandbox_result res = {0};
    struct vns_err err = {0};
    size_t n;

    (void)state;
    assert_int_equal(vns_sandbox_run(argv, NULL, 0, &lim, &res, &err), VNS_OK);
    assert_int_equal(res.code, 1);
    n = strlen(res.errtext);
    assert_true(n > 0 && n < 4096);
    assert_string_equal(res.errtext + n - strlen("the reason\n"),
                        "the reason\n");
    vns_sandbox_result_fini(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_stderr_tail),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
