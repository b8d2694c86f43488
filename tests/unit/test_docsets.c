/* Document sets against a real database: every tree they work out
 * matches exactly the documents Xapian's own match finds, a second time
 * from the kept bitmaps too, also when the budget keeps only a few;
 * value ranges follow byte order and leave documents without a value
 * out; trees of positions are refused; a document newer than the sets is
 * reported rather than missed; reading stops at the time limit. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "docsets.h"

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
#define NDOCS 3000u
#define DATE_SLOT 7u

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

static void post(struct vns_xdoc *doc, const char *term)
{
    struct vns_err err = {0};

    assert_int_equal(vns_xdoc_add_posting(doc, term, strlen(term), 1, &err),
                     VNS_OK);
}

/* Document i: "a" always, "b" when i % 3 == 0, "c" when i % 97 == 0 (rare:
 * never kept), "d" when i % 2, "e" + i % 7 (seven frequent terms), and a
 * date in slot 7 but for every tenth. */
static void add(struct vns_xdb *db, size_t i)
{
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    uint32_t docid;
    char id[16], e[8], date[16];

    snprintf(id, sizeof(id), "Q%zu", i);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    post(doc, "a");
    if (i % 3 == 0)
        post(doc, "b");
    if (i % 97 == 0)
        post(doc, "c");
    if (i % 2)
        post(doc, "d");
    snprintf(e, sizeof(e), "e%zu", i % 7);
    post(doc, e);
    if (i % 10 != 0) {
        snprintf(date, sizeof(date), "2021-%02zu-%02zu", 1 + i % 12,
                 1 + i % 28);
        assert_int_equal(
            vns_xdoc_set_value(doc, DATE_SLOT, date, strlen(date), &err),
            VNS_OK);
    }
    assert_int_equal(vns_xdb_replace(db, id, doc, &docid, &err), VNS_OK);
    vns_xdoc_free(doc);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct vns_err err = {0};

    if (fx == NULL)
        return -1;
    strcpy(fx->dir, "/tmp/vns-test-docsets-XXXXXX");
    if (mkdtemp(fx->dir) == NULL ||
        vns_xdb_open(fx->dir, VNS_XDB_WRITE, &fx->db, &err) != VNS_OK) {
        free(fx);
        return -1;
    }
    for (size_t i = 0; i < NDOCS; i++)
        add(fx->db, i);
    /* a gap in the ids, and a document without "a" */
    assert_int_equal(vns_xdb_delete(fx->db, "Q5", &err), VNS_OK);
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
#define JOIN(o, ...)                                                           \
    (&(const struct vns_xq){                                                   \
        .op = (o),                                                             \
        .kids = (const struct vns_xq *const[]){__VA_ARGS__},                   \
        .nkids = N(((const struct vns_xq *const[]){__VA_ARGS__}))})
#define RANGE(l, h)                                                            \
    (&(const struct vns_xq){                                                   \
        .op = VNS_XQ_VALUE_RANGE, .slot = DATE_SLOT, .lo = (l), .hi = (h)})
#define LEAF(o) (&(const struct vns_xq){.op = (o)})

/* The documents Xapian's match finds for q, as a bitmap of words words. */
static uint64_t *by_xapian(struct vns_xdb *db, const struct vns_xq *q,
                           size_t words)
{
    struct vns_xsearch xs = {
        .limit = NDOCS + 10, .sort_slot = -1, .no_data = 1};
    struct vns_xresults xr = {0};
    struct vns_err err = {0};
    uint64_t *bits = calloc(words, sizeof(*bits));

    assert_non_null(bits);
    assert_int_equal(vns_xdb_run(db, q, &xs, &xr, &err), VNS_OK);
    for (size_t i = 0; i < xr.n; i++) {
        assert_true(xr.hits[i].docid / 64 < words);
        bits[xr.hits[i].docid / 64] |= (uint64_t)1 << (xr.hits[i].docid % 64);
    }
    vns_xresults_fini(&xr);
    return bits;
}

static size_t count(const uint64_t *bits, size_t words)
{
    size_t n = 0;

    for (size_t i = 0; i < words; i++)
        n += (size_t)__builtin_popcountll(bits[i]);
    return n;
}

/* q's set, worked out, equals Xapian's; it holds expect documents. */
static void same_as_xapian(struct vns_docsets *s, struct vns_xdb *db,
                           const struct vns_xq *q, size_t expect)
{
    size_t words = vns_docsets_words(s);
    uint64_t *want = by_xapian(db, q, words), *got = NULL;
    struct vns_err err = {0};

    assert_true(vns_docsets_can(q));
    assert_int_equal(vns_docsets_match(s, db, q, 0, &got, &err), VNS_OK);
    assert_memory_equal(got, want, words * sizeof(*got));
    assert_int_equal(count(got, words), expect);
    free(got);
    free(want);
}

/* n = how many documents i in [0, NDOCS), but 5 (deleted), cond holds
 * for. */
#define HOW_MANY(n, cond)                                                      \
    do {                                                                       \
        (n) = 0;                                                               \
        for (size_t i = 0; i < NDOCS; i++)                                     \
            (n) += i != 5 && (cond);                                           \
    } while (0)

static size_t in_range(size_t i, int lo_month, int hi_month)
{
    int month = (int)(1 + i % 12);

    return i % 10 != 0 && month >= lo_month && month <= hi_month;
}

static void trees(struct vns_docsets *s, struct vns_xdb *db)
{
    size_t n;

    same_as_xapian(s, db, TERM("a"), NDOCS - 1);
    HOW_MANY(n, i % 97 == 0);
    same_as_xapian(s, db, TERM("c"), n);
    same_as_xapian(s, db, TERM("nowhere"), 0);
    HOW_MANY(n, i % 3 == 0 || i % 97 == 0);
    same_as_xapian(s, db, JOIN(VNS_XQ_OR, TERM("b"), TERM("c")), n);
    HOW_MANY(n, i % 3 == 0 && i % 2 && i % 7 == 1);
    same_as_xapian(s, db, JOIN(VNS_XQ_AND, TERM("b"), TERM("d"), TERM("e1")),
                   n);
    HOW_MANY(n, i % 3 == 0 && i % 97 == 0);
    same_as_xapian(s, db, JOIN(VNS_XQ_AND, TERM("b"), TERM("c")), n);
    HOW_MANY(n, i % 3 != 0 && i % 97 != 0);
    same_as_xapian(s, db, JOIN(VNS_XQ_AND_NOT, TERM("a"), TERM("b"), TERM("c")),
                   n);
    HOW_MANY(n, (i % 3 == 0 && i % 7 == 2) || (i % 7 == 3 && i % 2 == 0) ||
                    i % 97 == 0);
    same_as_xapian(s, db,
                   JOIN(VNS_XQ_OR, JOIN(VNS_XQ_AND, TERM("b"), TERM("e2")),
                        JOIN(VNS_XQ_AND_NOT, TERM("e3"), TERM("d")),
                        JOIN(VNS_XQ_SYNONYM, TERM("c"), TERM("nowhere"))),
                   n);
    /* weights change no set */
    HOW_MANY(n, i % 3 == 0);
    same_as_xapian(s, db,
                   JOIN(VNS_XQ_AND_MAYBE,
                        (&(const struct vns_xq){
                            .op = VNS_XQ_SCALE,
                            .scale = 0.5,
                            .kids = (const struct vns_xq *const[]){TERM("b")},
                            .nkids = 1}),
                        TERM("c")),
                   n);
    HOW_MANY(n, i % 2 && in_range(i, 3, 5));
    same_as_xapian(
        s, db,
        JOIN(VNS_XQ_FILTER, TERM("d"), RANGE("2021-03-01", "2021-05-28")), n);
    /* bounds between and beyond the values; open ends */
    HOW_MANY(n, in_range(i, 3, 5));
    same_as_xapian(s, db, RANGE("2021-02-29x", "2021-05-28"), n);
    HOW_MANY(n, in_range(i, 11, 12));
    same_as_xapian(s, db, RANGE("2021-11", NULL), n);
    HOW_MANY(n, in_range(i, 1, 1));
    same_as_xapian(s, db, RANGE(NULL, "2021-01-31"), n);
    same_as_xapian(s, db, RANGE("2022", NULL), 0);
    same_as_xapian(s, db, RANGE("2021-06-01", "2021-05-01"), 0);
    /* every document: with and without a value, no gap */
    HOW_MANY(n, i % 3 == 0);
    same_as_xapian(s, db, JOIN(VNS_XQ_FILTER, LEAF(VNS_XQ_ALL), TERM("b")), n);
    same_as_xapian(s, db, JOIN(VNS_XQ_AND_NOT, LEAF(VNS_XQ_ALL), TERM("a")), 0);
    HOW_MANY(n, i % 97 == 0);
    same_as_xapian(s, db, JOIN(VNS_XQ_OR, LEAF(VNS_XQ_NOTHING), TERM("c")), n);
}

static void test_same_as_xapian(void **state)
{
    struct fixture *fx = *state;
    struct vns_docsets *s = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_docsets_new(fx->db, &s, &err), VNS_OK);
    assert_int_equal(vns_docsets_words(s), (NDOCS + 63) / 64);
    trees(s, fx->db);
    /* a, b, d and e1-e3 kept; c (31 documents) read each time */
    assert_int_equal(vns_docsets_kept(s), 6);
    trees(s, fx->db); /* now from the kept bitmaps */
    assert_int_equal(vns_docsets_kept(s), 6);
    vns_docsets_free(s);
}

