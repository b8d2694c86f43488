/* vns_crawl_paths on a small tree: files new, changed and gone, folders
 * walked and gone, what a walk would skip, nested paths read once. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "vnsearch/crawl.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];
static char root[128];
static struct vns_index *ix;
static const char *roots[1];

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int put(const char *rel, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "THÔNG BÁO\nKết luận về %s.\n", text);
    return fclose(f);
}

static int has(const char *id)
{
    char *meta = NULL;
    int rc = vns_index_doc_meta(ix, id, &meta, NULL);

    free(meta);
    return rc == VNS_OK;
}

static int run(const struct vns_crawl_path *p, size_t n, int force,
               struct vns_crawl_stats *st)
{
    struct vns_crawl_opts o = {0};

    o.roots = roots;
    o.nroots = 1;
    o.jobs = 1;
    o.force = force;
    return vns_crawl_paths(ix, &o, p, n, st, NULL);
}

/* root/{a.txt, .hidden.txt, x.txt, x.txt.meta.json, sub/c.txt,
 * sub/skip.txt, sub/deep/d.txt, sub2/e.txt, link -> sub}, crawled; sub's
 * .vnsearch-ignore lists "skip*". */
static int setup(void **state)
{
    struct vns_crawl_opts o = {0};
    struct vns_crawl_stats st;
    char path[512], link[512];
    FILE *f;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/vns-test-crawl-XXXXXX");
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    snprintf(root, sizeof(root), "%s/root", dir);
    roots[0] = root;
    if (mkdir(root, 0755) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/sub", root);
    if (mkdir(path, 0755) != 0)
        return -1;
    snprintf(link, sizeof(link), "%s/link", root);
    if (symlink(path, link) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/sub/deep", root);
    if (mkdir(path, 0755) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/sub2", root);
    if (mkdir(path, 0755) != 0)
        return -1;
    if (put("a.txt", "alpha") || put(".hidden.txt", "hidden") ||
        put("x.txt", "xray") || put("sub/c.txt", "charlie") ||
        put("sub/skip.txt", "skip") || put("sub/deep/d.txt", "delta") ||
        put("sub2/e.txt", "echo"))
        return -1;
    snprintf(path, sizeof(path), "%s/x.txt.meta.json", root);
    f = fopen(path, "w");
    if (f == NULL || fputs("{\"province\": \"Trà Vinh\"}", f) < 0 ||
        fclose(f) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/sub/.vnsearch-ignore", root);
    f = fopen(path, "w");
    if (f == NULL || fputs("skip*\n", f) < 0 || fclose(f) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/db", dir);
    if (vns_index_open(path, VNS_INDEX_WRITE, &ix, NULL) != VNS_OK)
        return -1;
    o.roots = roots;
    o.nroots = 1;
    o.jobs = 1;
    return vns_crawl(ix, &o, &st, NULL) == VNS_OK && st.added == 5 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vns_index_close(ix);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void test_files(void **state)
{
    struct vns_crawl_path p[] = {{0, "n.txt"}, {0, "a.txt"}};
    struct vns_crawl_stats st;
    char path[512];

    (void)state;
    assert_int_equal(put("n.txt", "november"), 0);
    snprintf(path, sizeof(path), "%s/a.txt", root);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(run(p, N(p), 0, &st), VNS_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.removed, 1);
    assert_true(has("n.txt"));
    assert_false(has("a.txt"));
    /* unchanged: not read again */
    assert_int_equal(run(p, 1, 0, &st), VNS_OK);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.added + st.updated, 0);
}

static void test_folders(void **state)
{
    struct vns_crawl_path p[] = {{0, "sub"}};
    struct vns_crawl_stats st;
    char path[512];

    (void)state;
    snprintf(path, sizeof(path), "%s/sub", root);
    assert_int_equal(nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
    assert_int_equal(run(p, N(p), 0, &st), VNS_OK);
    assert_int_equal(st.removed, 2);
    assert_false(has("sub/c.txt"));
    assert_false(has("sub/deep/d.txt"));
    /* "sub2/..." is not under "sub" */
    assert_true(has("sub2/e.txt"));
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(put("sub/f.txt", "foxtrot"), 0);
    assert_int_equal(run(p, N(p), 0, &st), VNS_OK);
    assert_int_equal(st.added, 1);
    assert_true(has("sub/f.txt"));
}

/* Paths a walk would not reach add nothing, and lose their documents. */
static void test_out_of_walk(void **state)
{
    static const char *const rels[] = {
        ".hidden.txt",     /* hidden */
        "sub/skip.txt",    /* in sub/.vnsearch-ignore */
        "link/c.txt",      /* under a link to a folder */
        "x.txt.meta.json", /* a sidecar */
        "missing.txt",     /* gone */
    };
    struct vns_crawl_path p = {0, "sub/c.txt"};
    struct vns_crawl_stats st;
    char path[512];
    FILE *f;

    (void)state;
    for (size_t i = 0; i < N(rels); i++) {
        struct vns_crawl_path q = {0, rels[i]};
        assert_int_equal(run(&q, 1, 0, &st), VNS_OK);
        assert_int_equal(st.total, 0);
        assert_int_equal(st.added + st.removed + st.failed, 0);
    }
    /* a name the folder's .vnsearch-ignore lists now: out */
    snprintf(path, sizeof(path), "%s/sub/.vnsearch-ignore", root);
    f = fopen(path, "a");
    assert_non_null(f);
    fputs("c.txt\n", f);
    fclose(f);
    assert_int_equal(run(&p, 1, 0, &st), VNS_OK);
    assert_int_equal(st.removed, 1);
    assert_false(has("sub/c.txt"));
    assert_true(has("sub/deep/d.txt"));
}

/* Repeated and nested paths: each file once; "" is the whole root. */
static void test_nested(void **state)
{
    struct vns_crawl_path p[] = {
        {0, "sub/deep/d.txt"}, {0, "sub"}, {0, "sub/c.txt"}, {0, "sub"}};
    struct vns_crawl_path all[] = {{0, "x.txt"}, {0, ""}};
    struct vns_crawl_stats st;

    (void)state;
    assert_int_equal(run(p, N(p), 1, &st), VNS_OK);
    assert_int_equal(st.total, 2);
    assert_int_equal(st.updated + st.unchanged, 2);
    assert_int_equal(run(all, N(all), 1, &st), VNS_OK);
    assert_int_equal(st.total, 5);
    /* and a root that is not there is reported, nothing removed */
    roots[0] = "/nonexistent/vns-test";
    assert_int_equal(run(all, N(all), 0, &st), VNS_OK);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.removed, 0);
    roots[0] = root;
    assert_true(has("x.txt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
