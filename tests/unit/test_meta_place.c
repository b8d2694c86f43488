/* Unit tests for the province of a notice (lib/meta_place.c) on the real
 * data/gazetteer.tsv and the five notices of corpus/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "meta.h"

#define GAZ_PATH "data/gazetteer.tsv" /* tests run from the repo root */
#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
    struct vns_gaz *gz = NULL;
    struct vns_err err = {0};

    if (vns_gaz_open(GAZ_PATH, &gz, &err) != VNS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = gz;
    return 0;
}

static int teardown(void **state)
{
    vns_gaz_free(*state);
    return 0;
}

/* The metadata of text, then its place, as the indexer calls them. */
static void place(const struct vns_gaz *gz, const char *text, size_t len,
                  struct vns_meta *m)
{
    struct vns_err err = {0};

    assert_int_equal(vns_meta_extract(text, len, NULL, m, &err), VNS_OK);
    assert_int_equal(vns_meta_place(gz, text, len, m, &err), VNS_OK);
}

static bool has_candidate(const struct vns_meta *m, const char *name)
{
    for (size_t i = 0; i < m->n_candidates; i++)
        if (strcmp(m->candidates[i], name) == 0)
            return true;
    return false;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Header layouts: stacked, two columns, tables, no diacritics. */
static void test_headers(void **state)
{
    static const struct {
        const char *text, *province, *p2025, *why;
    } cases[] = {
        {"TỈNH ỦY NINH THUẬN\n*\nSố 135-TB/TU\nPhan Rang-Tháp Chàm, ngày 29 "
         "tháng 11 năm 2021\nTHÔNG BÁO\nKẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n",
         "Ninh Thuận", "Khánh Hòa", "line 1: TỈNH ỦY NINH THUẬN"},
        {"ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n-------\nSố: 2771/QĐ-UBND\nThanh "
         "Hóa, ngày 05 tháng 5 năm 2023\nQUYẾT ĐỊNH\nVề việc ban hành\n",
         "Thanh Hóa", "Thanh Hóa", "line 2: TỈNH THANH HÓA"},
        {"UBND TỈNH LAI CHÂU          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "SỞ Y TẾ                     Độc lập - Tự do - Hạnh phúc\n"
         "Số: 12/SYT-NVY              Lai Châu, ngày 3 tháng 12 năm 2021\n"
         "THÔNG BÁO\n",
         "Lai Châu", "Lai Châu", "line 1: UBND TỈNH LAI CHÂU"},
        {"SỞ Y TẾ TRÀ VINH\nTRUNG TÂM KIỂM SOÁT BỆNH TẬT\nSố: 21/HD-KSBT\nTrà "
         "Vinh, ngày 01 tháng 10 năm 2021\nHƯỚNG DẪN\nCách ly F0\n",
         "Trà Vinh", "Vĩnh Long", "line 1: SỞ Y TẾ TRÀ VINH"},
        {"THÀNH ỦY CẦN THƠ\nVĂN PHÒNG\n*\nSố 425-TB/VPTU\nCần Thơ, ngày 14 "
         "tháng 7 năm 2021\nTHÔNG BÁO\n",
         "Cần Thơ", "Cần Thơ", "line 1: THÀNH ỦY CẦN THƠ"},
        {"| **TỈNH ỦY SÓC TRĂNG** | **ĐẢNG CỘNG SẢN VIỆT NAM** |\n| Số "
         "395-TB/TU | S****óc Trăng, ngày 15 tháng 11 năm 2021 |\nTHÔNG BÁO\n",
         "Sóc Trăng", "Cần Thơ", "line 1: TỈNH ỦY SÓC TRĂNG"},
        {"TINH UY NINH THUAN\nSo 135-TB/TU\nPhan Rang-Thap Cham, ngay 29 thang "
         "11 nam 2021\nTHONG BAO\n",
         "Ninh Thuận", "Khánh Hòa", "line 1: TINH UY NINH THUAN"},
        /* Huế was Thừa Thiên Huế before the merger; one province either
         * way (the gazetteer names it Huế) */
        {"TỈNH ỦY THỪA THIÊN HUẾ\nSố 12-TB/TU\nHuế, ngày 2 tháng 3 năm "
         "2022\nTHÔNG BÁO\n",
         "Huế", "Huế", "line 1: TỈNH ỦY THỪA THIÊN HUẾ"},
        /* only the date line: a provincial capital */
        {"Số: 864/TB-VPUB\nPhan Rang-Tháp Chàm, ngày 01 tháng 12 năm "
         "2021\nTHÔNG BÁO\n",
         "Ninh Thuận", "Khánh Hòa", "line 2: Phan Rang-Tháp Chàm, ngày"},
    };
    const struct vns_gaz *gz = *state;

    for (size_t i = 0; i < NCASES(cases); i++) {
        struct vns_meta m = {0};
        place(gz, cases[i].text, strlen(cases[i].text), &m);
        assert_string_equal(m.province, cases[i].province);
        assert_string_equal(m.province_2025, cases[i].p2025);
        assert_true(
            strncmp(m.why.province, cases[i].why, strlen(cases[i].why)) == 0);
        assert_int_equal(m.n_candidates, 0);
        vns_meta_fini(&m);
    }
}

/* Notices without header: districts and communes found in one province
 * only decide; a province named in passing or cited does not. */
static void test_body_names(void **state)
{
    static const struct {
        const char *text, *province, *p2025, *why;
    } cases[] = {
        {"THÔNG BÁO\nKẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\nNgày 29/11/2021, "
         "Thường trực Tỉnh ủy họp.\nđẩy nhanh tiến độ (như huyện Ninh Hải, "
         "Ninh Sơn); đồng thời\n",
         "Ninh Thuận", "Khánh Hòa", "districts: Ninh Hải, Ninh Sơn"},
        {"THÔNG BÁO\nNgày 27/9/2021, Ban Chỉ đạo họp với huyện Hồng Dân, "
         "huyện Đông Hải.\nKiểm soát chặt chẽ người từ Thành phố Hồ Chí Minh, "
         "Bình Dương, Đồng Nai và các tỉnh phía Nam về địa phương.\nTham khảo "
         "kinh nghiệm của Thành phố Hà Nội.\n",
         "Bạc Liêu", "Cà Mau", "districts: Hồng Dân, Đông Hải"},
        {"THÔNG BÁO\nNgày 8/11/2021, có 5 ca tại xã Bản Giang.\n", "Lai Châu",
         "Lai Châu", "communes: Bản Giang"},
        {"THÔNG BÁO\nNgày 5/10/2021, Bệnh viện Đa khoa tỉnh Bạc Liêu tiếp "
         "nhận người bệnh từ huyện Hồng Dân.\n",
         "Bạc Liêu", "Cà Mau", "districts: Hồng Dân"},
        /* after the merger: a ward of one province, and a former province
         * "(cũ)" that is a decoy */
        {"THÔNG BÁO\nKẾT LUẬN CỦA THƯỜNG TRỰC THÀNH ỦY\nNgày 18/09/2025, họp "
         "với phường Tương Mai.\nTiếp nhận hồ sơ của Ủy ban nhân dân tỉnh "
         "Hà Tây (cũ).\n",
         "Hà Nội", "Hà Nội", "communes: Tương Mai"},
    };
    const struct vns_gaz *gz = *state;

    for (size_t i = 0; i < NCASES(cases); i++) {
        struct vns_meta m = {0};
        place(gz, cases[i].text, strlen(cases[i].text), &m);
        assert_string_equal(m.province, cases[i].province);
        assert_string_equal(m.province_2025, cases[i].p2025);
        assert_non_null(strstr(m.why.province, cases[i].why));
        vns_meta_fini(&m);
    }
}

/* After 1 July 2025 the 34 provinces, communes without districts; a
 * former province "(cũ)" never wins. */
static void test_after_merger(void **state)
{
    static const struct {
        const char *text, *province;
    } cases[] = {
        {"TỈNH ỦY QUẢNG TRỊ\nSố 5-TB/TU\nQuảng Trị, ngày 10 tháng 8 năm "
         "2025\nTHÔNG BÁO\nTiếp nhận nguyên trạng hồ sơ của Ủy ban nhân dân "
         "tỉnh Quảng Bình (cũ).\n",
         "Quảng Trị"},
        {"ỦY BAN NHÂN DÂN\nXÃ VĨNH CÔNG\n-------\nSố: 123/KH-UBND\nVĩnh "
         "Công, ngày 24 tháng 7 năm 2025\nKẾ HOẠCH\n",
         "Tây Ninh"},
        {"ỦY BAN NHÂN DÂN\nPHƯỜNG PHỦ LÝ\n-------\nSố: 105/KH-UBND\nPhủ Lý, "
         "ngày 13 tháng 12 năm 2025\nKẾ HOẠCH\n",
         "Ninh Bình"},
        {"ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HUẾ\nSố: 1/UBND-VP\nHuế, ngày 3 tháng 9 "
         "năm 2025\nKính gửi:\n",
         "Huế"},
    };
    const struct vns_gaz *gz = *state;

    for (size_t i = 0; i < NCASES(cases); i++) {
        struct vns_meta m = {0};
        place(gz, cases[i].text, strlen(cases[i].text), &m);
        assert_string_equal(m.province, cases[i].province);
        assert_string_equal(m.province_2025, cases[i].province);
        vns_meta_fini(&m);
    }
}

/* Too little or conflicting evidence: unknown, with candidates. */
static void test_unknown(void **state)
{
    static const struct {
        const char *text, *candidate; /* NULL: no candidates either */
    } cases[] = {
        {"THÔNG BÁO\nNgày 2/12/2021, hỗ trợ huyện Châu Thành.\n", "Trà Vinh"},
        {"THÔNG BÁO\nNgày 2/12/2021, hỗ trợ huyện Châu Thành.\n", "Bến Tre"},
        /* a header and a date line that disagree */
        {"TỈNH ỦY NINH THUẬN\nSố 1-TB/TU\nThanh Hóa, ngày 2 tháng 12 năm "
         "2021\nTHÔNG BÁO\n",
         "Thanh Hóa"},
        /* the province's own paper alone is too little */
        {"THÔNG BÁO\nNgày 5/10/2021, Báo Bạc Liêu tuyên truyền.\n", "Bạc Liêu"},
        /* a province cited, nothing else */
        {"THÔNG BÁO\nNgày 2/12/2021, tham khảo kinh nghiệm của Thành phố Hà "
         "Nội.\n",
         "Hà Nội"},
        {"THÔNG BÁO\nNgày 2/12/2021, người từ Thành phố Hồ Chí Minh, Bình "
         "Dương về.\n",
         NULL},
        /* no notice at all: an article names places it was not issued in */
        {"Hà Nội là thủ đô. Tỉnh Ninh Thuận có huyện Ninh Hải.\n", NULL},
    };
    const struct vns_gaz *gz = *state;

    for (size_t i = 0; i < NCASES(cases); i++) {
        struct vns_meta m = {0};
        place(gz, cases[i].text, strlen(cases[i].text), &m);
        assert_string_equal(m.province, "");
        assert_string_equal(m.province_2025, "");
        if (cases[i].candidate != NULL)
            assert_true(has_candidate(&m, cases[i].candidate));
        else
            assert_int_equal(m.n_candidates, 0);
        vns_meta_fini(&m);
    }
}

/* The five real notices of corpus/. */
static void test_corpus(void **state)
{
    static const struct {
        const char *path, *province, *why, *candidate;
    } cases[] = {
        {"corpus/ninh-thuan-2021-11-29-thong-bao-ket-luan.txt", "Ninh Thuận",
         "Ninh Hải", NULL},
        {"corpus/ninh-thuan-2021-11-29-thong-bao-ket-luan.txt", "Ninh Thuận",
         "Ninh Sơn", NULL},
        {"corpus/ninh-thuan-2021-08-31-thong-bao-ket-luan.md", "Ninh Thuận",
         "Bác Ái", NULL},
        {"corpus/thanh-hoa-2021-12-07-thong-bao-ket-luan.txt", "Thanh Hóa",
         "Thanh Hóa", NULL},
        {"corpus/lai-chau-2021-11-08-thong-bao-ket-luan.txt", "Lai Châu",
         "Bản Giang", NULL},
        {"corpus/tra-vinh-2021-12-02-thong-bao-ket-luan.txt", "", "",
         "Trà Vinh"},
    };
    const struct vns_gaz *gz = *state;

    for (size_t i = 0; i < NCASES(cases); i++) {
        struct vns_meta m = {0};
        size_t len;
        char *text = read_file(cases[i].path, &len);
        place(gz, text, len, &m);
        assert_string_equal(m.province, cases[i].province);
        assert_non_null(strstr(m.why.province, cases[i].why));
        if (cases[i].candidate != NULL)
            assert_true(has_candidate(&m, cases[i].candidate));
        vns_meta_fini(&m);
        free(text);
    }
}

/* Any bytes are safe: empty, one 1 MB line, invalid UTF-8, NULL. */
static void test_hostile(void **state)
{
    static const char *const pieces[] = {
        "huyện Ninh Hải, ",        "xã ",  "TỈNH ỦY ", "\xff\xfe\xc3 ",
        "Thành phố Hồ Chí Minh, ", "(cũ) "};
    const struct vns_gaz *gz = *state;
    struct vns_meta m = {0};
    struct vns_err err = {0};
    size_t cap = 1024 * 1024, n = 0;
    char *big = malloc(cap + 1);

    assert_non_null(big);
    memcpy(big, "THÔNG BÁO\n", 11);
    n = strlen(big);
    for (size_t k = 0; n + 40 < cap; k++) {
        size_t l = strlen(pieces[k % NCASES(pieces)]);
        memcpy(big + n, pieces[k % NCASES(pieces)], l);
        n += l;
    }
    big[n] = '\0';
    place(gz, big, n, &m);
    vns_meta_fini(&m);
    place(gz, "", 0, &m);
    assert_string_equal(m.province, "");
    vns_meta_fini(&m);
    place(gz, "THÔNG BÁO\n\xc3\x28 huy\xe1\xbb\x87n \xff\n", 22, &m);
    vns_meta_fini(&m);
    assert_int_equal(vns_meta_place(NULL, "x", 1, &m, &err), VNS_EINVAL);
    assert_int_equal(vns_meta_place(gz, NULL, 1, &m, &err), VNS_EINVAL);
    assert_int_equal(vns_meta_place(gz, "x", 1, NULL, &err), VNS_EINVAL);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),      cmocka_unit_test(test_body_names),
        cmocka_unit_test(test_after_merger), cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_corpus),       cmocka_unit_test(test_hostile),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
