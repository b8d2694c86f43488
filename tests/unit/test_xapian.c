/* The Xapian shim against real databases in a temporary folder: writing,
 * reading back, every query node, the hooks and the error mapping. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folders */

#include "xapian.h"

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

#ifdef __SANITIZE_ADDRESS__
/* libxapian 1.4.22's Database::check frees one of its objects through a
 * base class of another size (new-delete-type-mismatch inside libxapian,
 * test_check); every other sanitizer check stays on. */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
__attribute__((visibility("default"))) const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}
#endif

/* Query trees as expressions; block-scope compound literals live as long
 * as the function that builds them. */
#define KIDS(...) ((const struct vns_xq *const[]){__VA_ARGS__})
#define NKIDS(...) N(KIDS(__VA_ARGS__))
#define TERM(s)                                                                \
    (&(const struct vns_xq){                                                   \
        .op = VNS_XQ_TERM, .term = (s), .term_len = sizeof(s) - 1})
#define NODE(o, ...)                                                           \
    (&(const struct vns_xq){                                                   \
        .op = (o), .kids = KIDS(__VA_ARGS__), .nkids = NKIDS(__VA_ARGS__)})
#define WINDOW(o, w, ...)                                                      \
    (&(const struct vns_xq){.op = (o),                                         \
                            .window = (w),                                     \
                            .kids = KIDS(__VA_ARGS__),                         \
                            .nkids = NKIDS(__VA_ARGS__)})
#define SCALE(f, kid)                                                          \
    (&(const struct vns_xq){                                                   \
        .op = VNS_XQ_SCALE, .scale = (f), .kids = KIDS(kid), .nkids = 1})
#define RANGE(s, l, h)                                                         \
    (&(const struct vns_xq){                                                   \
        .op = VNS_XQ_VALUE_RANGE, .slot = (s), .lo = (l), .hi = (h)})
#define ALL (&(const struct vns_xq){.op = VNS_XQ_ALL})

/* Sets of documents 1..4 of the corpus below, as bit masks. */
#define D1 (1u << 1)
#define D2 (1u << 2)
#define D3 (1u << 3)
#define D4 (1u << 4)

struct fixture {
    char dir[64];
};

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    strcpy(fx->dir, "/tmp/vns-test-xapian-XXXXXX");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* dir/name, in buf. */
static const char *sub(const struct fixture *fx, const char *name, char *buf,
                       size_t size)
{
    snprintf(buf, size, "%s/%s", fx->dir, name);
    return buf;
}

struct posting {
    const char *term;
    uint32_t pos;
};

struct corpus_doc {
    const char *id;
    struct posting post[4];
    const char *boolean;
    const char *value0;
    const char *data;
};

/* Docids follow the order here (a fresh database numbers from 1). */
static const struct corpus_doc corpus[] = {
    {"Qd1", {{"a", 1}, {"b", 2}, {"c", 3}}, "Tpdf", "2020", "one"},
    {"Qd2", {{"a", 1}, {"x", 2}, {"b", 3}}, "Thtml", "2021", "two"},
    {"Qd3", {{"b", 1}, {"a", 2}, {"d", 3}}, "Tpdf", "2022", "three"},
    {"Qd4", {{"c", 1}, {"e", 5}}, NULL, NULL, "four"},
};

static struct vns_xdoc *make_doc(const struct corpus_doc *cd)
{
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    for (size_t i = 0; i < N(cd->post) && cd->post[i].term; i++)
        assert_int_equal(vns_xdoc_add_posting(doc, cd->post[i].term,
                                              strlen(cd->post[i].term),
                                              cd->post[i].pos, &err),
                         VNS_OK);
    if (cd->boolean)
        assert_int_equal(
            vns_xdoc_add_boolean(doc, cd->boolean, strlen(cd->boolean), &err),
            VNS_OK);
    if (cd->value0)
        assert_int_equal(
            vns_xdoc_set_value(doc, 0, cd->value0, strlen(cd->value0), &err),
            VNS_OK);
    assert_int_equal(vns_xdoc_set_data(doc, cd->data, strlen(cd->data), &err),
                     VNS_OK);
    return doc;
}

/* A writer on dir holding the corpus, uncommitted; document 4 also gets
 * "d" three times without positions. */
static struct vns_xdb *write_corpus(const char *dir)
{
    struct vns_xdb *db = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(dir, VNS_XDB_WRITE, &db, &err), VNS_OK);
    for (size_t i = 0; i < N(corpus); i++) {
        struct vns_xdoc *doc = make_doc(&corpus[i]);
        uint32_t docid = 0;

        if (i == 3)
            assert_int_equal(vns_xdoc_add_term(doc, "d", 1, 3, &err), VNS_OK);
        assert_int_equal(vns_xdb_replace(db, corpus[i].id, doc, &docid, &err),
                         VNS_OK);
        assert_int_equal(docid, i + 1);
        vns_xdoc_free(doc);
    }
    return db;
}

static uint64_t doccount(struct vns_xdb *db)
{
    uint64_t n = 99;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_doccount(db, &n, &err), VNS_OK);
    return n;
}

static unsigned mask_of(const struct vns_xresults *res)
{
    unsigned m = 0;

    for (size_t i = 0; i < res->n; i++) {
        assert_in_range(res->hits[i].docid, 1, 31);
        m |= 1u << res->hits[i].docid;
    }
    return m;
}

static void search_ok(struct vns_xdb *db, const struct vns_xq *q,
                      struct vns_xresults *res)
{
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_search(db, q, 0, 10, 0, res, &err), VNS_OK);
}

/* Every node kind, on the writer before its commit and on a reader after. */
/* The count of value v in facet f of res (0 when absent). */
static uint64_t facet_count(const struct vns_xresults *res, size_t f,
                            const char *v)
{
    for (size_t i = 0; i < res->facets[f].n; i++)
        if (strcmp(res->facets[f].counts[i].value, v) == 0)
            return res->facets[f].counts[i].count;
    return 0;
}

/* Facets from the packed slot count as the slots one by one do, for
 * documents with the packed value and for those written before it. */
