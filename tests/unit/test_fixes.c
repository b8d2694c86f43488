/* Query words judged by an index's statistics, on an index built here
 * where some words are in most notices. Misspelled syllables (fixes.c):
 * a word no notice writes beside its neighbours, though a word one edit
 * away stands there in hundreds, gets that word as its fix; words
 * written as typed get none. And the count of matches behind facets
 * (search.c's counting tree, common words counting only through their
 * pairs): the same documents as the ranked match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixes.h"
#include "fold.h"
#include "index_impl.h"
#include "vnsearch/index.h"
#include "vnsearch/search.h"

static char dir[] = "/tmp/vns-test-fixes-XXXXXX";
static struct vns_index *ix;

static int add(const char *id, const char *text, struct vns_err *err)
{
    return vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, err);
}

/* "triển khai lấy" in 130 notices, "khá" in 105 others, and "triển kha"
 * and "kha lấy" once each, in two notices about a man and a team called
 * Kha: "kha" is a real word, in under half the notices. "Thành và có"
 * in 6, "và" in the 130 too, "Thanh Oai có" in 3, "Cà Mau" in 3 beside
 * "mẫu", "màu", "máu" and "Mậu". "đã cấp" in 1, "cấp" in 2 more,
 * "đã có" in 5, "đã cá" in 1; "khá tổ" in 1. "Đam Rông có" in 4 of
 * the 130, "Đam về thăm" in 4 more, "Rôn có" in 1 of the 105. */
static int setup(void **state)
{
    struct vns_err err = {0};
    char id[32], text[128];
    int rc = VNS_OK;

    (void)state;
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    rc = vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err);
    for (int i = 0; i < 130 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "a%d", i);
        snprintf(text, sizeof(text),
                 "Các xã triển khai lấy mẫu đợt %d và báo cáo.%s\n", i,
                 i < 4   ? " Huyện Đam Rông có ca."
                 : i < 8 ? " Ông Đam về thăm."
                         : "");
        rc = add(id, text, &err);
    }
    for (int i = 0; i < 105 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "b%d", i);
        snprintf(text, sizeof(text), "Kết quả đợt %d khá tốt.%s\n", i,
                 i == 0 ? " Bà Rôn có ý kiến." : "");
        rc = add(id, text, &err);
    }
    if (rc == VNS_OK)
        rc = add("man", "Ông Triển Kha về thăm.\n", &err);
    if (rc == VNS_OK)
        rc = add("team", "Đội Kha lấy số liệu.\n", &err);
    for (int i = 0; i < 6 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "c%d", i);
        snprintf(text, sizeof(text), "Hoàn thành và có báo cáo số %d.\n", i);
        rc = add(id, text, &err);
    }
    for (int i = 0; i < 3 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "m%d", i);
        snprintf(text, sizeof(text), "Tỉnh Cà Mau: mẫu, màu, máu, Mậu %d.\n",
                 i);
        rc = add(id, text, &err);
    }
    for (int i = 0; i < 3 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "d%d", i);
        snprintf(text, sizeof(text), "Huyện Thanh Oai có %d ca mắc.\n", i);
        rc = add(id, text, &err);
    }
    if (rc == VNS_OK)
        rc = add("e0", "Xã đã cấp giấy phép.\n", &err);
    for (int i = 0; i < 2 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "e%d", i + 1);
        snprintf(text, sizeof(text), "Tỉnh cấp giấy phép %d.\n", i);
        rc = add(id, text, &err);
    }
    for (int i = 0; i < 5 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "f%d", i);
        snprintf(text, sizeof(text), "Huyện đã có kế hoạch %d.\n", i);
        rc = add(id, text, &err);
    }
    if (rc == VNS_OK)
        rc = add("g0", "Ông đã cá cược.\n", &err);
    if (rc == VNS_OK)
        rc = add("g1", "Chị Khá tổ trưởng.\n", &err);
    if (rc == VNS_OK)
        rc = vns_index_commit(ix, &err);
    if (rc == VNS_OK)
        return 0;
    fprintf(stderr, "setup: %s\n", err.msg);
    return -1;
}

