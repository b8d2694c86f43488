/* Unit tests for lib/preload.c: which tables are read, in what order
 * under a budget, across a stub's shards (remote ones skipped), the stop
 * flag, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload.h"

struct fixture {
    char dir[64];
    char path[256];
};

/* path = dir/name, holding n bytes */
static void put(const char *dir, const char *name, size_t n)
{
    char p[512];
    FILE *f;

    assert_true(snprintf(p, sizeof(p), "%s/%s", dir, name) < (int)sizeof(p));
    f = fopen(p, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(fputc((int)(i % 251), f), EOF);
    assert_int_equal(fclose(f), 0);
}

static void sub(char *out, size_t cap, const char *dir, const char *name)
{
    assert_true(snprintf(out, cap, "%s/%s", dir, name) < (int)cap);
    assert_int_equal(mkdir(out, 0755), 0);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    strcpy(fx->dir, "/tmp/vns-test-preload-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* One database: the postings and the document data, not the term lists
 * nor the other files. */
static void test_tables(void **state)
{
    struct fixture *fx = *state;
    struct vns_preload_stats st;
    struct vns_err err = {0};

    sub(fx->path, sizeof(fx->path), fx->dir, "one");
    put(fx->path, "postlist.glass", (3u << 20) + 17);
    put(fx->path, "docdata.glass", 1000);
    put(fx->path, "termlist.glass", 2u << 20);
    put(fx->path, "iamglass", 100);
    assert_int_equal(vns_preload_index(fx->path, UINT64_MAX, NULL, &st, &err),
                     VNS_OK);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.bytes, (3u << 20) + 17 + 1000);
    assert_int_equal(st.unreadable, 0);
    /* the budget ends the reading inside the first table */
    assert_int_equal(
        vns_preload_index(fx->path, (1u << 20) + 5, NULL, &st, &err), VNS_OK);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.bytes, (1u << 20) + 5);
}

/* A stub: every local shard's postings before any shard's document data;
 * the remote shard is not connected to. */
static void test_stub(void **state)
{
    struct fixture *fx = *state;
    struct vns_preload_stats st;
    struct vns_err err = {0};
    char s0[256], s1[256], stub[300];
    FILE *f;

    sub(fx->path, sizeof(fx->path), fx->dir, "sh");
    sub(s0, sizeof(s0), fx->path, "s0");
    sub(s1, sizeof(s1), fx->path, "s1");
    put(s0, "postlist.glass", 100);
    put(s0, "docdata.glass", 10);
    put(s1, "postlist.glass", 200);
    snprintf(stub, sizeof(stub), "%s/XAPIANDB", fx->path);
    f = fopen(stub, "w");
    assert_non_null(f);
    fputs("auto s0\n# a comment\nremote tcp 127.0.0.1 1\nauto s1\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(vns_preload_index(fx->path, 250, NULL, &st, &err), VNS_OK);
    assert_int_equal(st.files, 2); /* both postings, s0's data not reached */
    assert_int_equal(st.bytes, 250);
    assert_int_equal(vns_preload_index(stub, 1000, NULL, &st, &err), VNS_OK);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.bytes, 310);
}

/* Stopped before it starts: nothing read. */
static void test_stop(void **state)
{
    struct fixture *fx = *state;
    struct vns_preload_stats st;
    struct vns_err err = {0};
    atomic_int stop;

    atomic_init(&stop, 1);
    sub(fx->path, sizeof(fx->path), fx->dir, "stopped");
    put(fx->path, "postlist.glass", 4096);
    assert_int_equal(vns_preload_index(fx->path, UINT64_MAX, &stop, &st, &err),
                     VNS_OK);
    assert_int_equal(st.files, 0);
    assert_int_equal(st.bytes, 0);
}

/* No index: an error naming the path; a table that is not a file is
 * counted and skipped; a stub that does not parse is its error. */
static void test_errors(void **state)
{
    struct fixture *fx = *state;
    struct vns_preload_stats st;
    struct vns_err err = {0};
    char p[300];

    snprintf(p, sizeof(p), "%s/none", fx->dir);
    assert_int_equal(vns_preload_index(p, 100, NULL, &st, &err), VNS_EIO);
    assert_non_null(strstr(err.msg, "/none"));

    sub(fx->path, sizeof(fx->path), fx->dir, "odd");
    sub(p, sizeof(p), fx->path, "postlist.glass");
    put(fx->path, "docdata.glass", 50);
    assert_int_equal(vns_preload_index(fx->path, 100, NULL, &st, &err), VNS_OK);
    assert_int_equal(st.unreadable, 1);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.bytes, 50);

    snprintf(p, sizeof(p), "%s/stub", fx->dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("this is not a stub line\n", f);
    assert_int_equal(fclose(f), 0);
    err = (struct vns_err){0};
    assert_int_not_equal(vns_preload_index(p, 100, NULL, &st, &err), VNS_OK);
    assert_non_null(strstr(err.msg, "stub"));
}

static void test_default_budget(void **state)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

    (void)state;
    assert_true(pages > 0 && size > 0);
    assert_int_equal(vns_preload_default_budget(),
                     (uint64_t)pages * (uint64_t)size / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stub, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test(test_default_budget),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