static void test_packed_facets(void **state)
{
    static const struct {
        const char *packed, *province, *type;
    } docs[] = {
        {"A\x1fX", "A", "X"},
        {"B\x1fX", "B", "X"},
        {NULL, "A", "Y"}, /* no packed value: read slot by slot */
        {NULL, NULL, "X"},
    };
    static const unsigned slots[] = {2, 5};
    struct fixture *fx = *state;
    struct vns_xdb *db = NULL;
    struct vns_err err = {0};
    struct vns_xresults res[2] = {{0}};

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &db, &err), VNS_OK);
    for (size_t i = 0; i < N(docs); i++) {
        struct vns_xdoc *doc = NULL;
        char id[8];
        uint32_t docid;
        snprintf(id, sizeof(id), "Q%zu", i);
        assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
        assert_int_equal(vns_xdoc_add_posting(doc, "t", 1, 1, &err), VNS_OK);
        if (docs[i].packed)
            assert_int_equal(vns_xdoc_set_value(doc, 13, docs[i].packed,
                                                strlen(docs[i].packed), &err),
                             VNS_OK);
        if (docs[i].province)
            assert_int_equal(
                vns_xdoc_set_value(doc, 2, docs[i].province, 1, &err), VNS_OK);
        assert_int_equal(vns_xdoc_set_value(doc, 5, docs[i].type, 1, &err),
                         VNS_OK);
        assert_int_equal(vns_xdb_replace(db, id, doc, &docid, &err), VNS_OK);
        vns_xdoc_free(doc);
    }
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    for (int packed = 0; packed < 2; packed++) {
        struct vns_xsearch xs = {.limit = 10,
                                 .sort_slot = -1,
                                 .facet_slots = slots,
                                 .nfacets = 2,
                                 .packed = packed,
                                 .packed_slot = 13};
        assert_int_equal(vns_xdb_run(db, TERM("t"), &xs, &res[packed], &err),
                         VNS_OK);
        assert_int_equal(res[packed].nfacets, 2);
        assert_int_equal(facet_count(&res[packed], 0, "A"), 2);
        assert_int_equal(facet_count(&res[packed], 0, "B"), 1);
        assert_int_equal(res[packed].facets[0].n, 2);
        assert_int_equal(facet_count(&res[packed], 1, "X"), 3);
        assert_int_equal(facet_count(&res[packed], 1, "Y"), 1);
        /* most frequent first */
        assert_string_equal(res[packed].facets[1].counts[0].value, "X");
    }
    vns_xresults_fini(&res[0]);
    vns_xresults_fini(&res[1]);
    vns_xdb_close(db);
}

static void test_search_nodes(void **state)
{
    struct fixture *fx = *state;
    const struct {
        const char *name;
        const struct vns_xq *q;
        unsigned want;
    } cases[] = {
        {"term", TERM("a"), D1 | D2 | D3},
        {"absent term", TERM("zz"), 0},
        {"all", ALL, D1 | D2 | D3 | D4},
        {"and", NODE(VNS_XQ_AND, TERM("a"), TERM("c")), D1},
        {"or", NODE(VNS_XQ_OR, TERM("x"), TERM("e")), D2 | D4},
        {"phrase adjacent only", NODE(VNS_XQ_PHRASE, TERM("a"), TERM("b")), D1},
        {"phrase keeps order", NODE(VNS_XQ_PHRASE, TERM("b"), TERM("a")), D3},
        {"phrase window 3", WINDOW(VNS_XQ_PHRASE, 3, TERM("a"), TERM("b")),
         D1 | D2},
        {"phrase of an or",
         NODE(VNS_XQ_PHRASE, NODE(VNS_XQ_OR, TERM("x"), TERM("c")), TERM("b")),
         D2},
        {"near any order", NODE(VNS_XQ_NEAR, TERM("a"), TERM("b")), D1 | D3},
        {"near window 3", WINDOW(VNS_XQ_NEAR, 3, TERM("b"), TERM("a")),
         D1 | D2 | D3},
        {"and_not", NODE(VNS_XQ_AND_NOT, TERM("a"), TERM("c")), D2 | D3},
        {"and_not many", NODE(VNS_XQ_AND_NOT, TERM("a"), TERM("c"), TERM("x")),
         D3},
        {"and_maybe", NODE(VNS_XQ_AND_MAYBE, TERM("b"), TERM("d")),
         D1 | D2 | D3},
        {"filter pdf", NODE(VNS_XQ_FILTER, TERM("a"), TERM("Tpdf")), D1 | D3},
        {"filter html", NODE(VNS_XQ_FILTER, TERM("b"), TERM("Thtml")), D2},
        {"filter two", NODE(VNS_XQ_FILTER, ALL, TERM("Tpdf"), TERM("d")), D3},
        {"scale", SCALE(2.0, TERM("c")), D1 | D4},
        {"synonym", NODE(VNS_XQ_SYNONYM, TERM("c"), TERM("d")), D1 | D3 | D4},
        {"range closed", RANGE(0, "2020", "2021"), D1 | D2},
        {"range one day", RANGE(0, "2021", "2021"), D2},
        {"range empty", RANGE(0, "2021", "2020"), 0},
        {"range from", RANGE(0, "2021", NULL), D2 | D3},
        {"range until", RANGE(0, NULL, "2021"), D1 | D2},
        {"range other slot", RANGE(1, "0", "9"), 0},
        {"range in and", NODE(VNS_XQ_AND, TERM("a"), RANGE(0, "2021", NULL)),
         D2 | D3},
    };
    struct vns_xdb *w = write_corpus(fx->dir);
    struct vns_xdb *r = NULL;
    struct vns_err err = {0};

    for (int pass = 0; pass < 2; pass++) {
        struct vns_xdb *db = pass == 0 ? w : r;

        for (size_t i = 0; i < N(cases); i++) {
            struct vns_xresults res = {0};

            print_message("%s: %s\n", pass ? "reader" : "writer",
                          cases[i].name);
            search_ok(db, cases[i].q, &res);
            assert_int_equal(mask_of(&res), cases[i].want);
            assert_int_equal(res.estimate, res.n);
            vns_xresults_fini(&res);
        }
        if (pass == 0) {
            assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
            assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err),
                             VNS_OK);
        }
    }
    vns_xdb_close(r);
    vns_xdb_close(w);
}

