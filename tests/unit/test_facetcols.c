/* Facet columns against a real database: the counts of a match told
 * through the shim's spy equal Xapian's own count of the slots, documents
 * without values count nowhere, ties go by value, and a document newer
 * than the columns is reported rather than miscounted. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "facetcols.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned slots[] = {2, 5};

struct fixture {
    char dir[64];
    struct vns_xdb *db;
};

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Document i holds term "t" (and "u" when odd), a province and a type
 * when given. */
static void add(struct vns_xdb *db, size_t i, const char *province,
                const char *type)
{
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    uint32_t docid;
    char id[16];

    snprintf(id, sizeof(id), "Q%zu", i);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_add_posting(doc, "t", 1, 1, &err), VNS_OK);
    if (i % 2)
        assert_int_equal(vns_xdoc_add_posting(doc, "u", 1, 2, &err), VNS_OK);
    if (province)
        assert_int_equal(
            vns_xdoc_set_value(doc, 2, province, strlen(province), &err),
            VNS_OK);
    if (type)
        assert_int_equal(vns_xdoc_set_value(doc, 5, type, strlen(type), &err),
                         VNS_OK);
    assert_int_equal(vns_xdb_replace(db, id, doc, &docid, &err), VNS_OK);
    vns_xdoc_free(doc);
}

static const struct {
    const char *province, *type;
} docs[] = {
    {"Lào Cai", "QĐ"},  {"Hà Giang", "TB"}, {"Lào Cai", "TB"}, {NULL, NULL},
    {"Hà Giang", "TB"}, {"An Giang", NULL}, {"Lào Cai", "KH"}, {NULL, "TB"},
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct vns_err err = {0};

    if (fx == NULL)
        return -1;
    strcpy(fx->dir, "/tmp/vns-test-facetcols-XXXXXX");
    if (mkdtemp(fx->dir) == NULL ||
        vns_xdb_open(fx->dir, VNS_XDB_WRITE, &fx->db, &err) != VNS_OK) {
        free(fx);
        return -1;
    }
    for (size_t i = 0; i < N(docs); i++)
        add(fx->db, i, docs[i].province, docs[i].type);
    if (vns_xdb_commit(fx->db, &err) != VNS_OK)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    vns_xdb_close(fx->db);
    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

#define TERM(s)                                                                \
    (&(const struct vns_xq){                                                   \
        .op = VNS_XQ_TERM, .term = (s), .term_len = sizeof(s) - 1})

static void drop(struct vns_facet *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->counts[i].value);
    free(f->counts);
    *f = (struct vns_facet){0};
}

/* Facet f of a spied match equals facet f as Xapian counts the slots. */
static void same_counts(const struct vns_facettally *t,
                        const struct vns_xresults *xr, size_t f)
{
    struct vns_facet got = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_facettally_take(t, f, &got, &err), VNS_OK);
    assert_int_equal(got.n, xr->facets[f].n);
    for (size_t i = 0; i < got.n; i++) {
        assert_string_equal(got.counts[i].value, xr->facets[f].counts[i].value);
        assert_int_equal(got.counts[i].count, xr->facets[f].counts[i].count);
    }
    drop(&got);
}

static void match(struct vns_xdb *db, const struct vns_xq *q,
                  const struct vns_xspy *spy, struct vns_xresults *out)
{
    struct vns_xsearch xs = {.limit = 10,
                             .sort_slot = -1,
                             .facet_slots = slots,
                             .nfacets = N(slots),
                             .spy = spy};
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_run(db, q, &xs, out, &err), VNS_OK);
    assert_int_equal(out->spied, spy != NULL);
}

static void test_counts_as_xapian(void **state)
{
    struct fixture *fx = *state;
    struct vns_facetcols *c = NULL;
    struct vns_facettally t = {0};
    struct vns_xspy spy = {vns_facettally_begin, vns_facettally_add, &t};
    struct vns_err err = {0};
    const struct vns_xq *qs[] = {TERM("t"), TERM("u")};

    assert_int_equal(vns_facetcols_new(fx->db, slots, N(slots), &c, &err),
                     VNS_OK);
    assert_int_equal(vns_facettally_init(&t, c, &err), VNS_OK);
    for (size_t k = 0; k < N(qs); k++) {
        struct vns_xresults spied = {0}, slotwise = {0};
        match(fx->db, qs[k], &spy, &spied);
        match(fx->db, qs[k], NULL, &slotwise);
        assert_int_equal(spied.nfacets, 0);
        assert_int_equal(t.failed, 0);
        for (size_t f = 0; f < N(slots); f++)
            same_counts(&t, &slotwise, f);
        /* the spied match counts in a pass of its own: the page and the
         * totals are those of the one pass that counts slot by slot */
        assert_int_equal(spied.n, slotwise.n);
        for (size_t i = 0; i < spied.n; i++) {
            assert_int_equal(spied.hits[i].docid, slotwise.hits[i].docid);
            assert_true(spied.hits[i].score == slotwise.hits[i].score);
        }
        assert_int_equal(spied.estimate, slotwise.estimate);
        assert_int_equal(spied.lower, slotwise.lower);
        assert_int_equal(spied.upper, slotwise.upper);
        vns_xresults_fini(&spied);
        vns_xresults_fini(&slotwise);
    }
    vns_facettally_fini(&t);
    vns_facetcols_free(c);
}

