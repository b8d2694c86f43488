/* Completion of the last word: diacritics restored from the exact terms,
 * the most frequent form, typed marks kept, counts and edge cases. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "vnsearch/suggest.h"

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

static char dir[] = "/tmp/vns-test-suggest-XXXXXX";
static struct vns_index *ix;

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Six short documents; "tiêm" outnumbers "tiềm", bare "an" outnumbers
 * "ăn", and "covid" has no marked form at all. */
static int setup(void **state)
{
    static const char *const texts[] = {
        "Tiêm vắc xin mũi 2, tiêm đủ liều. Kế hoạch tiêm chủng.",
        "Tiêm phòng covid cho học sinh; tiềm năng du lịch.",
        "Bảo đảm an toàn, an ninh trật tự, an sinh xã hội.",
        "Ăn uống tại chỗ; an toàn thực phẩm.",
        "Tiếp tục tiêm mũi 3. Tiến độ tiêm nhanh.",
        "Kiểm tra tiến độ, tiếp nhận hồ sơ covid.",
    };
    struct vns_err err = {0};
    char id[16];

    (void)state;
    /* tests run from the top folder: the vocabularies are in data/ */
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    if (vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err) != VNS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    for (size_t i = 0; i < N(texts); i++) {
        snprintf(id, sizeof(id), "d%zu", i);
        if (vns_index_add_text(ix, id, "Thông báo", texts[i], strlen(texts[i]),
                               NULL, &err) != VNS_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return -1;
        }
    }
    vns_index_close(ix);
    return vns_index_open(dir, VNS_INDEX_READ, &ix, &err) == VNS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vns_index_close(ix);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void test_first(void **state)
{
    static const struct {
        const char *q, *text; /* the first suggestion */
        uint64_t count;
    } cases[] = {
        {"tiem", "tiêm", 3}, /* any form typed bare */
        {"TIEM", "tiêm", 3}, /* case does not matter */
        {"tiề", "tiềm", 1},  /* typed marks kept, that form counted */
        {"an", "an", 2},     /* the bare form is the most used */
        {"cov", "covid", 2}, /* no marked form at all */
        {"ke hoach ti", "ke hoach tiêm", 3}, /* only the last word */
        {"-tie", "-tiêm", 3},                /* exclusion sign kept */
        {"\"mu", "\"mũi", 2},                /* and an opening quote */
    };
    struct vns_suggestions s;
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(
            vns_suggest(ix, cases[i].q, strlen(cases[i].q), 0, &s, &err),
            VNS_OK);
        assert_true(s.n >= 1);
        assert_string_equal(s.items[0].text, cases[i].text);
        assert_int_equal(s.items[0].count, cases[i].count);
        vns_suggestions_fini(&s);
    }
}

static void test_order_and_max(void **state)
{
    struct vns_suggestions s;
    struct vns_err err = {0};

    (void)state;
    /* "tiem" (tiêm and tiềm: 3 documents, one entry), then tiến and tiếp
     * (2 each, by word) */
    assert_int_equal(vns_suggest(ix, "ti", 2, 0, &s, &err), VNS_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.items[0].word, "tiêm");
    assert_int_equal(s.items[0].count, 3);
    assert_string_equal(s.items[1].word, "tiến");
    assert_string_equal(s.items[2].word, "tiếp");
    for (size_t i = 1; i < s.n; i++)
        assert_true(s.items[i - 1].count >= s.items[i].count);
    vns_suggestions_fini(&s);
    assert_int_equal(vns_suggest(ix, "ti", 2, 2, &s, &err), VNS_OK);
    assert_int_equal(s.n, 2);
    vns_suggestions_fini(&s);
}

static void test_none(void **state)
{
    static const char *const cases[] = {"", "tiem ", "zzz", "-", "\"", " "};
    struct vns_suggestions s;
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(
            vns_suggest(ix, cases[i], strlen(cases[i]), 0, &s, &err), VNS_OK);
        assert_int_equal(s.n, 0);
        vns_suggestions_fini(&s);
    }
}

static void test_too_long(void **state)
{
    char q[VNS_MAX_QUERY + 2];
    struct vns_suggestions s = {0};
    struct vns_err err = {0};

    (void)state;
    memset(q, 'a', sizeof(q));
    assert_int_equal(vns_suggest(ix, q, sizeof(q), 0, &s, &err), VNS_ETOOBIG);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first),
        cmocka_unit_test(test_order_and_max),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_too_long),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