/* Order, data, bounds and paging of the results. */
static void test_search_results(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_xresults res = {0};
    struct vns_err err = {0};

    /* No weight anywhere: ties go by docid, each hit with its data. */
    search_ok(db, ALL, &res);
    assert_int_equal(res.n, 4);
    for (size_t i = 0; i < res.n; i++) {
        assert_int_equal(res.hits[i].docid, i + 1);
        assert_string_equal(res.hits[i].data, corpus[i].data);
        assert_int_equal(res.hits[i].data_len, strlen(corpus[i].data));
    }
    assert_int_equal(res.estimate, 4);
    assert_int_equal(res.lower, 4);
    assert_int_equal(res.upper, 4);
    vns_xresults_fini(&res);
    assert_null(res.hits);
    assert_int_equal(res.n, 0);
    assert_int_equal(res.estimate, 0);

    /* A page in the middle; the counts still cover every match. */
    assert_int_equal(vns_xdb_search(db, ALL, 1, 2, 5.0, &res, &err), VNS_OK);
    assert_int_equal(res.n, 2);
    assert_int_equal(res.hits[0].docid, 2);
    assert_int_equal(res.hits[1].docid, 3);
    assert_int_equal(res.estimate, 4);
    vns_xresults_fini(&res);

    /* Past the end and a zero limit: no hits, no error. */
    assert_int_equal(vns_xdb_search(db, ALL, 10, 10, 0, &res, &err), VNS_OK);
    assert_int_equal(res.n, 0);
    vns_xresults_fini(&res);
    assert_int_equal(vns_xdb_search(db, ALL, 0, 0, 0, &res, &err), VNS_OK);
    assert_int_equal(res.n, 0);
    vns_xresults_fini(&res);

    /* Relevance first: "d" three times in document 4 outweighs document 3,
     * and both outweigh the boolean-only matches. */
    search_ok(db, NODE(VNS_XQ_OR, TERM("d"), TERM("Tpdf")), &res);
    assert_int_equal(res.n, 3);
    assert_int_equal(res.hits[0].docid, 4);
    assert_int_equal(res.hits[1].docid, 3);
    assert_int_equal(res.hits[2].docid, 1);
    assert_true(res.hits[0].score > res.hits[1].score);
    assert_true(res.hits[1].score > 0);
    assert_true(res.hits[2].score == 0);
    vns_xresults_fini(&res);

    /* AND_MAYBE: every "b", the one also holding "d" first. */
    search_ok(db, NODE(VNS_XQ_AND_MAYBE, TERM("b"), TERM("d")), &res);
    assert_int_equal(res.n, 3);
    assert_int_equal(res.hits[0].docid, 3);
    assert_true(res.hits[0].score > res.hits[1].score);
    vns_xresults_fini(&res);

    /* FILTER adds no weight, even from a weighted term; AND does. */
    {
        struct vns_xresults bare = {0};

        search_ok(db, TERM("a"), &bare);
        assert_int_equal(bare.hits[0].docid, 1);
        search_ok(db, NODE(VNS_XQ_FILTER, TERM("a"), TERM("c")), &res);
        assert_int_equal(mask_of(&res), D1);
        assert_true(res.hits[0].score == bare.hits[0].score);
        vns_xresults_fini(&res);
        search_ok(db, NODE(VNS_XQ_AND, TERM("a"), TERM("c")), &res);
        assert_int_equal(mask_of(&res), D1);
        assert_true(res.hits[0].score > bare.hits[0].score);
        vns_xresults_fini(&res);
        vns_xresults_fini(&bare);
    }

    /* OR: the rare "e" puts document 4 first. SYNONYM: "a" and "e" are one
     * common term, and the longer document 4 comes last. */
    search_ok(db, NODE(VNS_XQ_OR, TERM("a"), TERM("e")), &res);
    assert_int_equal(res.n, 4);
    assert_int_equal(res.hits[0].docid, 4);
    vns_xresults_fini(&res);
    search_ok(db, NODE(VNS_XQ_SYNONYM, TERM("a"), TERM("e")), &res);
    assert_int_equal(res.n, 4);
    assert_int_equal(res.hits[3].docid, 4);
    assert_true(res.hits[0].score > res.hits[3].score);
    vns_xresults_fini(&res);
    vns_xdb_close(db);
}

/* SCALE multiplies scores; wqf raises the weight of a term. */
static void test_search_scale(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = write_corpus(fx->dir);
    const struct vns_xq wqf3 = {
        .op = VNS_XQ_TERM, .term = "c", .term_len = 1, .wqf = 3};
    struct vns_xresults base = {0}, res = {0};

    search_ok(db, TERM("c"), &base);
    assert_int_equal(base.n, 2);
    assert_true(base.hits[0].score > 0);

    search_ok(db, SCALE(2.5, TERM("c")), &res);
    assert_int_equal(res.n, 2);
    for (size_t i = 0; i < res.n; i++) {
        assert_int_equal(res.hits[i].docid, base.hits[i].docid);
        assert_float_equal(res.hits[i].score, 2.5 * base.hits[i].score, 1e-9);
    }
    vns_xresults_fini(&res);

    search_ok(db, SCALE(0.0, TERM("c")), &res);
    assert_int_equal(res.n, 2);
    assert_true(res.hits[0].score == 0);
    vns_xresults_fini(&res);

    /* Scaling one side of an OR reorders: "e" (document 4) wins. */
    search_ok(db, NODE(VNS_XQ_OR, TERM("a"), SCALE(10.0, TERM("e"))), &res);
    assert_int_equal(res.hits[0].docid, 4);
    vns_xresults_fini(&res);

    search_ok(db, &wqf3, &res);
    assert_true(res.hits[0].score > base.hits[0].score);
    vns_xresults_fini(&res);
    vns_xresults_fini(&base);
    vns_xdb_close(db);
}