static void test_order_and_absent(void **state)
{
    struct fixture *fx = *state;
    struct vns_facetcols *c = NULL;
    struct vns_facettally t = {0};
    struct vns_xspy spy = {vns_facettally_begin, vns_facettally_add, &t};
    struct vns_xresults xr = {0};
    struct vns_facet p = {0}, ty = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_facetcols_new(fx->db, slots, N(slots), &c, &err),
                     VNS_OK);
    assert_int_equal(vns_facettally_init(&t, c, &err), VNS_OK);
    match(fx->db, TERM("t"), &spy, &xr);
    assert_int_equal(vns_facettally_take(&t, 0, &p, &err), VNS_OK);
    assert_int_equal(vns_facettally_take(&t, 1, &ty, &err), VNS_OK);
    /* 3 Lào Cai, 2 Hà Giang, 1 An Giang; two documents have none */
    assert_int_equal(p.n, 3);
    assert_string_equal(p.counts[0].value, "Lào Cai");
    assert_int_equal(p.counts[0].count, 3);
    assert_string_equal(p.counts[2].value, "An Giang");
    assert_int_equal(p.counts[2].count, 1);
    /* TB 4, then KH and QĐ 1 each, by value */
    assert_int_equal(ty.n, 3);
    assert_string_equal(ty.counts[0].value, "TB");
    assert_string_equal(ty.counts[1].value, "KH");
    assert_string_equal(ty.counts[2].value, "QĐ");
    /* a facet past the columns' is empty */
    drop(&p);
    assert_int_equal(vns_facettally_take(&t, 3, &p, &err), VNS_OK);
    assert_int_equal(p.n, 0);
    drop(&ty);
    /* a second match starts from zero */
    vns_xresults_fini(&xr);
    match(fx->db, TERM("u"), &spy, &xr);
    assert_int_equal(vns_facettally_take(&t, 1, &ty, &err), VNS_OK);
    assert_int_equal(ty.n, 1);
    assert_int_equal(ty.counts[0].count, 2); /* TB: documents 1 and 7 */
    drop(&ty);
    vns_xresults_fini(&xr);
    vns_facettally_fini(&t);
    vns_facetcols_free(c);
}

/* Columns read before a commit know neither the new document nor the new
 * revision: the tally says so instead of counting it nowhere. */
static void test_newer_document(void **state)
{
    struct fixture *fx = *state;
    struct vns_facetcols *c = NULL;
    struct vns_facettally t = {0};
    struct vns_xspy spy = {vns_facettally_begin, vns_facettally_add, &t};
    struct vns_xresults xr = {0};
    struct vns_err err = {0};
    uint64_t rev = 0;

    assert_int_equal(vns_facetcols_new(fx->db, slots, N(slots), &c, &err),
                     VNS_OK);
    add(fx->db, 100, "Lào Cai", "TB");
    assert_int_equal(vns_xdb_commit(fx->db, &err), VNS_OK);
    assert_int_equal(vns_xdb_revision(fx->db, &rev, &err), VNS_OK);
    assert_true(rev != vns_facetcols_revision(c));
    assert_int_equal(vns_facettally_init(&t, c, &err), VNS_OK);
    match(fx->db, TERM("t"), &spy, &xr);
    assert_int_equal(t.failed, 1);
    vns_xresults_fini(&xr);
    vns_facettally_fini(&t);
    vns_facetcols_free(c);
}

static void test_bad_arguments(void **state)
{
    struct fixture *fx = *state;
    struct vns_facetcols *c = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_facetcols_new(fx->db, slots, 0, &c, &err), VNS_EINVAL);
    assert_null(c);
    vns_facetcols_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_as_xapian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_and_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
