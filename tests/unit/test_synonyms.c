/* Query synonyms: the file format, longest-rule matching, the shipped
 * data/synonyms.tsv, and a search for "UBND" finding "Ủy ban nhân dân". */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "synonyms.h"

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

#include "vnsearch/vnsearch.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char table[] = "# comment\n"
                            "\n"
                            "UBND\tỦy ban nhân dân\n"
                            "Ủy ban nhân dân\tUBND\r\n"
                            "deadline\thạn\thạn chót\ttrước ngày\n"
                            "vắc-xin\tvắc xin\n"
                            "Covid19\tCovid-19\n";

static void test_parse_and_match(void **state)
{
    static const struct {
        const char *seq[4];
        size_t n, covered;
        const char *first; /* first syllable of the first expansion */
        size_t nalts;
    } cases[] = {
        {{"ubnd", "tinh"}, 2, 1, "uy", 1},
        {{"uy", "ban", "nhan", "dan"}, 4, 4, "ubnd", 1},
        {{"uy", "ban", "nhan"}, 3, 0, NULL, 0}, /* not the whole rule */
        {{"deadline"}, 1, 1, "han", 3},
        {{"vac", "xin"}, 2, 2, "vac", 1}, /* "vắc-xin" as two syllables */
        {{"covid19"}, 1, 1, "covid", 1},
        {{"tiem"}, 1, 0, NULL, 0},
    };
    struct vns_synonyms *s = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_synonyms_parse("t", table, strlen(table), &s, &err),
                     VNS_OK);
    for (size_t i = 0; i < N(cases); i++) {
        const struct vns_synphrase *alts = NULL;
        size_t na = 0;
        assert_int_equal(
            vns_synonyms_match(s, cases[i].seq, cases[i].n, &alts, &na),
            cases[i].covered);
        if (cases[i].first == NULL)
            continue;
        assert_int_equal(na, cases[i].nalts);
        assert_string_equal(alts[0].words[0], cases[i].first);
    }
    vns_synonyms_free(s);
    assert_int_equal(vns_synonyms_match(NULL, cases[0].seq, 1, NULL, NULL), 0);
}

static void test_bad(void **state)
{
    static const char *const cases[] = {
        "UBND\n",                                 /* no meaning */
        "UBND\t-\n",                              /* a meaning with no word */
        "\tỦy ban\n",                             /* no words */
        "a\tb c d e f g h i j k l m n o p q r\n", /* over 16 syllables */
    };
    struct vns_synonyms *s = NULL;
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(
            vns_synonyms_parse("t", cases[i], strlen(cases[i]), &s, &err),
            VNS_EBADDATA);
        assert_non_null(strstr(err.msg, "t:1:"));
    }
    assert_null(s);
}

static void test_shipped_file(void **state)
{
    static const char *const abbrev[] = {"ubnd", "hdnd", "bcd", "ttch",
                                         "cdc",  "mttq", "tu",  "vp"};
    struct vns_synonyms *s = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_synonyms_open("data/synonyms.tsv", &s, &err), VNS_OK);
    for (size_t i = 0; i < N(abbrev); i++) {
        const struct vns_synphrase *alts = NULL;
        size_t na = 0;
        assert_int_equal(vns_synonyms_match(s, &abbrev[i], 1, &alts, &na), 1);
        assert_true(alts[0].n >= 2); /* the name in full */
        /* ... and the name leads back */
        const struct vns_synphrase *back = NULL;
        size_t nb = 0;
        assert_int_equal(vns_synonyms_match(s,
                                            (const char *const *)alts[0].words,
                                            alts[0].n, &back, &nb),
                         alts[0].n);
        assert_string_equal(back[0].words[0], abbrev[i]);
    }
    vns_synonyms_free(s);
    assert_int_equal(vns_synonyms_open("/nonexistent/syn.tsv", &s, &err),
                     VNS_EIO);
}

static char dir[] = "/tmp/vns-test-synonyms-XXXXXX";

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A search for the abbreviation finds the name in full, and the reverse;
 * the word as typed still ranks first. */
static void test_search(void **state)
{
    static const char *const texts[] = {
        "Ủy ban nhân dân tỉnh yêu cầu các sở triển khai.",
        "UBND huyện báo cáo kết quả.",
        "Trường học mở cửa trở lại.",
    };
    static const struct {
        const char *q, *first;
        size_t n;
    } cases[] = {
        {"UBND", "d1", 2},
        {"Ủy ban nhân dân", "d0", 2},
        {"vaccine school", "d2", 1},
    };
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    char id[8];

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err), VNS_OK);
    for (size_t i = 0; i < N(texts); i++) {
        snprintf(id, sizeof(id), "d%zu", i);
        assert_int_equal(vns_index_add_text(ix, id, "Thông báo", texts[i],
                                            strlen(texts[i]), NULL, &err),
                         VNS_OK);
    }
    vns_index_close(ix);
    assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &ix, &err), VNS_OK);
    for (size_t i = 0; i < N(cases); i++) {
        struct vns_results r;
        assert_int_equal(
            vns_search(ix, cases[i].q, strlen(cases[i].q), NULL, &r, &err),
            VNS_OK);
        assert_int_equal(r.n, cases[i].n);
        assert_string_equal(r.hits[0].id, cases[i].first);
        vns_results_fini(&r);
    }
    vns_index_close(ix);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_match),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_shipped_file),
        cmocka_unit_test(test_search),
    };

    /* tests run from the top folder: the data files are in data/ */
    setenv("VNSEARCH_DATA_DIR", "data", 0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