/* Malformed trees are VNS_EQUERY and leave *out alone. */
static void test_search_bad_tree(void **state)
{
    struct fixture *fx = *state;
    const struct vns_xq *const null_kid[] = {NULL, NULL};
    const struct {
        const char *name;
        struct vns_xq q;
        int want;
    } cases[] = {
        {"term without bytes", {.op = VNS_XQ_TERM, .term = "a"}, VNS_EQUERY},
        {"term NULL", {.op = VNS_XQ_TERM, .term_len = 3}, VNS_EQUERY},
        {"term with kids",
         {.op = VNS_XQ_TERM,
          .term = "a",
          .term_len = 1,
          .kids = KIDS(TERM("b")),
          .nkids = 1},
         VNS_EQUERY},
        {"all with kids",
         {.op = VNS_XQ_ALL, .kids = KIDS(TERM("b")), .nkids = 1},
         VNS_EQUERY},
        {"and of nothing", {.op = VNS_XQ_AND}, VNS_EQUERY},
        {"or without kids array", {.op = VNS_XQ_OR, .nkids = 2}, VNS_EQUERY},
        {"or with NULL kids",
         {.op = VNS_XQ_OR, .kids = null_kid, .nkids = 2},
         VNS_EQUERY},
        {"deep NULL kid",
         {.op = VNS_XQ_AND,
          .kids = KIDS(TERM("a"), NODE(VNS_XQ_OR, TERM("b"), NULL)),
          .nkids = 2},
         VNS_EQUERY},
        {"and_not of one",
         {.op = VNS_XQ_AND_NOT, .kids = KIDS(TERM("a")), .nkids = 1},
         VNS_EQUERY},
        {"and_maybe of one",
         {.op = VNS_XQ_AND_MAYBE, .kids = KIDS(TERM("a")), .nkids = 1},
         VNS_EQUERY},
        {"filter of one",
         {.op = VNS_XQ_FILTER, .kids = KIDS(TERM("a")), .nkids = 1},
         VNS_EQUERY},
        {"phrase of nothing", {.op = VNS_XQ_PHRASE}, VNS_EQUERY},
        {"phrase of an and",
         {.op = VNS_XQ_PHRASE,
          .kids = KIDS(TERM("a"), NODE(VNS_XQ_AND, TERM("b"), TERM("c"))),
          .nkids = 2},
         VNS_EQUERY},
        {"near of a synonym",
         {.op = VNS_XQ_NEAR,
          .kids = KIDS(TERM("a"), NODE(VNS_XQ_SYNONYM, TERM("b"), TERM("c"))),
          .nkids = 2},
         VNS_EQUERY},
        {"scale of two",
         {.op = VNS_XQ_SCALE,
          .scale = 1,
          .kids = KIDS(TERM("a"), TERM("b")),
          .nkids = 2},
         VNS_EQUERY},
        {"scale of none", {.op = VNS_XQ_SCALE, .scale = 1}, VNS_EQUERY},
        {"scale negative",
         {.op = VNS_XQ_SCALE, .scale = -1, .kids = KIDS(TERM("a")), .nkids = 1},
         VNS_EQUERY},
        {"range with kids",
         {.op = VNS_XQ_VALUE_RANGE, .kids = KIDS(TERM("a")), .nkids = 1},
         VNS_EQUERY},
        {"range bad slot",
         {.op = VNS_XQ_VALUE_RANGE, .slot = 0xffffffffu},
         VNS_EQUERY},
        {"unknown op", {.op = (enum vns_xop)99}, VNS_EQUERY},
    };
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_err err = {0};
    struct vns_xresults res = {.n = 77};

    for (size_t i = 0; i < N(cases); i++) {
        print_message("%s\n", cases[i].name);
        err = (struct vns_err){0};
        assert_int_equal(vns_xdb_search(db, &cases[i].q, 0, 10, 0, &res, &err),
                         cases[i].want);
        assert_int_equal(err.code, cases[i].want);
        assert_non_null(strstr(err.msg, "bad query"));
        assert_int_equal(res.n, 77);
    }
    assert_int_equal(vns_xdb_search(db, NULL, 0, 10, 0, &res, &err),
                     VNS_EQUERY);
    assert_int_equal(res.n, 77);

    /* A chain of SCALE nodes: 50 deep is a query, 500 deep is not. */
    {
        static struct vns_xq chain[501];
        static const struct vns_xq *links[500];
        struct vns_xresults ok = {0};

        for (size_t i = 0; i < 500; i++) {
            links[i] = &chain[i + 1];
            chain[i] = (struct vns_xq){
                .op = VNS_XQ_SCALE, .scale = 1, .kids = &links[i], .nkids = 1};
        }
        chain[500] =
            (struct vns_xq){.op = VNS_XQ_TERM, .term = "a", .term_len = 1};
        search_ok(db, &chain[450], &ok);
        assert_int_equal(mask_of(&ok), D1 | D2 | D3);
        vns_xresults_fini(&ok);
        assert_int_equal(vns_xdb_search(db, &chain[0], 0, 10, 0, &res, &err),
                         VNS_EQUERY);
        assert_non_null(strstr(err.msg, "too deep"));
        assert_int_equal(res.n, 77);
    }
    vns_xdb_close(db);
}

/* Xapian's 245-byte limit, checked wherever a term comes in. */
static void test_term_too_big(void **state)
{
    struct fixture *fx = *state;
    char big[301], edge[246];
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    struct vns_xresults res = {.n = 77};
    struct vns_xq q = {.op = VNS_XQ_TERM, .term = big, .term_len = 300};
    uint64_t n = 0;
    uint32_t docid = 0;

    memset(big, 'a', 300);
    big[300] = '\0';
    memset(edge, 'b', 245);
    edge[245] = '\0';
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_add_posting(doc, big, 300, 1, &err), VNS_ETOOBIG);
    assert_int_equal(err.code, VNS_ETOOBIG);
    assert_int_equal(vns_xdoc_add_term(doc, big, 300, 1, &err), VNS_ETOOBIG);
    assert_int_equal(vns_xdoc_add_boolean(doc, big, 300, &err), VNS_ETOOBIG);
    assert_int_equal(vns_xdb_replace(db, big, doc, &docid, &err), VNS_ETOOBIG);
    assert_int_equal(vns_xdb_termfreq(db, big, 300, &n, &err), VNS_ETOOBIG);
    assert_int_equal(vns_xdb_search(db, &q, 0, 10, 0, &res, &err), VNS_ETOOBIG);
    assert_int_equal(res.n, 77);

    /* 245 bytes is still fine, as an id term too. */
    assert_int_equal(vns_xdoc_add_posting(doc, edge, 245, 1, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(db, edge, doc, &docid, &err), VNS_OK);
    assert_int_equal(vns_xdb_find(db, edge, &docid, &err), VNS_OK);
    assert_int_equal(docid, 5);
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    vns_xdoc_free(doc);
    vns_xdb_close(db);
}

