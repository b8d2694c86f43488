/* Deadline intent: which queries ask for a deadline, which words go, and
 * how much of the rest a deadline sentence holds. */
#include "intent.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct vns_analyzer *an;

static int setup(void **state)
{
    struct vns_err err = {0};

    (void)state;
    return vns_analyzer_new(&an, &err) == VNS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vns_analyzer_free(an);
    return 0;
}

/* The folded syllables left in q, space-separated. */
static void left(const struct vns_query *q, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t g = 0; g < q->ngroups; g++)
        for (size_t p = 0; p < q->groups[g].nparts; p++) {
            if (out[0] != '\0')
                strncat(out, " ", cap - strlen(out) - 1);
            strncat(out, q->terms[q->groups[g].first + p].folded,
                    cap - strlen(out) - 1);
        }
}

static void test_deadline(void **state)
{
    static const struct {
        const char *q;
        int asks;
        const char *rest;
    } cases[] = {
        {"tiêm mũi 1 deadline", 1, "tiem mui 1"},
        {"hạn chót tiêm vắc xin mũi 2", 1, "tiem vac xin mui 2"},
        {"tiem mui 3 cham nhat ngay", 1, "tiem mui 3"},
        {"thời hạn cách ly F0 F1", 1, "cach ly f0 f1"},
        {"giãn cách đến ngày", 1, "gian cach"},
        {"hạn", 1, "han"},               /* all it holds: kept */
        {"tiêm mũi 2", 0, "tiem mui 2"}, /* no question of when */
        /* quotes of a notice's sentence hold the date */
        {"hoàn thành trước ngày 29/3/2023", 0,
         "hoan thanh truoc ngay 29 3 2023"},
        {"mùa mưa bão đến ngày 11/10 cho cơ", 0,
         "mua mua bao den ngay 11 10 cho co"},
        /* and figures read off a notice */
        {"hanh chinh giai quyet dung han dat 47,4%", 0,
         "hanh chinh giai quyet dung han dat 47,4"},
        {"tiêm mũi 2 đạt 90% hạn chót", 1, "tiem mui 2 dat 90"},
    };
    struct vns_query q;
    struct vns_err err = {0};
    char rest[256];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(
            vns_query_parse(an, cases[i].q, strlen(cases[i].q), &q, &err),
            VNS_OK);
        assert_int_equal(vns_intent_deadline(&q), cases[i].asks);
        left(&q, rest, sizeof(rest));
        assert_string_equal(rest, cases[i].rest);
    }
}

/* The words on either side of cue words left out do not stand side by
 * side: "thị trấn, thời hạn hoàn thành" holds no "trấn hoàn", "xét
 * nghiệm hạn chót báo cáo" no "nghiệm báo". */
static void test_apart(void **state)
{
    static const char *const qs[] = {
        "thị trấn thời hạn hoàn thành chậm nhất ngày",
        "xét nghiệm hạn chót báo cáo",
        "tiêm chủng mũi hai deadline",
    };
    static const size_t want[][4] = {{0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 0}};
    struct vns_query q;
    struct vns_err err = {0};
    const struct vns_qterm *seq[8];
    size_t run[8];

    (void)state;
    for (size_t i = 0; i < N(qs); i++) {
        assert_int_equal(vns_query_parse(an, qs[i], strlen(qs[i]), &q, &err),
                         VNS_OK);
        assert_int_equal(vns_intent_deadline(&q), 1);
        assert_int_equal(vns_query_loose(&q, seq, run, 8), 4);
        for (size_t k = 1; k < 4; k++)
            assert_int_equal(run[k] - run[0], want[i][k]);
    }
}

static void test_cover(void **state)
{
    static const struct {
        const char *q, *sentence;
        double want;
    } cases[] = {
        {"tiêm mũi 2", "Hoàn thành tiêm đủ mũi 2 trước ngày 25/02/2022.", 1},
        /* the 2 of a date is no "mũi 2" */
        {"tiêm mũi 2", "Đến ngày 21/2/2022: hoàn thành tiêm mũi 1.", 2.0 / 3},
        {"cach ly", "Kết thúc cách ly tập trung.", 1},
        {"truy vết", "Báo cáo kết quả.", 0},
    };
    struct vns_query q;
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(
            vns_query_parse(an, cases[i].q, strlen(cases[i].q), &q, &err),
            VNS_OK);
        assert_float_equal(
            vns_intent_cover(&q, cases[i].sentence, strlen(cases[i].sentence)),
            cases[i].want, 1e-9);
    }
}

/* The cue phrases' written forms, syllable by syllable, "" elsewhere:
 * "han" alone, a phrase split by a quote, and English get none. */
static void test_cue_forms(void **state)
{
    static const struct {
        const char *q, *want; /* the forms joined by '|' */
        size_t found;
    } cases[] = {
        {"tiem mui 2 han chot", "|||hạn|chót", 2},
        {"khi nao hoan thanh", "khi|nào||", 2},
        {"thoi han hoan thanh cham nhat ngay", "thời|hạn|||chậm|nhất|ngày", 5},
        {"han cach ly", "||", 0},
        {"han \"chot\" cach ly", "||", 0},
        {"deadline due date", "||", 0},
    };
    struct vns_query q;
    struct vns_err err = {0};
    const struct vns_qterm *seq[8];
    size_t run[8];
    char forms[8][VNS_INTENT_FORM_MAX], got[256];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        size_t n, o = 0;
        assert_int_equal(
            vns_query_parse(an, cases[i].q, strlen(cases[i].q), &q, &err),
            VNS_OK);
        n = vns_query_loose(&q, seq, run, 8);
        assert_int_equal(vns_intent_cue_forms(seq, run, n, forms),
                         cases[i].found);
        for (size_t k = 0; k < n; k++)
            o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s",
                                  k ? "|" : "", forms[k]);
        assert_string_equal(got, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_apart),
        cmocka_unit_test(test_cover),
        cmocka_unit_test(test_cue_forms),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