static int teardown(void **state)
{
    char cmd[64];

    (void)state;
    vns_index_close(ix);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void find(const char *qs, struct vns_fixes *fx)
{
    struct vns_query q;
    struct vns_err err = {0};

    assert_int_equal(vns_query_parse(ix->w.an, qs, strlen(qs), &q, &err),
                     VNS_OK);
    assert_int_equal(vns_fixes_find(ix, &q, fx, &err), VNS_OK);
}

/* "kha" is written beside "triển" and "lấy" once each, "khai" 130 times
 * each: the query means "khai". Its neighbours, rare beside it only
 * because of it, get no fixes. */
static void test_real_word(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("triển kha lấy", &fx);
    assert_int_equal(fx.n[0], 0);
    assert_true(fx.n[1] >= 1);
    assert_string_equal(fx.e[1][0].word, "khai");
    assert_int_equal(fx.n[2], 0);
    assert_false(fx.common[1]); /* 107 of 259 */
    assert_true(fx.common[0]);  /* "triển": 131 of 259 */
}

/* Written as typed: nothing to fix. */
static void test_as_written(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("triển khai lấy", &fx);
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(fx.n[k], 0);
    assert_true(fx.common_pair[0]); /* "triển khai" in 130 of 259 */
    find("kết quả khá tốt", &fx);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(fx.n[k], 0);
}

/* A word no notice holds gets the words one edit away. */
static void test_unknown_word(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("triển khxi lấy", &fx);
    assert_true(fx.n[1] >= 1);
    assert_string_equal(fx.e[1][0].word, "khai");
}

/* A word typed with a vowel dropped from under its marks is misspelled
 * even where its bare letters make a word written there: "thành và ćo"
 * ("cáo" without its "a"; "và có" is in 6 notices) gets "cáo". */
static void test_astray_word(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("thành và c\xcc\x81o", &fx);
    assert_true(fx.n[2] >= 1);
    assert_string_equal(fx.e[2][0].word, "cao");
    find("thành và có", &fx); /* as written */
    assert_int_equal(fx.n[2], 0);
}

/* A word cut short, ending where no syllable ends, is misspelled though
 * its bare letters make a word written there ("đã cá" is in a notice):
 * "xã đã cấ" gets "cấp", the word it is with a letter dropped, before
 * "có", written beside "đã" in more notices for each holding it. */
static void test_cut_short(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("xã đã cấ", &fx);
    assert_true(fx.n[2] >= 1);
    assert_string_equal(fx.e[2][0].word, "cap");
    find("xã đã cá", &fx); /* as written */
    assert_int_equal(fx.n[2], 0);
}

/* A word typed with marks no notice writes its letters with is
 * misspelled though its bare letters are written beside its neighbours
 * ("khá tổ"): "khá tố" gets "tốt", written there in 105. */
static void test_rare_written(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("kết quả khá tố", &fx);
    assert_true(fx.n[3] >= 1);
    assert_string_equal(fx.e[3][0].word, "tot");
    find("kết quả khá tổ", &fx); /* as written */
    assert_int_equal(fx.n[3], 0);
}

/* A marked word foretells the next: "Đam" stands before "Rông" in 4 of
 * its 8 notices, never before "Rôn" (in one notice, beside "có"), so
 * "Đam Rôn có" means "Rông". "thăm" foretells nothing: "rông" beside
 * "có" alone does not make "thăm Rôn" a typo. */
static void test_foretold(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("Đam Rôn có", &fx);
    assert_true(fx.n[1] >= 1);
    assert_string_equal(fx.e[1][0].word, "rong");
    find("Đam Rông có", &fx); /* as written */
    assert_int_equal(fx.n[1], 0);
    find("thăm Rôn có", &fx);
    assert_int_equal(fx.n[1], 0);
}

/* Shapes no syllable ends with: "ă", "â", and "iê", "yê", "uô", "ươ"
 * with nothing after them. */
static void test_shape_unfinished(void **state)
{
    static const char *const cut[] = {"câ", "tiê", "lươ", "muô", "yê", "ă"};
    static const char *const whole[] = {"câu", "tiêm", "lưa", "mua",
                                        "cà",  "thuơ", "bê",  ""};

    (void)state;
    for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++)
        if (!vns_shape_unfinished(cut[i]))
            fail_msg("'%s' is cut short", cut[i]);
    for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
        if (vns_shape_unfinished(whole[i]))
            fail_msg("'%s' is a whole syllable", whole[i]);
}

/* Of the words one edit away written beside the neighbours, the one
 * written there most for how often it is written at all: "Thanh Oa có"
 * is "Thanh Oai có" (3 notices, "oai" in 3), not "thành và có" (6
 * notices, "và" in 136). */