/* Replace, delete, commit, reopen read-only, get_data and find. */
static void test_write_read(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = write_corpus(fx->dir);
    struct vns_xdb *r = NULL;
    struct vns_xdoc *doc = make_doc(&(struct corpus_doc){
        "Qd2", {{"a", 1}, {"y", 2}}, "Thtml", "2021", "two, again"});
    struct vns_err err = {0};
    uint32_t docid = 0;
    char *data = NULL;
    size_t len = 0;

    assert_int_equal(doccount(w), 4);

    /* Same id term: same document, new content. */
    assert_int_equal(vns_xdb_replace(w, "Qd2", doc, &docid, &err), VNS_OK);
    assert_int_equal(docid, 2);
    assert_int_equal(doccount(w), 4);
    vns_xdoc_free(doc);

    assert_int_equal(vns_xdb_delete(w, "Qd3", &err), VNS_OK);
    assert_int_equal(doccount(w), 3);
    assert_int_equal(vns_xdb_delete(w, "Qnone", &err), VNS_OK);
    assert_int_equal(doccount(w), 3);
    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(doccount(r), 3);

    assert_int_equal(vns_xdb_find(r, "Qd2", &docid, &err), VNS_OK);
    assert_int_equal(docid, 2);
    assert_int_equal(vns_xdb_get_data(r, docid, &data, &len, &err), VNS_OK);
    assert_string_equal(data, "two, again");
    assert_int_equal(len, strlen("two, again"));
    free(data);
    data = NULL;

    docid = 77;
    assert_int_equal(vns_xdb_find(r, "Qd3", &docid, &err), VNS_ENOTFOUND);
    assert_int_equal(err.code, VNS_ENOTFOUND);
    assert_int_equal(docid, 77);
    assert_int_equal(vns_xdb_get_data(r, 3, &data, &len, &err), VNS_ENOTFOUND);
    assert_int_equal(vns_xdb_get_data(r, 0, &data, &len, &err), VNS_ENOTFOUND);
    assert_int_equal(vns_xdb_get_data(r, 99, &data, NULL, &err), VNS_ENOTFOUND);
    assert_null(data);

    /* The old words of document 2 are gone, the new ones are there. */
    {
        struct vns_xresults res = {0};

        search_ok(r, TERM("x"), &res);
        assert_int_equal(res.n, 0);
        vns_xresults_fini(&res);
        search_ok(r, TERM("y"), &res);
        assert_int_equal(mask_of(&res), D2);
        assert_string_equal(res.hits[0].data, "two, again");
        vns_xresults_fini(&res);
    }

    /* A reader does not write. */
    doc = make_doc(&corpus[0]);
    assert_int_equal(vns_xdb_replace(r, "Qd9", doc, &docid, &err), VNS_EINVAL);
    assert_int_equal(vns_xdb_delete(r, "Qd1", &err), VNS_EINVAL);
    assert_int_equal(vns_xdb_commit(r, &err), VNS_EINVAL);
    assert_int_equal(vns_xdb_add_spelling(r, "a", 1, &err), VNS_EINVAL);
    assert_int_equal(vns_xdb_add_synonym(r, "a", "b", &err), VNS_EINVAL);
    vns_xdoc_free(doc);

    vns_xdb_close(r);
    vns_xdb_close(w);
}

/* A document without its id term still gets it, and the caller's
 * document is left as it was: one document can be stored twice. */
static void test_replace_adds_idterm(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = NULL;
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    uint32_t a = 0, b = 0, found = 0;
    uint64_t n = 0;

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &db, &err), VNS_OK);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_add_posting(doc, "w", 1, 1, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(db, "Qa", doc, &a, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(db, "Qb", doc, &b, &err), VNS_OK);
    assert_int_not_equal(a, b);
    assert_int_equal(vns_xdb_find(db, "Qa", &found, &err), VNS_OK);
    assert_int_equal(found, a);
    assert_int_equal(vns_xdb_find(db, "Qb", &found, &err), VNS_OK);
    assert_int_equal(found, b);
    assert_int_equal(vns_xdb_termfreq(db, "Qa", 2, &n, &err), VNS_OK);
    assert_int_equal(n, 1);
    /* ...so replace and delete find it again. */
    assert_int_equal(vns_xdb_replace(db, "Qa", doc, &found, &err), VNS_OK);
    assert_int_equal(found, a);
    assert_int_equal(doccount(db), 2);
    assert_int_equal(vns_xdb_delete(db, "Qa", &err), VNS_OK);
    assert_int_equal(doccount(db), 1);
    vns_xdoc_free(doc);
    vns_xdb_close(db);
}

/* Closing a writer commits nothing. */
static void test_close_drops_uncommitted(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = write_corpus(fx->dir);
    struct vns_xdb *r = NULL;
    struct vns_err err = {0};

    vns_xdb_close(w);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(doccount(r), 0);
    vns_xdb_close(r);

    /* Committed work stays, what came after goes. */
    w = write_corpus(fx->dir);
    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
    assert_int_equal(vns_xdb_delete(w, "Qd1", &err), VNS_OK);
    assert_int_equal(doccount(w), 3);
    vns_xdb_close(w);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(doccount(r), 4);
    vns_xdb_close(r);
}

/* A reader moves to a writer's new commit only on reopen. */
static void test_reopen(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = write_corpus(fx->dir);
    struct vns_xdb *r = NULL;
    struct vns_err err = {0};
    int changed = -1;

    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(doccount(r), 4);

    assert_int_equal(vns_xdb_delete(w, "Qd4", &err), VNS_OK);
    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
    assert_int_equal(doccount(r), 4);
    assert_int_equal(vns_xdb_reopen(r, &changed, &err), VNS_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doccount(r), 3);
    assert_int_equal(vns_xdb_reopen(r, NULL, &err), VNS_OK);

    /* A writer has nowhere to move. */
    assert_int_equal(vns_xdb_reopen(w, &changed, &err), VNS_OK);
    assert_int_equal(changed, 0);
    vns_xdb_close(r);
    vns_xdb_close(w);
}

