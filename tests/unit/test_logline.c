/* Log lines: logfmt fields quoted and escaped, the text form, levels, and
 * a hostile value (newline, quote, control bytes) kept on one line. */
#include "logline.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Runs one vns_log through a pipe; the bytes written go into out. */
static void capture(enum vns_log_level max, enum vns_log_format fmt,
                    enum vns_log_level level, const char *msg, const char *k1,
                    const char *v1, const char *k2, const char *v2, char *out,
                    size_t cap)
{
    int fds[2];
    ssize_t n;

    assert_int_equal(pipe(fds), 0);
    vns_log_setup("vnsearch-test", max, fmt, fds[1]);
    vns_log(level, msg, k1, v1, k2, v2, (const char *)NULL);
    close(fds[1]);
    n = read(fds[0], out, cap - 1);
    close(fds[0]);
    out[n > 0 ? n : 0] = '\0';
    vns_log_setup("vnsearch-test", VNS_LOG_INFO, VNS_LOG_TEXT, STDERR_FILENO);
}

static void test_logfmt(void **state)
{
    char line[4096];
    const char *rest;

    (void)state;
    capture(VNS_LOG_INFO, VNS_LOG_LOGFMT, VNS_LOG_ERROR, "cannot read", "file",
            "a b/c.txt", "status", "500", line, sizeof(line));
    assert_memory_equal(line, "ts=", 3);
    rest = strstr(line, "Z level=");
    assert_non_null(rest);
    assert_string_equal(rest, "Z level=error prog=vnsearch-test "
                              "msg=\"cannot read\" file=\"a b/c.txt\" "
                              "status=500\n");
}

static void test_hostile_value(void **state)
{
    char line[4096];

    (void)state;
    capture(VNS_LOG_DEBUG, VNS_LOG_LOGFMT, VNS_LOG_WARN, "x", "file",
            "evil\nts=0 level=error msg=\"forged\"\x01", NULL, NULL, line,
            sizeof(line));
    assert_non_null(strstr(line, " file=\"evil\\x0ats=0 level=error "
                                 "msg=\\\"forged\\\"\\x01\"\n"));
    /* one line: the only newline ends it */
    assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
}

static void test_text(void **state)
{
    char line[4096];

    (void)state;
    capture(VNS_LOG_INFO, VNS_LOG_TEXT, VNS_LOG_WARN, "bad UTF-8 replaced",
            "file", "d/a.txt", "count", "3", line, sizeof(line));
    assert_string_equal(line, "vnsearch-test: d/a.txt: warning: bad UTF-8 "
                              "replaced count=3\n");
    /* a NULL value leaves its pair out */
    capture(VNS_LOG_INFO, VNS_LOG_TEXT, VNS_LOG_INFO, "stopped", "signal", NULL,
            "file", NULL, line, sizeof(line));
    assert_string_equal(line, "vnsearch-test: stopped\n");
}

static void test_levels(void **state)
{
    char line[64];
    enum vns_log_level lv;
    enum vns_log_format fm;
    struct vns_err err = {0};

    (void)state;
    capture(VNS_LOG_WARN, VNS_LOG_TEXT, VNS_LOG_INFO, "request", NULL, NULL,
            NULL, NULL, line, sizeof(line));
    assert_string_equal(line, "");
    capture(VNS_LOG_ERROR, VNS_LOG_TEXT, VNS_LOG_ERROR, "boom", NULL, NULL,
            NULL, NULL, line, sizeof(line));
    assert_string_equal(line, "vnsearch-test: boom\n");
    assert_int_equal(vns_log_parse_level("debug", &lv, &err), VNS_OK);
    assert_int_equal(lv, VNS_LOG_DEBUG);
    assert_int_equal(vns_log_parse_level("DEBUG", &lv, &err), VNS_EINVAL);
    assert_non_null(strstr(err.msg, "error, warn, info or debug"));
    assert_int_equal(vns_log_parse_format("logfmt", &fm, &err), VNS_OK);
    assert_int_equal(fm, VNS_LOG_LOGFMT);
    assert_int_equal(vns_log_parse_format("json", &fm, &err), VNS_EINVAL);
}

static void test_long_line_cut(void **state)
{
    static char big[10000], line[16384];

    (void)state;
    memset(big, 'a', sizeof(big) - 1);
    capture(VNS_LOG_INFO, VNS_LOG_LOGFMT, VNS_LOG_INFO, "long", "file", big,
            NULL, NULL, line, sizeof(line));
    assert_true(strlen(line) <= 2048);
    assert_int_equal(line[strlen(line) - 1], '\n');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logfmt),
        cmocka_unit_test(test_hostile_value),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_long_line_cut),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
