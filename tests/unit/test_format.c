/* The index's layout stamp: a reader refuses an index built by another
 * version with a message that says how to rebuild it; an indexing run
 * refuses it too unless forced, and a forced run makes it readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "index_impl.h"
#include "vnsearch/crawl.h"
#include "vnsearch/index.h"
#include "xapian.h"

static void test_old_layout(void **state)
{
    char dir[] = "/tmp/vns-test-format-XXXXXX", cmd[64];
    const char *roots[] = {"corpus"};
    struct vns_crawl_opts o = {.roots = roots, .nroots = 1, .jobs = 1};
    struct vns_crawl_stats st;
    struct vns_err err = {0};
    struct vns_xdb *db = NULL;
    struct vns_xdoc *doc = NULL;
    struct vns_index *ix = NULL;

    (void)state;
    assert_int_equal(setenv("VNSEARCH_DATA_DIR", "data", 0), 0);
    assert_non_null(mkdtemp(dir));
    /* an index of another layout: a document and no stamp */
    assert_int_equal(vns_xdb_open(dir, VNS_XDB_WRITE, &db, &err), VNS_OK);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_add_term(doc, "mui", 3, 1, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(db, "Qold.txt", doc, NULL, &err), VNS_OK);
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    vns_xdoc_free(doc);
    vns_xdb_close(db);

    assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &ix, &err),
                     VNS_EINDEX);
    assert_non_null(strstr(err.msg, "vnsearch-index --force"));
    assert_int_equal(vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err), VNS_OK);
    assert_int_equal(vns_crawl(ix, &o, &st, &err), VNS_EINDEX);
    o.force = 1;
    assert_int_equal(vns_crawl(ix, &o, &st, &err), VNS_OK);
    vns_index_close(ix);
    ix = NULL;
    assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &ix, &err), VNS_OK);
    vns_index_close(ix);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_layout),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