/* (Re)write documents "Q0".."Q<n-1>" holding the word w and some filler,
 * then commit. No cmocka asserts: it also runs inside a callback. */
static int write_many(struct vns_xdb *db, int n, const char *w)
{
    struct vns_err err = {0};
    int rc = VNS_OK;

    for (int i = 0; i < n && rc == VNS_OK; i++) {
        struct vns_xdoc *doc = NULL;
        char id[32], filler[32];

        snprintf(id, sizeof(id), "Q%05d", i);
        snprintf(filler, sizeof(filler), "%s%d", w, i % 97);
        rc = vns_xdoc_new(&doc, &err);
        if (rc == VNS_OK)
            rc = vns_xdoc_add_posting(doc, w, strlen(w), 1, &err);
        if (rc == VNS_OK)
            rc = vns_xdoc_add_posting(doc, filler, strlen(filler), 2, &err);
        if (rc == VNS_OK)
            rc = vns_xdoc_set_data(doc, w, strlen(w), &err);
        if (rc == VNS_OK)
            rc = vns_xdb_replace(db, id, doc, NULL, &err);
        vns_xdoc_free(doc);
    }
    if (rc == VNS_OK)
        rc = vns_xdb_commit(db, &err);
    return rc;
}

/* A reader whose revision the writer has since recycled
 * (DatabaseModifiedError) moves to the newest one and answers. */
static void test_search_after_overwrite(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = NULL, *r = NULL;
    struct vns_xresults res = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &w, &err), VNS_OK);
    assert_int_equal(write_many(w, 3000, "old"), VNS_OK);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    /* Glass recycles the blocks of a revision two commits on. */
    assert_int_equal(write_many(w, 3000, "mid"), VNS_OK);
    assert_int_equal(write_many(w, 3000, "now"), VNS_OK);

    search_ok(r, NODE(VNS_XQ_OR, TERM("old"), TERM("now")), &res);
    assert_int_equal(res.n, 10);
    assert_int_equal(res.estimate, 3000);
    assert_string_equal(res.hits[0].data, "now");
    vns_xresults_fini(&res);
    vns_xdb_close(r);
    vns_xdb_close(w);
}

static void test_freqs(void **state)
{
    struct fixture *fx = *state;
    const struct {
        const char *term;
        uint64_t termfreq, collfreq;
    } cases[] = {
        {"a", 3, 3},    {"b", 3, 3},     {"d", 2, 4},
        {"Tpdf", 2, 0}, {"Thtml", 1, 0}, {"zz", 0, 0},
    };
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_err err = {0};

    for (int pass = 0; pass < 2; pass++) {
        /* a reader looks them up ahead, in term order, into its cache:
         * what it answers next comes from there (a writer keeps none) */
        const char *ahead[N(cases) + 1];
        size_t lens[N(cases) + 1];
        for (size_t i = 0; i < N(cases); i++) {
            ahead[N(cases) - 1 - i] = cases[i].term;
            lens[N(cases) - 1 - i] = strlen(cases[i].term);
        }
        ahead[N(cases)] = "d"; /* twice */
        lens[N(cases)] = 1;
        assert_int_equal(vns_xdb_lookups_batched(db), pass == 1);
        assert_int_equal(
            vns_xdb_termfreqs_ahead(db, ahead, lens, N(cases) + 1, &err),
            VNS_OK);
        for (size_t i = 0; i < N(cases); i++) {
            const char *t = cases[i].term;
            uint64_t n = 99;

            assert_int_equal(vns_xdb_termfreq(db, t, strlen(t), &n, &err),
                             VNS_OK);
            assert_int_equal(n, cases[i].termfreq);
            assert_int_equal(vns_xdb_collfreq(db, t, strlen(t), &n, &err),
                             VNS_OK);
            assert_int_equal(n, cases[i].collfreq);
        }
        if (pass == 0) { /* the same on a reader after the commit */
            assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
            vns_xdb_close(db);
            assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &db, &err),
                             VNS_OK);
        }
    }
    vns_xdb_close(db);
}

struct seen {
    char terms[8][16]; /* the first 8, cut to 15 bytes */
    uint64_t freqs[8];
    int n;
    int stop_at; /* return 42 on this call (1-based), 0: never */
};

/* Callbacks run under the C++ frames of the shim: record, assert later. */
static int collect(const char *term, size_t len, uint64_t termfreq, void *ctx)
{
    struct seen *s = ctx;

    if (s->n < 8) {
        if (len >= sizeof(s->terms[0]))
            len = sizeof(s->terms[0]) - 1;
        memcpy(s->terms[s->n], term, len);
        s->terms[s->n][len] = '\0';
        s->freqs[s->n] = termfreq;
    }
    s->n++;
    return s->n == s->stop_at ? 42 : 0;
}