/* Room for two bitmaps: nine frequent terms in turn drop and read
 * them again, and every answer stays right. */
static void test_small_budget(void **state)
{
    struct fixture *fx = *state;
    struct vns_docsets *s = NULL;
    struct vns_err err = {0};
    static const char *const e[] = {"e0", "e1", "e2", "e3", "e4", "e5", "e6"};
    size_t n;

    assert_int_equal(vns_docsets_new(fx->db, &s, &err), VNS_OK);
    vns_docsets_keep(s, 2 * vns_docsets_words(s) * sizeof(uint64_t) + 2);
    for (int round = 0; round < 3; round++)
        for (size_t k = 0; k < N(e); k++) {
            const struct vns_xq t = {
                .op = VNS_XQ_TERM, .term = e[k], .term_len = strlen(e[k])};
            const struct vns_xq *q = JOIN(VNS_XQ_OR, &t, TERM("b"), TERM("d"));
            HOW_MANY(n, i % 7 == k || i % 3 == 0 || i % 2);
            same_as_xapian(s, fx->db, q, n);
        }
    assert_true(vns_docsets_kept(s) >= 1 && vns_docsets_kept(s) <= 2);
    vns_docsets_keep(s, 0); /* still one kept at a time */
    trees(s, fx->db);
    assert_int_equal(vns_docsets_kept(s), 1);
    vns_docsets_free(s);
}