static void test_fix_by_context(void **state)
{
    struct vns_fixes fx;

    (void)state;
    find("huyện Thanh Oa có", &fx);
    assert_true(fx.n[2] >= 2);
    assert_string_equal(fx.e[2][0].word, "oai");
    assert_string_equal(fx.e[2][1].word, "va");
    /* typed with a grave: "và" keeps it, "Oai" does not and is left out */
    find("huyện Thanh Oà có", &fx);
    assert_true(fx.n[2] >= 1);
    assert_string_equal(fx.e[2][0].word, "va");
    for (size_t e = 0; e < fx.n[2]; e++)
        assert_string_not_equal(fx.e[2][e].word, "oai");
}

/* A word's shape without its tone, and the tone apart; nothing for
 * what no Vietnamese letter is. */
static void test_word_shape(void **state)
{
    char out[64];
    int tone = -1;

    (void)state;
    assert_int_equal(
        vns_word_shape("Tiếm", strlen("Tiếm"), out, sizeof(out), &tone),
        strlen("tiêm"));
    assert_string_equal(out, "tiêm");
    assert_int_equal(tone, 2);
    /* NFD: "e" + circumflex + grave */
    assert_true(
        vns_word_shape("ke\xcc\x82\xcc\x80m", 7, out, sizeof(out), &tone) > 0);
    assert_string_equal(out, "kêm");
    assert_int_equal(tone, 1);
    assert_true(
        vns_word_shape("ĐƯỜNG", strlen("ĐƯỜNG"), out, sizeof(out), &tone) > 0);
    assert_string_equal(out, "đương");
    assert_int_equal(
        vns_word_shape("Ŷn", strlen("Ŷn"), out, sizeof(out), &tone), 0);
    assert_int_equal(vns_word_shape("H\xcc\x80nh", 5, out, sizeof(out), &tone),
                     0); /* a tone on a consonant */
}

/* A vowel dropped from a word's NFD leaves its marks on the letter
 * before: the shapes it had are those with a vowel the marks fit. */
static void test_word_dropped(void **state)
{
    char out[6][64];
    int tone = -1;

    (void)state;
    /* "Hành" without its "a": a grave on "H" */
    assert_int_equal(
        vns_word_dropped("H\xcc\x80nh", 5, out[0], sizeof(out[0]), 6, &tone),
        6);
    assert_string_equal(out[0], "hanh");
    assert_string_equal(out[1], "henh");
    assert_string_equal(out[5], "hynh");
    assert_int_equal(tone, 1);
    /* "Lộc" without its "ô": a dot below and a circumflex on "L" */
    assert_int_equal(vns_word_dropped("L\xcc\xa3\xcc\x82"
                                      "c",
                                      6, out[0], sizeof(out[0]), 6, &tone),
                     3);
    assert_string_equal(out[0], "lâc");
    assert_string_equal(out[1], "lêc");
    assert_string_equal(out[2], "lôc");
    assert_int_equal(tone, 5);
    /* "Đức" without its "ư": a horn and an acute on "Đ" */
    assert_int_equal(vns_word_dropped("Đ\xcc\x9b\xcc\x81"
                                      "c",
                                      7, out[0], sizeof(out[0]), 6, &tone),
                     2);
    assert_string_equal(out[1], "đưc");
    assert_int_equal(tone, 2);
    /* "Châu" without its "â": "ĥ" composed; "Yên": a circumflex no "y"
     * takes */
    assert_int_equal(vns_word_dropped("Cĥu", strlen("Cĥu"), out[0],
                                      sizeof(out[0]), 6, &tone),
                     3);
    assert_string_equal(out[0], "châu");
    assert_int_equal(tone, 0);
    assert_int_equal(
        vns_word_dropped("Ŷn", strlen("Ŷn"), out[0], sizeof(out[0]), 6, &tone),
        3);
    assert_string_equal(out[1], "yên");
    /* "người" without its "ơ": a second horn and the grave on "ư" */
    assert_int_equal(vns_word_dropped("ngư\xcc\x9b\xcc\x80i", strlen("ngư") + 5,
                                      out[0], sizeof(out[0]), 6, &tone),
                     2);
    assert_string_equal(out[0], "ngươi");
    assert_int_equal(tone, 1);
    /* nothing astray, marks in two places, or a mark no Vietnamese
     * letter has */
    assert_int_equal(vns_word_dropped("Tiếm", strlen("Tiếm"), out[0],
                                      sizeof(out[0]), 6, &tone),
                     0);
    assert_int_equal(vns_word_dropped("h\xcc\x80nh\xcc\x81", 7, out[0],
                                      sizeof(out[0]), 6, &tone),
                     0);
    assert_int_equal(
        vns_word_dropped("h\xcc\x88nh", 5, out[0], sizeof(out[0]), 6, &tone),
        0);
    assert_int_equal(
        vns_word_dropped("hnh", 3, out[0], sizeof(out[0]), 6, &tone), 0);
}