static void test_terms(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_err err = {0};
    struct seen s = {0};

    assert_int_equal(vns_xdb_terms(db, "T", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.terms[0], "Thtml");
    assert_int_equal(s.freqs[0], 1);
    assert_string_equal(s.terms[1], "Tpdf");
    assert_int_equal(s.freqs[1], 2);

    s = (struct seen){0};
    assert_int_equal(vns_xdb_terms(db, "Q", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.terms[0], "Qd1");
    assert_string_equal(s.terms[3], "Qd4");

    /* fn's nonzero stops the walk and comes back. */
    s = (struct seen){.stop_at = 2};
    assert_int_equal(vns_xdb_terms(db, "Q", collect, &s, &err), 42);
    assert_int_equal(s.n, 2);

    s = (struct seen){0};
    assert_int_equal(vns_xdb_terms(db, "nothing", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 0);

    /* Every term, in byte order: lower case after the prefixes. */
    s = (struct seen){.stop_at = 8};
    assert_int_equal(vns_xdb_terms(db, NULL, collect, &s, &err), 42);
    assert_string_equal(s.terms[0], "Qd1");
    assert_string_equal(s.terms[6], "a");
    vns_xdb_close(db);
}

struct walk {
    struct vns_xdb *writer;
    int n, disorder, rc;
    char last[16];
};

/* Delete "Q0".."Q<n-1>" and commit. */
static int delete_many(struct vns_xdb *db, int n)
{
    struct vns_err err = {0};
    int rc = VNS_OK;

    for (int i = 0; i < n && rc == VNS_OK; i++) {
        char id[32];

        snprintf(id, sizeof(id), "Q%05d", i);
        rc = vns_xdb_delete(db, id, &err);
    }
    if (rc == VNS_OK)
        rc = vns_xdb_commit(db, &err);
    return rc;
}

/* On the first term the writer renumbers every document over two
 * commits, recycling the blocks the reader walks on. */
static int walk_term(const char *term, size_t len, uint64_t termfreq, void *ctx)
{
    struct walk *wk = ctx;
    char t[16];

    (void)termfreq;
    if (len >= sizeof(t))
        return 1;
    memcpy(t, term, len);
    t[len] = '\0';
    if (wk->n > 0 && strcmp(wk->last, t) >= 0)
        wk->disorder++;
    strcpy(wk->last, t);
    if (wk->n++ == 0) {
        wk->rc = delete_many(wk->writer, 3000);
        if (wk->rc == VNS_OK)
            wk->rc = write_many(wk->writer, 3000, "now");
    }
    return 0;
}

/* A walk over the terms survives the writer, resuming where it was. */
static void test_terms_after_overwrite(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *r = NULL;
    struct walk wk = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &wk.writer, &err),
                     VNS_OK);
    assert_int_equal(write_many(wk.writer, 3000, "old"), VNS_OK);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(vns_xdb_terms(r, "Q", walk_term, &wk, &err), VNS_OK);
    assert_int_equal(wk.rc, VNS_OK);
    assert_int_equal(wk.n, 3000);
    assert_int_equal(wk.disorder, 0);
    assert_string_equal(wk.last, "Q02999");
    vns_xdb_close(r);
    vns_xdb_close(wk.writer);
}

/* A folder swapped in under the name (vnsearch-index --compact) is read
 * afresh, even when it stands at the revision the reader had. */
static void test_reopen_swapped(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = NULL, *r = NULL;
    struct vns_err err = {0};
    char db[128], other[128], old[128];
    int changed = 0;

    snprintf(db, sizeof(db), "%s/db", fx->dir);
    snprintf(other, sizeof(other), "%s/other", fx->dir);
    snprintf(old, sizeof(old), "%s/old", fx->dir);
    assert_int_equal(vns_xdb_open(db, VNS_XDB_WRITE, &w, &err), VNS_OK);
    assert_int_equal(write_many(w, 1, "alpha"), VNS_OK); /* revision 1 */
    assert_int_equal(write_many(w, 2, "alpha"), VNS_OK); /* revision 2 */
    vns_xdb_close(w);
    assert_int_equal(vns_xdb_open(db, VNS_XDB_READ, &r, &err), VNS_OK);
    assert_int_equal(doccount(r), 2);
    /* compacted (revision 1), then a third document: revision 2 again */
    assert_int_equal(vns_xdb_compact(db, other, 0, &err), VNS_OK);
    assert_int_equal(vns_xdb_open(other, VNS_XDB_WRITE, &w, &err), VNS_OK);
    assert_int_equal(write_many(w, 3, "alpha"), VNS_OK);
    vns_xdb_close(w);
    assert_int_equal(rename(db, old), 0);
    assert_int_equal(rename(other, db), 0);
    assert_int_equal(vns_xdb_reopen(r, &changed, &err), VNS_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doccount(r), 3);
    vns_xdb_close(r);
}

/* Xapian's check through the shim: sound, a cut table, no database. */
static void test_check(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = write_corpus(fx->dir);
    struct vns_err err = {0};
    char path[128], *rep = NULL;
    uint64_t n = 99;

    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
    vns_xdb_close(w);
    assert_int_equal(vns_xdb_check(fx->dir, &n, &rep, &err), VNS_OK);
    assert_int_equal(n, 0);
    free(rep);
    snprintf(path, sizeof(path), "%s/postlist.glass", fx->dir);
    assert_int_equal(truncate(path, 100), 0);
    assert_int_equal(vns_xdb_check(fx->dir, &n, &rep, &err), VNS_OK);
    assert_true(n > 0);
    assert_non_null(strstr(rep, "postlist"));
    free(rep);
    snprintf(path, sizeof(path), "%s/none", fx->dir);
    assert_int_equal(vns_xdb_check(path, &n, &rep, &err), VNS_ENOTFOUND);
}

static void test_spelling(void **state)
{
    struct fixture *fx = *state;
    const struct {
        const char *word;
        unsigned max_edit;
        const char *want; /* NULL: no suggestion */
    } cases[] = {
        {"quamg", 2, "quang"}, {"quan", 1, "quang"},  {"hanoi", 2, NULL},
        {"nghĩa", 2, NULL},    {"nghia", 1, "nghĩa"}, {"zzzzzz", 2, NULL},
        {"quangtri", 1, NULL},
    };
    struct vns_xdb *db = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &db, &err), VNS_OK);
    assert_int_equal(vns_xdb_add_spelling(db, "quang", 3, &err), VNS_OK);
    assert_int_equal(vns_xdb_add_spelling(db, "nghĩa", 1, &err), VNS_OK);
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    vns_xdb_close(db);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &db, &err), VNS_OK);

    for (size_t i = 0; i < N(cases); i++) {
        char *out = (char *)"untouched";

        print_message("%s\n", cases[i].word);
        assert_int_equal(vns_xdb_spelling_suggestion(
                             db, cases[i].word, cases[i].max_edit, &out, &err),
                         VNS_OK);
        if (cases[i].want == NULL) {
            assert_null(out);
        } else {
            assert_non_null(out);
            assert_string_equal(out, cases[i].want);
        }
        free(out);
    }
    vns_xdb_close(db);
}