static void test_refused(void **state)
{
    struct fixture *fx = *state;
    struct vns_docsets *s = NULL;
    struct vns_err err = {0};
    uint64_t *bits = NULL;
    const struct vns_xq *phrase = JOIN(VNS_XQ_PHRASE, TERM("a"), TERM("b"));
    const struct vns_xq *near = JOIN(VNS_XQ_NEAR, TERM("a"), TERM("b"));
    const struct vns_xq empty_or = {.op = VNS_XQ_OR};
    const struct vns_xq bad_len = {
        .op = VNS_XQ_TERM, .term = "ab", .term_len = 1};

    assert_false(vns_docsets_can(phrase));
    assert_false(vns_docsets_can(JOIN(VNS_XQ_OR, TERM("c"), near)));
    assert_false(vns_docsets_can(&empty_or));
    assert_false(vns_docsets_can(&bad_len));
    assert_false(vns_docsets_can(RANGE(NULL, NULL)));
    assert_false(vns_docsets_can(NULL));
    assert_int_equal(vns_docsets_new(fx->db, &s, &err), VNS_OK);
    assert_int_equal(vns_docsets_match(s, fx->db, phrase, 0, &bits, &err),
                     VNS_EQUERY);
    assert_null(bits);
    vns_docsets_free(s);
    vns_docsets_free(NULL);
}

/* Sets made before a commit know neither the new document nor the new
 * revision: working out a tree says so instead of missing it. */
static void test_newer_document(void **state)
{
    struct fixture *fx = *state;
    struct vns_docsets *s = NULL;
    struct vns_err err = {0};
    uint64_t *bits = NULL;

    assert_int_equal(vns_docsets_new(fx->db, &s, &err), VNS_OK);
    add(fx->db, NDOCS + 1);
    assert_int_equal(vns_xdb_commit(fx->db, &err), VNS_OK);
    assert_int_equal(vns_docsets_match(s, fx->db, TERM("a"), 0, &bits, &err),
                     VNS_EINDEX);
    assert_null(bits);
    vns_docsets_free(s);
}

/* Posting lists read past the time limit stop the work: the caller
 * counts under Xapian's own limit instead. Bitmaps kept need no reading. */
static void test_time_limit(void **state)
{
    struct fixture *fx = *state;
    struct vns_docsets *s = NULL;
    struct vns_err err = {0};
    uint64_t *bits = NULL;
    const struct vns_xq *q = JOIN(VNS_XQ_OR, TERM("b"), TERM("d"), TERM("e1"));

    assert_int_equal(vns_docsets_new(fx->db, &s, &err), VNS_OK);
    /* a posting list takes microseconds: past a nanosecond at the second */
    assert_int_equal(vns_docsets_match(s, fx->db, q, 1e-9, &bits, &err),
                     VNS_ETOOBIG);
    assert_null(bits);
    assert_int_equal(vns_docsets_match(s, fx->db, q, 0, &bits, &err), VNS_OK);
    free(bits);
    bits = NULL;
    assert_int_equal(vns_docsets_match(s, fx->db, q, 1e-9, &bits, &err),
                     VNS_OK);
    free(bits);
    vns_docsets_free(s);
}

struct listed {
    uint32_t last;
    size_t n;
    int ascending;
};

static int list_one(uint32_t docid, void *ctx)
{
    struct listed *l = ctx;

    l->ascending = l->ascending && docid > l->last;
    l->last = docid;
    l->n++;
    return 0;
}

/* The shim's posting list of "" is every document (what ALL works from);
 * no term at all is refused. */
static void test_every_document(void **state)
{
    struct fixture *fx = *state;
    struct listed l = {0, 0, 1};
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_postlist(fx->db, "", list_one, &l, &err), VNS_OK);
    assert_int_equal(l.n, NDOCS - 1);
    assert_true(l.ascending);
    assert_int_equal(l.last, NDOCS);
    assert_int_equal(vns_xdb_postlist(fx->db, NULL, list_one, &l, &err),
                     VNS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_as_xapian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_document, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