/* A fix keeps what the misspelled word was typed with: one letter or
 * the tone changed, not both. The index writes "mẫu", "màu", "máu",
 * "Mậu" and "Mau". */
static void test_fix_keeps_shape(void **state)
{
    struct vns_spell *sp = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_spell_new(ix->db, &sp, &err), VNS_OK);
    assert_true(vns_spell_near_form(sp, "kẫu", "mau")); /* "mẫu" */
    assert_true(vns_spell_near_form(sp, "mâu", "mau")); /* the tone */
    assert_true(vns_spell_near_form(sp, "mu", "mau"));  /* bare */
    assert_false(vns_spell_near_form(sp, "kầu", "mau"));
    assert_true(vns_spell_near_form(sp, "mũ", "mau")); /* "mẫu", â dropped */
    assert_false(vns_spell_near_form(sp, "kũ", "mau"));
    /* a vowel dropped, its marks left on "m": "màu", "mẫu"; no "mảu" */
    assert_true(vns_spell_near_form(sp, "m\xcc\x80u", "mau"));
    assert_true(vns_spell_near_form(sp, "m\xcc\x82\xcc\x83u", "mau"));
    assert_false(vns_spell_near_form(sp, "m\xcc\x89u", "mau"));
    assert_false(vns_spell_near_form(sp, "ŷn", "mau"));
    assert_true(vns_spell_near_form(sp, "ŋau", "mau")); /* no telling */
    vns_spell_free(sp);
}

/* "Did you mean" offers the likeliest fix, in its written form and the
 * typed word's capitals. */
static void test_fix_suggested(void **state)
{
    struct vns_search_opts o = {.limit = 5};
    struct vns_results res = {0};
    struct vns_err err = {0};
    const char *q = "huyện Thanh Oa có";

    (void)state;
    assert_int_equal(vns_search(ix, q, strlen(q), &o, &res, &err), VNS_OK);
    assert_non_null(res.suggestion);
    assert_string_equal(res.suggestion, "huyện Thanh Oai có");
    assert_true(res.n > 0);
    assert_string_equal(res.hits[0].id, "d0");
    vns_results_fini(&res);
    /* the fix as written bare, though its marked forms are as many */
    q = "tỉnh Cà Mu";
    assert_int_equal(vns_search(ix, q, strlen(q), &o, &res, &err), VNS_OK);
    assert_non_null(res.suggestion);
    assert_string_equal(res.suggestion, "tỉnh Cà Mau");
    vns_results_fini(&res);
}

/* Every hit of a search that returns them all, with and without
 * facets: the facets' count runs a tree of its own, cheaper, that must
 * find the same documents. */
static void test_count_as_matched(void **state)
{
    static const char *const queries[] = {
        "các xã triển khai lấy mẫu", /* every word common: pairs only */
        "triển kha lấy",             /* a fix */
        "kết quả khá tốt",
        "triển khai khá tốt", /* a common pair beside others */
        "Ông Triển Kha",
        "\"triển khai\" đợt 7", /* a required phrase */
        "triển khai lấy -mẫu",  /* an exclusion */
        "đội triển khai lấy số liệu",
    };
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        struct vns_search_opts with = {.limit = 1000, .facets = 1},
                               without = {.limit = 1000};
        struct vns_results f = {0}, n = {0};
        const char *q = queries[i];
        assert_int_equal(vns_search(ix, q, strlen(q), &with, &f, &err), VNS_OK);
        assert_int_equal(vns_search(ix, q, strlen(q), &without, &n, &err),
                         VNS_OK);
        if (f.estimate != n.n || !f.exact || f.n != n.n)
            fail_msg("'%s': %zu hits, counted %llu", q, n.n,
                     (unsigned long long)f.estimate);
        for (size_t h = 0; h < n.n; h++)
            assert_string_equal(f.hits[h].id, n.hits[h].id);
        assert_true(n.n > 0);
        vns_results_fini(&f);
        vns_results_fini(&n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_word),
        cmocka_unit_test(test_as_written),
        cmocka_unit_test(test_unknown_word),
        cmocka_unit_test(test_fix_by_context),
        cmocka_unit_test(test_word_shape),
        cmocka_unit_test(test_word_dropped),
        cmocka_unit_test(test_astray_word),
        cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_shape_unfinished),
        cmocka_unit_test(test_rare_written),
        cmocka_unit_test(test_foretold),
        cmocka_unit_test(test_fix_keeps_shape),
        cmocka_unit_test(test_fix_suggested),
        cmocka_unit_test(test_count_as_matched),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