static void test_synonyms(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = write_corpus(fx->dir);
    struct vns_err err = {0};
    struct seen s = {0};

    assert_int_equal(vns_xdb_add_synonym(db, "xe", "ô tô", &err), VNS_OK);
    assert_int_equal(vns_xdb_add_synonym(db, "xe", "xe hơi", &err), VNS_OK);
    assert_int_equal(vns_xdb_add_synonym(db, "zz", "c", &err), VNS_OK);
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    vns_xdb_close(db);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &db, &err), VNS_OK);

    assert_int_equal(vns_xdb_synonyms(db, "xe", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.terms[0], "xe hơi"); /* byte order: x < ô */
    assert_string_equal(s.terms[1], "ô tô");
    assert_int_equal(s.freqs[0], 0);

    /* A synonym that is a term comes with its termfreq. */
    s = (struct seen){0};
    assert_int_equal(vns_xdb_synonyms(db, "zz", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.terms[0], "c");
    assert_int_equal(s.freqs[0], 2);

    s = (struct seen){.stop_at = 1};
    assert_int_equal(vns_xdb_synonyms(db, "xe", collect, &s, &err), 42);
    assert_int_equal(s.n, 1);

    s = (struct seen){0};
    assert_int_equal(vns_xdb_synonyms(db, "a", collect, &s, &err), VNS_OK);
    assert_int_equal(s.n, 0);
    vns_xdb_close(db);
}

/* One writer at a time; readers are welcome. */
static void test_second_writer_busy(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *w = NULL, *w2 = (struct vns_xdb *)&w, *r = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &w, &err), VNS_OK);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &w2, &err),
                     VNS_EBUSY);
    assert_int_equal(err.code, VNS_EBUSY);
    assert_non_null(strstr(err.msg, "locked"));
    assert_non_null(strstr(err.msg, fx->dir));
    assert_ptr_equal(w2, (struct vns_xdb *)&w);
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_READ, &r, &err), VNS_OK);
    vns_xdb_close(r);

    /* The lock goes with the writer. */
    vns_xdb_close(w);
    w2 = NULL;
    assert_int_equal(vns_xdb_open(fx->dir, VNS_XDB_WRITE, &w2, &err), VNS_OK);
    vns_xdb_close(w2);
}

/* Places with no index are VNS_ENOTFOUND for a reader. */
static void test_open_no_index(void **state)
{
    struct fixture *fx = *state;
    char path[128];
    const char *const places[] = {"missing", "missing/deeper", "empty", "junk",
                                  "file"};
    FILE *f;

    assert_int_equal(mkdir(sub(fx, "empty", path, sizeof(path)), 0700), 0);
    assert_int_equal(mkdir(sub(fx, "junk", path, sizeof(path)), 0700), 0);
    f = fopen(sub(fx, "junk/notes.txt", path, sizeof(path)), "w");
    assert_non_null(f);
    fputs("not an index\n", f);
    fclose(f);
    f = fopen(sub(fx, "file", path, sizeof(path)), "w");
    assert_non_null(f);
    fputs("not an index either\n", f);
    fclose(f);

    for (size_t i = 0; i < N(places); i++) {
        struct vns_xdb *db = (struct vns_xdb *)&f;
        struct vns_err err = {0};

        print_message("%s\n", places[i]);
        sub(fx, places[i], path, sizeof(path));
        assert_int_equal(vns_xdb_open(path, VNS_XDB_READ, &db, &err),
                         VNS_ENOTFOUND);
        assert_int_equal(err.code, VNS_ENOTFOUND);
        assert_non_null(strstr(err.msg, path));
        assert_non_null(strstr(err.msg, "no index here"));
        assert_ptr_equal(db, (struct vns_xdb *)&f);
    }
}

/* Flip one byte of dir/iamglass at off (or cut the file there). */
static void damage(const char *dir, long off, int cut)
{
    char path[256];
    FILE *f;
    int c;

    snprintf(path, sizeof(path), "%s/iamglass", dir);
    if (cut) {
        assert_int_equal(truncate(path, off), 0);
        return;
    }
    f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    c = fgetc(f);
    assert_int_not_equal(c, EOF);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    assert_int_not_equal(fputc(c + 1, f), EOF);
    assert_int_equal(fclose(f), 0);
}

/* An index that is there but unreadable is VNS_EINDEX, not "no index". */
static void test_open_damaged(void **state)
{
    struct fixture *fx = *state;
    const struct {
        const char *name;
        long off;
        int cut;
        const char *want; /* in the message */
    } cases[] = {
        {"cut version file", 10, 1, "index damaged"},
        {"bad magic", 3, 0, "index damaged"},
        {"newer format", 15, 0, "format version"},
    };

    for (size_t i = 0; i < N(cases); i++) {
        char path[128];
        struct vns_xdb *db = NULL;
        struct vns_err err = {0};

        print_message("%s\n", cases[i].name);
        snprintf(path, sizeof(path), "%s/db%zu", fx->dir, i);
        assert_int_equal(vns_xdb_open(path, VNS_XDB_WRITE, &db, &err), VNS_OK);
        assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
        vns_xdb_close(db);
        damage(path, cases[i].off, cases[i].cut);
        db = NULL;
        assert_int_equal(vns_xdb_open(path, VNS_XDB_READ, &db, &err),
                         VNS_EINDEX);
        assert_null(db);
        assert_non_null(strstr(err.msg, path));
        assert_non_null(strstr(err.msg, cases[i].want));
    }
}

static void test_bad_arguments(void **state)
{
    struct fixture *fx = *state;
    struct vns_xdb *db = NULL;
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(fx->dir, 7, &db, &err), VNS_EINVAL);
    assert_null(db);
    assert_int_equal(vns_xdb_open(NULL, VNS_XDB_READ, &db, &err), VNS_EINVAL);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_add_posting(doc, "", 0, 1, &err), VNS_EINVAL);
    assert_int_equal(vns_xdoc_set_value(doc, 0xffffffffu, "x", 1, &err),
                     VNS_EINVAL);
    assert_int_equal(vns_xdoc_add_term(NULL, "a", 1, 1, &err), VNS_EINVAL);
    vns_xdoc_free(doc);
    vns_xdoc_free(NULL);
    vns_xdb_close(NULL);
    vns_xresults_fini(NULL);
    /* A NULL err is allowed everywhere. */
    assert_int_equal(vns_xdb_open(fx->dir, 7, &db, NULL), VNS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_search_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_facets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_bad_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_term_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_adds_idterm, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_close_drops_uncommitted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_swapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_after_overwrite, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_freqs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_terms_after_overwrite, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_synonyms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_writer_busy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_no_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
