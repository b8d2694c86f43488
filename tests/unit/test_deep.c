/* Known items that their terms alone rank low. The re-rank below its
 * first hits (rerank.c, look_deeper): a known item of common words, in a
 * notice long enough that its terms alone rank it under many short
 * notices holding all of the words but one, still comes first. And a
 * known item cut after a deadline's cue words ("Phú Tân thời hạn hoàn
 * thành"), read as a deadline question, finds the notice writing its
 * words beside them (search.c, cue_edges). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rerank.h"
#include "vnsearch/index.h"
#include "vnsearch/search.h"

static char dir[] = "/tmp/vns-test-deep-XXXXXX";
static struct vns_index *ix;

/* Short notices: "Huyện <name> có tỷ lệ giải ngân thấp", more of them
 * than the re-rank's first hits. */
#define NSHORT (VNS_RERANK_ORDER_DEPTH + 10)
/* Notices of other things, for the words' weights. */
#define NOTHER 150
static const char *const names[] = {
    "Phú Tân",   "Kỳ Anh",    "Sông Hinh", "Đông Anh",   "Tân Kỳ",
    "Hương Sơn", "Nghi Xuân", "Cẩm Xuyên", "Phước Long", "Long Thành"};

/* A longer notice: the sentence once, among others (its terms then rank
 * it under the short notices: 31st of 31). */
static char *long_notice(void)
{
    static const char filler[] =
        "Các sở, ban, ngành tiếp tục theo dõi tình hình, báo cáo kết quả "
        "thực hiện về Văn phòng theo định kỳ hằng tháng. ";
    size_t n = 8, len = n * strlen(filler) + 200;
    char *t = malloc(len), *p = t;

    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i == n / 2)
            p += sprintf(p, "Huyện Nghĩa Hành có tỷ lệ giải ngân thấp. ");
        p += sprintf(p, "%s", filler);
    }
    return t;
}

static int setup(void **state)
{
    struct vns_err err = {0};
    char id[32], text[256], *longer;
    int rc;

    (void)state;
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    rc = vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err);
    for (int i = 0; i < NSHORT && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "short%d", i);
        snprintf(text, sizeof(text),
                 "Huyện %s %d có tỷ lệ giải ngân thấp, mới đạt 50%%.\n",
                 names[i % 10], i);
        rc = vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, &err);
    }
    for (int i = 0; i < NOTHER && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "other%d", i);
        snprintf(
            text, sizeof(text),
            "Thông báo số %d về phòng, chống dịch bệnh trên địa bàn tỉnh.\n",
            i);
        rc = vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, &err);
    }
    for (int i = 0; i < 20 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "due%d", i);
        snprintf(text, sizeof(text),
                 "Sở Y tế tổ chức tiêm chủng đợt %d, thời hạn hoàn thành "
                 "chậm nhất ngày 1%d/10/2024.\n",
                 i, i % 9);
        rc = vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, &err);
    }
    for (int i = 0; i < 3 && rc == VNS_OK; i++) {
        snprintf(id, sizeof(id), "apart%d", i);
        snprintf(text, sizeof(text),
                 "Huyện Phú Tân báo cáo số %d. Huyện Phú Tân hoàn thành tiêm "
                 "chủng; thời hạn hoàn thành chậm nhất ngày 15/10/2024.\n",
                 i);
        rc = vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, &err);
    }
    if (rc == VNS_OK) {
        const char *t = "Các sở, ban, ngành tiếp tục theo dõi tình hình, "
                        "báo cáo kết quả thực hiện về Văn phòng theo định kỳ "
                        "hằng tháng. Huyện Phú Tân thời hạn hoàn thành chậm "
                        "nhất ngày 30/11/2024 theo kế hoạch của tỉnh. Các "
                        "sở, ban, ngành tiếp tục theo dõi tình hình, báo cáo "
                        "kết quả thực hiện về Văn phòng theo định kỳ hằng "
                        "tháng.\n";
        rc = vns_index_add_text(ix, "edge", NULL, t, strlen(t), NULL, &err);
    }
    if (rc == VNS_OK && (longer = long_notice()) != NULL) {
        rc = vns_index_add_text(ix, "long", NULL, longer, strlen(longer), NULL,
                                &err);
        free(longer);
    }
    if (rc == VNS_OK)
        rc = vns_index_commit(ix, &err);
    if (rc != VNS_OK)
        fprintf(stderr, "setup: %s\n", err.msg);
    return rc == VNS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[64];

    (void)state;
    vns_index_close(ix);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The long notice's terms rank it past the first hits; its words in
 * order bring it first, on a page of ten as in a run of a hundred. */
static void test_known_item_deep(void **state)
{
    static const char *const queries[] = {"Hành có tỷ lệ giải",
                                          "hanh co ty le giai ngan"};
    struct vns_search_opts o = {.limit = 10};
    struct vns_results res = {0};
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        const char *q = queries[i];
        for (size_t limit = 10; limit <= 100; limit += 90) {
            o.limit = limit;
            assert_int_equal(vns_search(ix, q, strlen(q), &o, &res, &err),
                             VNS_OK);
            assert_true(res.n > 0);
            assert_string_equal(res.hits[0].id, "long");
            vns_results_fini(&res);
        }
    }
}

/* The notice writing "Phú Tân" beside "thời hạn hoàn thành" comes
 * before those saying "Phú Tân" twice and the cue words apart. */
static void test_cue_edge(void **state)
{
    struct vns_search_opts o = {.limit = 10};
    struct vns_results res = {0};
    struct vns_err err = {0};
    const char *q = "Phú Tân thời hạn hoàn thành";

    (void)state;
    assert_int_equal(vns_search(ix, q, strlen(q), &o, &res, &err), VNS_OK);
    assert_true(res.n >= 4);
    assert_string_equal(res.hits[0].id, "edge");
    vns_results_fini(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_item_deep),
        cmocka_unit_test(test_cue_edge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
